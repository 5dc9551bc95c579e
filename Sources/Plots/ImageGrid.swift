import Foundation

/// A grayscale image to show in an `ImageGrid`, stored as 8-bit pixels row by row.
public struct GrayImage: Equatable, Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height` brightness values, row by row: 0 black, 255 white.
    public let pixels: [UInt8]
    /// The text under the image.
    public let caption: String

    /// An image from brightness values in [0, 1] (0 black, 1 white), row by row; values
    /// outside are clamped and NaN shows as black. Throws if the count is not `width * height`.
    public init<Value: BinaryFloatingPoint>(values: [Value], width: Int, height: Int, caption: String = "") throws {
        guard width > 0, height > 0 else {
            throw PlotsError.invalidSize(what: "image '\(caption)'", width: Double(width), height: Double(height),
                                         requirement: "both sides must be positive")
        }
        guard values.count == width * height else {
            throw PlotsError.imageSizeMismatch(caption: caption, width: width, height: height, pixelCount: values.count)
        }
        self.width = width
        self.height = height
        self.caption = caption
        // byte = round(255 * clamp(v, 0, 1))
        pixels = values.map { value in
            let v = Double(value)
            return v.isNaN ? 0 : UInt8((min(max(v, 0), 1) * 255).rounded())
        }
    }

    /// The image as a PNG file.
    public func png() throws -> [UInt8] {
        try PNGEncoder.grayscale(width: width, height: height, pixels: pixels)
    }
}

/// Grayscale images (digits, Omniglot glyphs) in a grid with captions, as one self-contained
/// SVG: each image is embedded as an inline PNG (`data:image/png;base64,...`).
public struct ImageGrid: Sendable {
    /// The number of images per row.
    public let columns: Int
    /// A heading above the grid (empty for none).
    public var title: String
    /// The displayed size in pixels of an image's longer side (small images are scaled up
    /// with sharp pixel edges).
    public var imageSize: Double
    /// The images, in reading order.
    public private(set) var images: [GrayImage] = []

    static let gap = 10.0
    static let captionSize = 11.0

    /// An empty grid of `columns` images per row, each shown `imageSize` pixels across.
    public init(columns: Int, title: String = "", imageSize: Double = 84) {
        self.columns = columns
        self.title = title
        self.imageSize = imageSize
    }

    /// Appends an image of brightness values in [0, 1], row by row (see `GrayImage`).
    public mutating func addImage<Value: BinaryFloatingPoint>(_ values: [Value], width: Int, height: Int, caption: String = "") throws {
        images.append(try GrayImage(values: values, width: width, height: height, caption: caption))
    }

    /// Appends an image already converted.
    public mutating func add(_ image: GrayImage) {
        images.append(image)
    }

    /// The grid as a standalone SVG 1.1 document; throws for an empty grid, fewer than one
    /// column, or a non-positive image size.
    public func svg() throws -> String {
        guard columns >= 1 else { throw PlotsError.invalidColumns(columns) }
        guard !images.isEmpty else { throw PlotsError.emptyFigure(title: title) }
        guard imageSize.isFinite, imageSize >= 1, imageSize <= 10_000 else {
            throw PlotsError.invalidSize(what: "image grid cell", width: imageSize, height: imageSize,
                                         requirement: "the image size must be 1...10000 pixels")
        }
        let hasCaptions = images.contains { !$0.caption.isEmpty }
        let widestCaption = images.map { SVGDocument.estimatedWidth(of: $0.caption, size: Self.captionSize) }.max() ?? 0
        let cellWidth = max(imageSize, widestCaption) + Self.gap
        let cellHeight = imageSize + Self.gap + (hasCaptions ? Self.captionSize + 4 : 0)
        let top = title.isEmpty ? Self.gap / 2 : 34.0
        let rows = (images.count + columns - 1) / columns
        let width = max(Double(min(columns, images.count)) * cellWidth, title.isEmpty ? 0 : SVGDocument.estimatedWidth(of: title, size: 15) + 20)
        let height = top + Double(rows) * cellHeight

        var body = ""
        if !title.isEmpty {
            body += SVGDocument.text(title, x: width / 2, y: 22, size: 15, anchor: "middle", weight: "bold")
        }
        for (index, image) in images.enumerated() {
            let cellLeft = Double(index % columns) * cellWidth
            let cellTop = top + Double(index / columns) * cellHeight
            // The longer side gets imageSize pixels; the image is centred in its cell.
            let longer = Double(max(image.width, image.height))
            let shownWidth = imageSize * Double(image.width) / longer
            let shownHeight = imageSize * Double(image.height) / longer
            let x = cellLeft + (cellWidth - shownWidth) / 2
            let y = cellTop + (imageSize - shownHeight) / 2
            let data = Data(try image.png()).base64EncodedString()
            let f = SVGNumber.format
            body += "<image x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(shownWidth))\" height=\"\(f(shownHeight))\""
            body += " preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" xlink:href=\"data:image/png;base64,\(data)\"/>\n"
            body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(shownWidth))\" height=\"\(f(shownHeight))\" fill=\"none\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n"
            if !image.caption.isEmpty {
                body += SVGDocument.text(image.caption, x: cellLeft + cellWidth / 2, y: cellTop + imageSize + Self.captionSize + 2,
                                         size: Self.captionSize, anchor: "middle")
            }
        }
        return SVGDocument.wrap(width: width, height: height, body: body)
    }

    /// Writes `name.svg` into `directory`, creating the directory if needed.
    public func write(to directory: URL, name: String) throws {
        try FileOutput.write([("svg", try svg())], to: directory, name: name)
    }
}
