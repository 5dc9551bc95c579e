/// An output format of a diagram.
public enum DiagramFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Scalable vector graphics (Graphviz's `svg` renderer).
    case svg
    /// A bitmap image, size-bounded by `DiagramOptions.maxPNGPixels`.
    case png
    /// A vector PDF page (Graphviz's cairo renderer).
    case pdf
    /// The DOT source text itself, without layout.
    case dot

    /// The format's name as Graphviz and file extensions spell it.
    public var description: String { rawValue }

    /// The format named by a file extension ("svg", "PNG", "gv" for DOT...).
    ///
    /// Throws `DiagramError.unknownFormat` for any other extension.
    public init(fileExtension: String) throws {
        let lowered = fileExtension.lowercased()
        switch lowered {
        case "gv": self = .dot
        default:
            guard let format = DiagramFormat(rawValue: lowered) else {
                throw DiagramError.unknownFormat(fileExtension)
            }
            self = format
        }
    }
}
