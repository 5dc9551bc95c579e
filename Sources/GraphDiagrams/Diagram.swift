import Autodiff
import Foundation

/// A picture of the recorded computation behind some tensors: variables, constants and
/// operations, coloured by the pass that recorded them, with named scopes as clusters.
///
/// ```swift
/// try diagram(of: loss, label: "loss").render(to: "loss.svg")
/// ```
public struct Diagram: Sendable {
    /// The boxes, each after the boxes it reads from.
    public let nodes: [DiagramNode]
    /// The arrows, each labelled with the shape of the tensor it carries.
    public let edges: [DiagramEdge]
    /// How the diagram was built and is drawn.
    public let options: DiagramOptions

    /// The diagram of everything `outputs` depend on, with `labels[i]` naming output i.
    ///
    /// Throws `DiagramError.badOutputs` when there are no outputs or the label count differs.
    public init(outputs: [Tensor], labels: [String], options: DiagramOptions = DiagramOptions()) throws {
        guard !outputs.isEmpty else { throw DiagramError.badOutputs("no output tensors were given") }
        guard labels.count == outputs.count else {
            throw DiagramError.badOutputs("\(outputs.count) outputs but \(labels.count) labels; give one label per output")
        }
        self.init(walk: GraphWalk(outputs: outputs, labels: labels, options: options))
    }

    init(walk: GraphWalk) {
        nodes = walk.nodes
        edges = walk.edges
        options = walk.options
    }

    /// How many variable and operation boxes each derivative order has (constants are not counted).
    public func nodeCounts() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for node in nodes { if let order = node.derivativeOrder { counts[order, default: 0] += 1 } }
        return counts
    }

    /// The diagram as DOT text (what Graphviz lays out).
    public func dot() -> String {
        DotWriter(nodes: nodes, edges: edges, options: options).text()
    }

    /// The diagram rendered by Graphviz (or, for `.dot`, its DOT text as UTF-8).
    public func renderData(format: DiagramFormat) throws -> Data {
        switch format {
        case .dot:
            return Data(dot().utf8)
        case .png:
            // Bound the bitmap: `size` (inches) shrinks big layouts to fit maxPNGPixels at this dpi.
            let inches = Double(options.maxPNGPixels) / Double(options.pngDotsPerInch)
            let size = String(format: "%.2f,%.2f", inches, inches)
            return try GraphvizEngine.shared.render(
                dot: dot(), format: "png", graphAttributes: ["size": size, "dpi": String(options.pngDotsPerInch)])
        case .svg, .pdf:
            return try GraphvizEngine.shared.render(dot: dot(), format: format.rawValue)
        }
    }

    /// Renders to a file; the format comes from the file's extension unless given.
    public func render(to path: String, format: DiagramFormat? = nil) throws {
        try render(to: URL(fileURLWithPath: path), format: format)
    }

    /// Renders to a file URL; the format comes from the file's extension unless given.
    public func render(to url: URL, format: DiagramFormat? = nil) throws {
        let chosen = try format ?? DiagramFormat(fileExtension: url.pathExtension)
        let data = try renderData(format: chosen)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw DiagramError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }
}

/// The diagram of everything `output` depends on: `diagram(of: loss).render(to: "loss.svg")`.
public func diagram(of output: Tensor, label: String = "output", options: DiagramOptions = DiagramOptions()) -> Diagram {
    Diagram(walk: GraphWalk(outputs: [output], labels: [label], options: options))
}
