/// Why a diagram could not be made or written.
public enum DiagramError: Error, Equatable, CustomStringConvertible {
    /// A format name or file extension that is not svg, png, pdf or dot.
    case unknownFormat(String)
    /// Graphviz lacks the plugin that renders or lays out `format` ("png", "pdf", layout "dot"...).
    case missingPlugin(kind: String, name: String)
    /// Graphviz rejected the DOT text (the message is Graphviz's own).
    case invalidDOT(String)
    /// Graphviz failed while laying out or rendering.
    case renderingFailed(format: String, message: String)
    /// The output file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A diagram needs at least one output tensor, and one label per output.
    case badOutputs(String)
    /// A preset was asked for with a setting it cannot draw (for example zero inner steps).
    case invalidSetting(String)

    /// A message that names the problem and, where possible, the fix.
    public var description: String {
        switch self {
        case .unknownFormat(let name):
            let known = DiagramFormat.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown diagram format \"\(name)\"; use one of \(known) (or a file name ending in one)"
        case .missingPlugin(let kind, let name):
            return "Graphviz has no \(kind) plugin for \"\(name)\"; install the apt packages graphviz and "
                + "libgraphviz-dev (sudo apt-get install graphviz libgraphviz-dev), then register plugins with `sudo dot -c`"
        case .invalidDOT(let message):
            return "Graphviz could not parse the diagram's DOT text: \(message)"
        case .renderingFailed(let format, let message):
            return "Graphviz failed to render \(format): \(message)"
        case .cannotWrite(let path, let reason):
            return "cannot write the diagram to \(path): \(reason)"
        case .badOutputs(let message):
            return "cannot make a diagram: \(message)"
        case .invalidSetting(let message):
            return "invalid diagram setting: \(message)"
        }
    }
}
