import CGraphviz
import Foundation

/// The one Graphviz context of the process, behind one lock.
///
/// libgvc is not thread-safe (parsing, layout, rendering and freeing all touch global state),
/// so every call into it runs while holding `lock`; and it is built for one context per
/// process, so `shared` makes it once and never frees it.
public final class GraphvizEngine: @unchecked Sendable {
    /// The process-wide engine.
    public static let shared = GraphvizEngine()

    private let lock = NSLock()
    private let context: OpaquePointer
    /// Output devices Graphviz can render to ("svg", "png", "pdf", ...).
    public let renderFormats: Set<String>
    /// Layout engines Graphviz has ("dot", "neato", ...).
    public let layoutEngines: Set<String>

    private init() {
        agseterrf(recordGraphvizMessage)
        context = gvContext()
        renderFormats = Self.pluginNames(context, kind: "device")
        layoutEngines = Self.pluginNames(context, kind: "layout")
    }

    /// The plugin names of one kind, without the ":library" suffixes Graphviz may add.
    private static func pluginNames(_ context: OpaquePointer, kind: String) -> Set<String> {
        var count: Int32 = 0
        guard let list = gvPluginList(context, kind, &count, nil) else { return [] }
        var names: Set<String> = []
        for i in 0..<Int(count) {
            guard let entry = list[i] else { continue }
            names.insert(String(String(cString: entry).split(separator: ":").first ?? ""))
            free(entry)
        }
        free(list)
        return names
    }

    /// Lays out DOT text with the `dot` engine and renders it in `format` ("svg", "png", "pdf").
    ///
    /// `graphAttributes` are set on the root graph before layout (for example the PNG's `size`).
    public func render(dot: String, format: String, graphAttributes: [String: String] = [:]) throws -> Data {
        guard layoutEngines.contains("dot") else { throw DiagramError.missingPlugin(kind: "layout", name: "dot") }
        guard renderFormats.contains(format) else { throw DiagramError.missingPlugin(kind: "render", name: format) }
        lock.lock()
        defer { lock.unlock() }
        graphvizMessages = ""
        guard let graph = agmemread(dot) else {
            throw DiagramError.invalidDOT(graphvizMessages.isEmpty ? "no graph in the text" : graphvizMessages)
        }
        defer { agclose(graph) }
        for (name, value) in graphAttributes.sorted(by: { $0.key < $1.key }) {
            _ = name.withCString { n in value.withCString { v in "".withCString { empty in
                // agsafeset copies the strings, so lending it these buffers is safe.
                agsafeset(UnsafeMutableRawPointer(graph), UnsafeMutablePointer(mutating: n),
                          UnsafeMutablePointer(mutating: v), UnsafeMutablePointer(mutating: empty))
            } } }
        }
        guard gvLayout(context, graph, "dot") == 0 else {
            throw DiagramError.renderingFailed(format: format, message: "layout failed. \(graphvizMessages)")
        }
        defer { gvFreeLayout(context, graph) }
        var bytes: UnsafeMutablePointer<CChar>? = nil
        var length: UInt32 = 0
        guard gvRenderData(context, graph, format, &bytes, &length) == 0, let bytes else {
            throw DiagramError.renderingFailed(format: format, message: graphvizMessages)
        }
        defer { gvFreeRenderData(bytes) }
        return Data(bytes: bytes, count: Int(length))
    }
}

/// Graphviz's latest error text; written only while `GraphvizEngine`'s lock is held.
nonisolated(unsafe) private var graphvizMessages = ""

/// Collects Graphviz's messages instead of letting it print them.
private func recordGraphvizMessage(_ message: UnsafeMutablePointer<CChar>?) -> Int32 {
    if let message {
        graphvizMessages += String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines) + " "
    }
    return 0
}
