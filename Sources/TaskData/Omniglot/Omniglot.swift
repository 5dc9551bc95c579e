import Dispatch
import Foundation

/// Loading the Omniglot handwritten characters from the standard folder layout.
///
/// Each `<Alphabet>/characterNN/*.png` folder becomes one class named `Alphabet/characterNN` in group
/// `Alphabet`. Each 105x105 grayscale drawing is turned into ink coverage (ink = 1 - gray / 255, so
/// strokes are 1 and paper 0) and area-averaged down to 28x28.
public enum Omniglot {
    /// The environment variable naming a folder of Omniglot (alphabets, or folders of alphabets).
    public static let environmentVariable = "OMNIGLOT_ROOT"

    /// The folder named by `OMNIGLOT_ROOT`, or nil when it is unset or empty.
    public static func rootFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let path = environment[environmentVariable], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// A per-user cache file for the data set: `$XDG_CACHE_HOME/mamlworkbook/omniglot28.bin`, or
    /// `~/.cache/mamlworkbook/omniglot28.bin` when `XDG_CACHE_HOME` is unset or not absolute (as the
    /// XDG base-directory rules say). It is replaced in one rename, so concurrent runs never read a
    /// half-written file.
    public static var defaultCacheURL: URL { cacheURL(environment: ProcessInfo.processInfo.environment) }

    /// The cache file `defaultCacheURL` names for `environment`.
    public static func cacheURL(environment: [String: String]) -> URL {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("mamlworkbook/omniglot28.bin")
    }

    /// Loads every character under `roots`, using (and refreshing) the binary cache at `cache` if given.
    ///
    /// Throws when a root is missing, when a root holds no character folders, or when a PNG cannot be
    /// decoded (the error names the file). The cache is keyed by every file's path, size and
    /// modification time, so changed data is reloaded.
    public static func load(roots: [URL], cache: URL? = nil) throws -> ImageDataset {
        let characters = try OmniglotScan.characters(in: roots)
        let fingerprint = OmniglotScan.fingerprint(characters)
        if let cache, let cached = OmniglotCache.read(from: cache, fingerprint: fingerprint) {
            return cached
        }
        let dataset = try decode(characters)
        if let cache { try OmniglotCache.write(dataset, fingerprint: fingerprint, to: cache) }
        return dataset
    }

    /// Decodes and resizes every drawing, spreading the files over the processor's cores.
    private static func decode(_ characters: [CharacterFolder]) throws -> ImageDataset {
        let files = characters.flatMap(\.files)
        let size = ImageDataset.pixelsPerImage
        let results = DecodeResults(fileCount: files.count, pixelsPerImage: size)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var resizers: [Int: AreaResize] = [:]
            for index in stride(from: worker, to: files.count, by: workers) {
                do {
                    try preprocess(try GrayscaleImage.readPNG(at: files[index]), path: files[index].path,
                                   resizers: &resizers, into: results.slot(index))
                } catch {
                    results.fail(index, error)
                }
            }
        }
        if let error = results.firstError() { throw error }
        var classes: [ImageClass] = []
        var start = 0
        for folder in characters {
            let end = start + folder.files.count
            classes.append(ImageClass(name: folder.className, group: folder.alphabet,
                                      pixels: Array(results.pixels[start * size..<end * size])))
            start = end
        }
        return ImageDataset(classes: classes)
    }
}

extension Omniglot {
    /// The library's preprocessing of one drawing, as every loader applies it: a square grey image
    /// of side at least 28 becomes ink = 1 − grey / 255, area-averaged down to 28×28.
    ///
    /// Returns the 784 values row by row; throws (naming `path`) for an image that is not square
    /// or smaller than 28×28.
    public static func preprocess(_ image: GrayscaleImage, path: String) throws -> [Float] {
        var resizers: [Int: AreaResize] = [:]
        var pixels = [Float](repeating: 0, count: ImageDataset.pixelsPerImage)
        try pixels.withUnsafeMutableBufferPointer { try preprocess(image, path: path, resizers: &resizers, into: $0) }
        return pixels
    }

    /// A PNG file read and preprocessed as `preprocess(_:path:)` does: 784 ink values in [0, 1].
    public static func preprocessedImage(at url: URL) throws -> [Float] {
        try preprocess(try GrayscaleImage.readPNG(at: url), path: url.path)
    }

    /// `preprocess` into `slot`, reusing one resizer per input side.
    static func preprocess(_ image: GrayscaleImage, path: String, resizers: inout [Int: AreaResize],
                           into slot: UnsafeMutableBufferPointer<Float>) throws {
        guard image.width == image.height, image.width >= ImageDataset.side else {
            throw TaskDataError.unexpectedImageSize(path: path, width: image.width, height: image.height)
        }
        // ink = 1 - gray / 255
        let ink = image.pixels.map { 1 - Float($0) / 255 }
        let resizer = resizers[image.width] ?? AreaResize(inputSide: image.width, outputSide: ImageDataset.side)
        resizers[image.width] = resizer
        ink.withUnsafeBufferPointer { resizer.resize($0, into: slot) }
    }
}

/// Output of the parallel decode: each file index owns its own pixel slot and error slot, so the
/// workers never write to the same memory.
private final class DecodeResults: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Float>
    private let errors: UnsafeMutableBufferPointer<Error?>
    private let pixelsPerImage: Int

    init(fileCount: Int, pixelsPerImage: Int) {
        self.pixelsPerImage = pixelsPerImage
        storage = .allocate(capacity: fileCount * pixelsPerImage)
        storage.initialize(repeating: 0)
        errors = .allocate(capacity: fileCount)
        errors.initialize(repeating: nil)
    }

    deinit {
        storage.deallocate()
        _ = errors.deinitialize()
        errors.deallocate()
    }

    func slot(_ index: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: storage[index * pixelsPerImage..<(index + 1) * pixelsPerImage])
    }

    func fail(_ index: Int, _ error: Error) {
        errors[index] = error
    }

    func firstError() -> Error? { errors.lazy.compactMap { $0 }.first }

    var pixels: UnsafeMutableBufferPointer<Float> { storage }
}
