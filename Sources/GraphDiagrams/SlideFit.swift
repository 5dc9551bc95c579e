import Foundation

/// How a diagram fits a slide: the uniform scale from its natural layout to the slide, and the
/// size its smallest text gets there.
public struct SlideFit: Sendable {
    /// The slide.
    public let slide: SlideSize
    /// The diagram's natural layout.
    public let layout: DiagramLayout
    /// The format it is drawn in (PDF pages keep a wider white border).
    public let format: DiagramFormat
    /// Slide points per layout point (below 1 shrinks the drawing).
    public let scale: Double

    /// The most a small drawing is enlarged.
    static let largestScale = 2.0

    /// The fit of `layout` to `slide` in `format`: as large as the slide allows inside its
    /// border, at most twice the natural size.
    public init(layout: DiagramLayout, slide: SlideSize, format: DiagramFormat = .png) {
        self.layout = layout
        self.slide = slide
        self.format = format
        let border = Self.border(format)
        let across = (slide.widthPoints - 2 * border) / max(layout.width, 1)
        let down = (slide.heightPoints - 2 * border) / max(layout.height, 1)
        scale = min(across, down, Self.largestScale)
    }

    /// The white border around the drawing, in slide points: 8 for images, and for PDF the
    /// 36 (half an inch) that Graphviz's PDF renderer always keeps.
    static func border(_ format: DiagramFormat) -> Double { format == .pdf ? 36 : 8 }

    /// The smallest text on the slide, in points.
    public var smallestTextPoints: Double { layout.smallestTextSize * scale }

    /// Whether every text is at least `minimum` points on the slide.
    public func isLegible(minimum: Double = SlideSize.minimumTextPoints) -> Bool {
        smallestTextPoints >= minimum - 0.05
    }

    /// The Graphviz graph attributes that draw the layout centred on exactly the slide: `size`
    /// with `!` scales the drawing and its `pad` together, and the pad is chosen so that both
    /// make the slide's size at `scale`. The PDF renderer adds its own border outside `size`.
    /// (Setting `margin` instead would shrink the page: libgvc 2.42 miscomputes it with `size`.)
    func graphAttributes() -> [String: String] {
        let pdfBorder = format == .pdf ? Self.border(.pdf) : 0
        let (width, height) = (slide.widthPoints - 2 * pdfBorder, slide.heightPoints - 2 * pdfBorder)
        let padX = max(width / scale - layout.width, 0) / 2 / 72
        let padY = max(height / scale - layout.height, 0) / 2 / 72
        var attributes = [
            "size": String(format: "%.4f,%.4f!", width / 72, height / 72),
            "pad": String(format: "%.4f,%.4f", padX, padY),
        ]
        if format == .png { attributes["dpi"] = String(format: "%.4f", slide.dotsPerInch) }
        return attributes
    }
}

extension Diagram {
    /// The same diagram laid out in another direction.
    public func withRankDirection(_ direction: RankDirection) -> Diagram {
        var changed = options
        changed.rankDirection = direction
        return Diagram(nodes: nodes, edges: edges, options: changed, hints: hints)
    }

    /// The same diagram with another title (nil for none).
    public func retitled(_ title: String?) -> Diagram {
        var changed = options
        changed.title = title
        return Diagram(nodes: nodes, edges: edges, options: changed, hints: hints)
    }

    /// The same diagram with its legend as a column beside the drawing, or a row above it.
    public func withLegendAsColumn(_ asColumn: Bool) -> Diagram {
        var changed = hints
        changed.legendAsColumn = asColumn
        return Diagram(nodes: nodes, edges: edges, options: options, hints: changed)
    }

    /// The arrangement that gives the largest text on `slide` in `format`, with its fit: ranks
    /// left to right or top to bottom (only `direction` when given), and the legend as a row or
    /// a column. Earlier arrangements (left to right, legend in a row) win ties.
    public func bestArrangement(for slide: SlideSize, format: DiagramFormat = .png,
                                direction: RankDirection? = nil) throws -> (diagram: Diagram, fit: SlideFit) {
        var best: (diagram: Diagram, fit: SlideFit)?
        for rankDirection in direction.map({ [$0] }) ?? [.leftToRight, .topToBottom] {
            for asColumn in [false, true] {
                let candidate = withRankDirection(rankDirection).withLegendAsColumn(asColumn).settled()
                let fit = try candidate.fit(to: slide, format: format)
                if best == nil || fit.smallestTextPoints > best!.fit.smallestTextPoints + 0.01 { best = (candidate, fit) }
            }
        }
        return best!
    }
}

extension Diagram {
    /// An upper bound, found without laying the diagram out, on the size its smallest text can
    /// have on `slide` in `direction`: the longest chain of arrows needs that many ranks, each at
    /// least a box deep (0.3 in) and 0.25 in from the next, along the direction. Big graphs
    /// whose bound is under the minimum need no layout (which takes seconds for hundreds of boxes).
    public func textSizeBound(on slide: SlideSize, format: DiagramFormat = .png, direction: RankDirection) -> Double {
        var depth: [String: Int] = [:]
        var incoming: [String: [String]] = [:]
        for edge in edges { incoming[edge.to, default: []].append(edge.from) }
        // Nodes come inputs first, so one pass finds each node's longest chain from an input.
        for node in nodes { depth[node.id] = 1 + (incoming[node.id]?.compactMap { depth[$0] }.max() ?? 0) }
        let ranks = Double(depth.values.max() ?? 1)
        let extent = ranks * 0.3 * 72 + (ranks - 1) * 0.25 * 72
        let border = SlideFit.border(format)
        let room = direction == .topToBottom ? slide.heightPoints - 2 * border : slide.widthPoints - 2 * border
        return Double(DotWriter.textSize) * min(room / extent, SlideFit.largestScale)
    }
}
