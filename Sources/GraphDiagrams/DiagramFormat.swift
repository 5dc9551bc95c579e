/// An output format of a diagram.
public enum DiagramFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Scalable vector graphics (Graphviz's `svg` renderer).
    case svg
    /// A bitmap image, size-bounded by `DiagramOptions.maxPNGPixels` (or the slide's size).
    case png
    /// A vector PDF page (Graphviz's cairo renderer); on a slide, the page is the slide.
    case pdf
    /// The DOT source text itself, without layout.
    case dot
    /// The text listing: one line per operation (see `Diagram.listing()`).
    case txt

    /// The format's name as Graphviz and file extensions spell it.
    public var description: String { rawValue }

    /// Whether Graphviz lays the diagram out for this format (false for DOT and the listing).
    public var isDrawing: Bool { self == .svg || self == .png || self == .pdf }

    /// The format named by a file extension ("svg", "PNG", "gv" for DOT, "text" for the listing...).
    ///
    /// Throws `DiagramError.unknownFormat` for any other extension.
    public init(fileExtension: String) throws {
        let lowered = fileExtension.lowercased()
        switch lowered {
        case "gv": self = .dot
        case "text": self = .txt
        default:
            guard let format = DiagramFormat(rawValue: lowered) else {
                throw DiagramError.unknownFormat(fileExtension)
            }
            self = format
        }
    }
}
