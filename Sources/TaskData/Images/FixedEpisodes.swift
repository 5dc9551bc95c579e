import Autodiff
import Foundation

/// Episodes read from folders of image files, so that everyone evaluates on the same tasks.
///
/// One episode is a folder holding `support/` and `query/`, each with one subfolder per class
/// and that class's PNG drawings inside:
///
///     episode-001/support/<class>/*.png
///     episode-001/query/<class>/*.png
///
/// The classes, sorted by folder name, get the labels 0, 1, ...; both halves must name the same
/// classes, and every class must have the same number of support drawings (K) and of query
/// drawings (Q). Drawings go through the library's preprocessing (`Omniglot.preprocess`), so
/// a 105×105 Omniglot PNG gives the same pixels as the built-in loader. A folder of such
/// episode folders is a list of episodes, in the order of their sorted names.
public enum FixedEpisodes {
    /// The episode in `folder`, its images of element type `dtype`.
    public static func load(_ folder: URL, dtype: DType = .float32) throws -> Episode {
        let halves = try ["support", "query"].map { half in try classFolders(folder.appendingPathComponent(half)) }
        let (support, query) = (halves[0], halves[1])
        guard support.map(\.name) == query.map(\.name) else {
            throw TaskDataError.invalidArgument("episode \(folder.path): support/ has classes \(support.map(\.name)) "
                + "but query/ has \(query.map(\.name)); both must name the same classes")
        }
        let supportImages = try images(support, half: "support", episode: folder, dtype: dtype)
        let queryImages = try images(query, half: "query", episode: folder, dtype: dtype)
        return try Episode(supportImages: supportImages.tensor, supportLabels: supportImages.labels,
                           queryImages: queryImages.tensor, queryLabels: queryImages.labels, classNames: support.map(\.name))
    }

    /// Every episode folder directly inside `root` (sorted by name), each read with `load`.
    public static func loadAll(_ root: URL, dtype: DType = .float32) throws -> [Episode] {
        let folders = try subfolders(root)
        guard !folders.isEmpty else {
            throw TaskDataError.invalidArgument("no episode folders in \(root.path) (expected <episode>/support/<class>/*.png and "
                + "<episode>/query/<class>/*.png)")
        }
        return try folders.map { try load($0, dtype: dtype) }
    }

    /// Writes `episode` into `folder` in the layout `load` reads, each image as an 8-bit PNG
    /// (grey = 255 · (1 − ink)); classes are named by `classNames` or `class-<label>`.
    public static func write(_ episode: Episode, to folder: URL) throws {
        let names = (0..<(episode.supportLabels.max().map { $0 + 1 } ?? 0)).map { label in
            label < episode.classNames.count ? episode.classNames[label].replacingOccurrences(of: "/", with: "-") : "class-\(label)"
        }
        for (half, images, labels) in [("support", episode.supportImages, episode.supportLabels),
                                       ("query", episode.queryImages, episode.queryLabels)] {
            let side = images.shape[2], values = images.floats
            for (row, label) in labels.enumerated() {
                let classFolder = folder.appendingPathComponent(half).appendingPathComponent(names[label])
                try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
                let pixels = values[row * side * side..<(row + 1) * side * side].map { UInt8((255 * (1 - $0)).rounded().clamped(0, 255)) }
                try GrayscaleImage(width: side, height: side, pixels: pixels)
                    .writePNG(to: classFolder.appendingPathComponent(String(format: "%04d.png", row)))
            }
        }
    }

    private struct ClassFolder { let name: String; let files: [URL] }

    /// The class folders of one half, sorted, each with its sorted PNG files.
    private static func classFolders(_ half: URL) throws -> [ClassFolder] {
        let classes = try subfolders(half).map { folder in
            ClassFolder(name: folder.lastPathComponent, files: try entries(folder).filter { $0.pathExtension.lowercased() == "png" })
        }
        guard !classes.isEmpty else { throw TaskDataError.invalidArgument("no class folders in \(half.path)") }
        if let empty = classes.first(where: { $0.files.isEmpty }) {
            throw TaskDataError.invalidArgument("class folder \(half.appendingPathComponent(empty.name).path) holds no PNG files")
        }
        return classes
    }

    /// The preprocessed images of `classes`, class by class, with their labels; all classes
    /// must hold as many drawings as the first.
    private static func images(_ classes: [ClassFolder], half: String, episode: URL, dtype: DType) throws -> (tensor: Tensor, labels: [Int]) {
        let count = classes[0].files.count
        if let uneven = classes.first(where: { $0.files.count != count }) {
            throw TaskDataError.invalidArgument("episode \(episode.path): \(half)/\(uneven.name) has \(uneven.files.count) drawings "
                + "but \(half)/\(classes[0].name) has \(count); every class needs the same number")
        }
        var pixels: [Float] = []
        pixels.reserveCapacity(classes.count * count * ImageDataset.pixelsPerImage)
        for folder in classes { for file in folder.files { pixels += try Omniglot.preprocessedImage(at: file) } }
        return (Episode.imageTensor(pixels, count: classes.count * count, dtype: dtype),
                classes.indices.flatMap { Array(repeating: $0, count: count) })
    }

    private static func subfolders(_ folder: URL) throws -> [URL] {
        guard OmniglotScan.isDirectory(folder) else { throw TaskDataError.invalidArgument("folder not found: \(folder.path)") }
        return try entries(folder).filter { !$0.lastPathComponent.hasPrefix(".") && OmniglotScan.isDirectory($0) }
    }

    private static func entries(_ folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0) }
        } catch {
            throw TaskDataError.fileError(path: folder.path, reason: "cannot list the folder")
        }
    }
}

private extension Float {
    func clamped(_ low: Float, _ high: Float) -> Float { Swift.min(Swift.max(self, low), high) }
}
