import Foundation

/// Where a default image data set came from.
public enum ImageDataSource: Sendable, Equatable, CustomStringConvertible {
    /// Real Omniglot read from these folders.
    case omniglot(roots: [URL])
    /// Procedural glyphs, because no Omniglot folder was given or set.
    case syntheticGlyphs(classes: Int)

    /// A one-line account, for logs and reports.
    public var description: String {
        switch self {
        case .omniglot(let roots): "Omniglot from \(roots.map(\.path).joined(separator: ", "))"
        case .syntheticGlyphs(let classes): "\(classes) synthetic glyph classes (no Omniglot folder given; set \(Omniglot.environmentVariable))"
        }
    }
}

extension ImageDataset {
    /// The image data for few-shot work: Omniglot from `roots`, else from `OMNIGLOT_ROOT`, else synthetic glyphs.
    ///
    /// Errors in a folder that was named (missing, empty, corrupt) are thrown, not replaced by glyphs:
    /// only the absence of any folder falls back to `SyntheticGlyphs.dataset(classes: syntheticClasses, seed: seed)`.
    public static func standard(roots: [URL] = [], cache: URL? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                syntheticClasses: Int = 1200, seed: UInt64 = 0) throws -> (dataset: ImageDataset, source: ImageDataSource) {
        let folders = roots.isEmpty ? Omniglot.rootFromEnvironment(environment).map { [$0] } ?? [] : roots
        if !folders.isEmpty {
            return (try Omniglot.load(roots: folders, cache: cache), .omniglot(roots: folders))
        }
        return (SyntheticGlyphs.dataset(classes: syntheticClasses, seed: seed), .syntheticGlyphs(classes: syntheticClasses))
    }
}
