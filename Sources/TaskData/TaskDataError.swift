/// Everything that can go wrong when building task data, each case naming the thing at fault.
public enum TaskDataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A folder that was asked for does not exist (or is not a folder).
    case missingFolder(path: String)
    /// A folder exists but holds no `<Alphabet>/characterNN/*.png` drawings.
    case noCharacters(path: String)
    /// A PNG file could not be decoded.
    case corruptImage(path: String, reason: String)
    /// An image has a size the loader does not accept.
    case unexpectedImageSize(path: String, width: Int, height: Int)
    /// A class has too few drawings for the requested episode.
    case tooFewDrawings(className: String, available: Int, needed: Int)
    /// An episode asks for more classes than the data set has.
    case tooFewClasses(available: Int, needed: Int)
    /// A setting is out of its allowed range.
    case invalidArgument(String)
    /// A file could not be read or written.
    case fileError(path: String, reason: String)

    /// A readable explanation of the problem.
    public var description: String {
        switch self {
        case .missingFolder(let path):
            "Omniglot folder not found: \(path)"
        case .noCharacters(let path):
            "no characters found in \(path) (expected <Alphabet>/characterNN/*.png, or folders of that layout)"
        case .corruptImage(let path, let reason):
            "cannot decode PNG \(path): \(reason)"
        case .unexpectedImageSize(let path, let width, let height):
            "image \(path) is \(width)x\(height); expected a square image at least 28x28"
        case .tooFewDrawings(let className, let available, let needed):
            "class '\(className)' has \(available) drawings but an episode needs \(needed) (shots + queries)"
        case .tooFewClasses(let available, let needed):
            "an episode needs \(needed) classes but the data set has only \(available)"
        case .invalidArgument(let message):
            message
        case .fileError(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
