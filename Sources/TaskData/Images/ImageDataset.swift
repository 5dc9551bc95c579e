import Autodiff

/// One class of an image data set: all drawings of one character.
public struct ImageClass: Sendable, Equatable {
    /// A name unique in the data set, such as `Greek/character03` or `Greek/character03/rot90`.
    public let name: String
    /// The group the class belongs to (an alphabet); splits never separate a group.
    public let group: String
    /// The drawings, one after another, each `side * side` Floats in row-major order.
    public let pixels: [Float]

    /// A class from its drawings laid end to end.
    public init(name: String, group: String, pixels: [Float]) {
        check(pixels.count % ImageDataset.pixelsPerImage == 0,
              "ImageClass(\(name)): \(pixels.count) pixels is not a whole number of \(ImageDataset.side)x\(ImageDataset.side) images")
        self.name = name
        self.group = group
        self.pixels = pixels
    }

    /// The number of drawings.
    public var imageCount: Int { pixels.count / ImageDataset.pixelsPerImage }

    /// The pixels of drawing `index`.
    public func image(_ index: Int) -> ArraySlice<Float> {
        pixels[index * ImageDataset.pixelsPerImage..<(index + 1) * ImageDataset.pixelsPerImage]
    }
}

/// Classes of 28x28 grayscale images (ink = 1, background = 0), grouped by alphabet.
public struct ImageDataset: Sendable, Equatable {
    /// The width and height of every image.
    public static let side = 28
    /// The number of pixels in one image.
    public static let pixelsPerImage = side * side

    /// The classes, in a fixed order (groups and names sorted when loaded).
    public let classes: [ImageClass]

    /// A data set of the given classes.
    public init(classes: [ImageClass]) {
        self.classes = classes
    }

    /// The total number of images.
    public var imageCount: Int { classes.reduce(0) { $0 + $1.imageCount } }

    /// The distinct groups, in first-appearance order.
    public var groups: [String] {
        var seen = Set<String>()
        return classes.map(\.group).filter { seen.insert($0).inserted }
    }

    /// The data set with each class also rotated by 90, 180 and 270 degrees, each rotation a new class.
    ///
    /// The rotated classes (named `<class>/rot90` and so on) stay in their original group, so a split
    /// by group keeps all four orientations of a character together.
    public func addingRotations() -> ImageDataset {
        var result: [ImageClass] = []
        for imageClass in classes {
            result.append(imageClass)
            var rotated = imageClass.pixels
            for quarterTurns in 1...3 {
                rotated = Self.rotatedQuarterTurn(rotated)
                result.append(ImageClass(name: "\(imageClass.name)/rot\(quarterTurns * 90)",
                                         group: imageClass.group, pixels: rotated))
            }
        }
        return ImageDataset(classes: result)
    }

    /// Every image turned 90 degrees counter-clockwise: out[r][c] = in[c][side - 1 - r].
    static func rotatedQuarterTurn(_ pixels: [Float]) -> [Float] {
        let n = side
        var out = [Float](repeating: 0, count: pixels.count)
        for base in stride(from: 0, to: pixels.count, by: pixelsPerImage) {
            for r in 0..<n {
                for c in 0..<n { out[base + r * n + c] = pixels[base + c * n + (n - 1 - r)] }
            }
        }
        return out
    }
}
