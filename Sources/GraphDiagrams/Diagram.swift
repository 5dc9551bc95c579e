import Autodiff
import Foundation

/// A picture of the recorded computation behind some tensors: variables, constants and
/// operations, styled by the pass that recorded them, with named scopes as clusters.
///
/// ```swift
/// try diagram(of: loss, label: "loss").render(to: "loss.svg")
/// try diagram(of: loss).render(to: "loss.png", slide: .widescreen)
/// ```
public struct Diagram: Sendable {
    /// The boxes, each after the boxes it reads from.
    public let nodes: [DiagramNode]
    /// The arrows, each from the box whose value it carries to the box that reads it.
    public let edges: [DiagramEdge]
    /// How the diagram was built and is drawn.
    public let options: DiagramOptions
    /// Node sets placed in one rank, and edges drawn against the layout direction (overviews).
    var hints = LayoutHints()

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
        self.init(nodes: walk.nodes, edges: walk.edges, options: walk.options)
    }

    init(nodes: [DiagramNode], edges: [DiagramEdge], options: DiagramOptions, hints: LayoutHints = LayoutHints()) {
        self.nodes = nodes
        self.edges = edges
        self.options = options
        self.hints = hints
    }

    /// How many variable and operation boxes each derivative order has (constants are not
    /// counted; a group box of an overview counts as the operations it stands for).
    public func nodeCounts() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for node in nodes where node.kind != .group || node.memberCount > 0 {
            if let order = node.derivativeOrder { counts[order, default: 0] += node.kind == .group ? node.memberCount : 1 }
        }
        return counts
    }

    /// The bytes the recorded graph keeps alive for its backward passes: every distinct tensor
    /// held by a node (outputs, and the constants they read), each counted once.
    public var keptBytes: Int { nodes.reduce(0) { $0 + $1.keptBytes } }

    /// The diagram as DOT text (what Graphviz lays out).
    public func dot() -> String {
        DotWriter(nodes: nodes, edges: edges, options: options, hints: hints).text()
    }

    /// Where Graphviz places every text at the diagram's natural size.
    public func layout() throws -> DiagramLayout {
        try DiagramLayout(json: GraphvizEngine.shared.render(dot: dot(), format: "json"))
    }

    /// How the diagram fits `slide` in `format`: its scale and the size of its smallest text there.
    public func fit(to slide: SlideSize, format: DiagramFormat = .png) throws -> SlideFit {
        SlideFit(layout: try layout(), slide: slide, format: format)
    }

    /// The diagram rendered by Graphviz at its natural size (PNGs bounded by
    /// `options.maxPNGPixels`), or, for `.dot` and `.txt`, its DOT text or listing as UTF-8.
    public func renderData(format: DiagramFormat) throws -> Data {
        switch format {
        case .dot:
            return Data(dot().utf8)
        case .txt:
            return Data(listing().utf8)
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

    /// The diagram drawn on exactly one slide: a PNG of the slide's pixels, or an SVG or PDF
    /// page of the slide's size in points, the drawing scaled uniformly and centred.
    ///
    /// This draws whatever the scale; check `fit(to:)` first for legibility. DOT and the
    /// listing have no size, so they come out as from `renderData(format:)`.
    public func renderData(format: DiagramFormat, slide: SlideSize) throws -> Data {
        guard format.isDrawing else { return try renderData(format: format) }
        return try renderData(fit: fit(to: slide, format: format))
    }

    /// The diagram drawn as `fit` places it on its slide, in the fit's format.
    public func renderData(fit: SlideFit) throws -> Data {
        try GraphvizEngine.shared.render(dot: dot(), format: fit.format.rawValue, graphAttributes: fit.graphAttributes())
    }

    /// Renders to a file; the format comes from the file's extension unless given, and a
    /// slide, when given, sets the page.
    public func render(to path: String, format: DiagramFormat? = nil, slide: SlideSize? = nil) throws {
        try render(to: URL(fileURLWithPath: path), format: format, slide: slide)
    }

    /// Renders to a file URL; the format comes from the file's extension unless given, and a
    /// slide, when given, sets the page.
    public func render(to url: URL, format: DiagramFormat? = nil, slide: SlideSize? = nil) throws {
        let chosen = try format ?? DiagramFormat(fileExtension: url.pathExtension)
        let data = try slide.map { try renderData(format: chosen, slide: $0) } ?? renderData(format: chosen)
        try write(data, to: url)
    }

    /// Writes rendered bytes, naming the path when it fails.
    func write(_ data: Data, to url: URL) throws {
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
