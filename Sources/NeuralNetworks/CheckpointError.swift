/// Reading or writing a checkpoint failed; every case names the file and what is wrong with it.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read or written at all.
    case unreadable(file: String, reason: String)
    /// The file does not start with the checkpoint magic line (it is some other kind of file).
    case wrongMagic(file: String, found: String)
    /// The file was written by a newer format version than this build reads.
    case unsupportedVersion(file: String, version: Int, supported: Int)
    /// The JSON header is missing or malformed, or disagrees with itself.
    case corruptHeader(file: String, reason: String)
    /// The file ends before the tensor data the header announces.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// The file is longer than the header says: something was appended or the header is wrong.
    case trailingBytes(file: String, extraBytes: Int)
    /// The optimizer state stored in the checkpoint does not fit the requested optimizer.
    case incompatibleOptimizerState(file: String, reason: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "checkpoint \(file): cannot be read or written (\(reason))"
        case .wrongMagic(let file, let found):
            "checkpoint \(file): not a checkpoint (first line is \"\(found)\", expected \"\(Checkpoint.magic)\")"
        case .unsupportedVersion(let file, let version, let supported):
            "checkpoint \(file): format version \(version) is newer than the supported version \(supported)"
        case .corruptHeader(let file, let reason):
            "checkpoint \(file): corrupt header (\(reason))"
        case .truncated(let file, let expected, let actual):
            "checkpoint \(file): truncated (the header announces \(expected) bytes of tensor data, the file holds \(actual))"
        case .trailingBytes(let file, let extra):
            "checkpoint \(file): \(extra) unexpected bytes after the tensor data"
        case .incompatibleOptimizerState(let file, let reason):
            "checkpoint \(file): optimizer state does not fit (\(reason))"
        }
    }
}
