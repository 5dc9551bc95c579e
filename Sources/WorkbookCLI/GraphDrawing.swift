import ArgumentParser
import Foundation
import GraphDiagrams

/// The diagram `workbook graph` draws, with its fit to the slide when one was asked for.
struct GraphDrawing {
    let diagram: Diagram
    let fit: SlideFit?
    /// Said before writing: why the overview was drawn instead of the full graph.
    let note: String?

    /// Builds the figure at the asked level of detail and fits it to `slide`: in `auto` view the
    /// full graph when it is legible there, else the overview; an explicit view that is not
    /// legible is an error naming its smallest text and what would fit.
    static func make(_ figure: GraphFigure, slide: SlideSize?, direction: RankDirection?, minimumText: Double,
                     format: DiagramFormat) throws -> GraphDrawing {
        let wantsOverview = figure.view == .overview && !figure.isStepDetail
        guard let slide, format.isDrawing else {
            let diagram = try wantsOverview ? figure.overviewDiagram() : figure.fullDiagram()
            return GraphDrawing(diagram: direction.map(diagram.withRankDirection) ?? diagram, fit: nil, note: nil)
        }
        let request = SlideRequest(figure: figure, slide: slide, direction: direction, minimumText: minimumText, format: format)
        if wantsOverview { return try request.overview() }
        if figure.view == .full || figure.isStepDetail { return try request.full() }
        return try request.fullOrOverview()
    }

    /// Throws, naming the text size `what` would have and the flag that allows it, when it is under the minimum.
    static func checkLegible(_ fit: SlideFit, what: String, slide: SlideSize, minimumText: Double, advice: String? = nil) throws {
        guard !fit.isLegible(minimum: minimumText) else { return }
        let allowance = "allow it with --min-text \(Int(fit.smallestTextPoints.rounded(.down)))"
        throw ValidationError("\(what) would have \(String(format: "%.1f", fit.smallestTextPoints)) pt text on a \(slide) slide, "
            + "under the \(minimumText.formatted) pt minimum: " + (advice.map { "\($0), or \(allowance)" } ?? allowance))
    }

    /// "1920×1080 (16:9) slide, smallest text 15.2 pt; 23 boxes; order 0: 30 ops, ...".
    func summary(seconds: Double) -> String {
        var parts: [String] = []
        if let fit {
            parts.append("\(fit.slide) slide, smallest text \(String(format: "%.1f", fit.smallestTextPoints)) pt")
        }
        let counts = diagram.nodeCounts().sorted { $0.key < $1.key }.map { "order \($0.key): \($0.value)" }
        parts.append("\(diagram.nodes.count) boxes (\(counts.joined(separator: ", ")))")
        if diagram.options.showMemory { parts.append("keeps \(byteText(diagram.keptBytes))") }
        parts.append(String(format: "%.2f s", seconds))
        return parts.joined(separator: "; ")
    }
}

extension Double {
    /// 14 as "14", 10.5 as "10.5".
    var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}

/// One figure for one slide, in the three ways `workbook graph` can be asked to draw it.
private struct SlideRequest {
    let figure: GraphFigure
    let slide: SlideSize
    let direction: RankDirection?
    let minimumText: Double
    let format: DiagramFormat

    /// MAML's overview is drawn in columns, top to bottom; the others take the better direction.
    var overviewDirection: RankDirection? { direction ?? (figure.splitsBackwardPasses ? .topToBottom : nil) }

    /// What the full drawing is called in messages.
    func name(_ full: Diagram) -> String {
        figure.isStepDetail ? "inner step \(figure.step!) in full" : "the full graph (\(full.nodes.count) boxes)"
    }

    /// The overview, which must be legible.
    func overview() throws -> GraphDrawing {
        let placed = try figure.overviewDiagram().bestArrangement(for: slide, format: format, direction: overviewDirection)
        try GraphDrawing.checkLegible(placed.fit, what: "the overview", slide: slide, minimumText: minimumText)
        return GraphDrawing(diagram: placed.diagram, fit: placed.fit, note: nil)
    }

    /// Every operation (of the figure, or of one inner step), which must be legible; a graph too
    /// deep to be legible is refused before its (slow) layout.
    func full() throws -> GraphDrawing {
        let full = try figure.fullDiagram()
        let advice = figure.isStepDetail ? "add --collapse, or draw the whole figure's overview without --step"
            : "draw the overview with --view overview"
        let directions = direction.map { [$0] } ?? [.leftToRight, .topToBottom]
        let bound = directions.map { full.textSizeBound(on: slide, format: format, direction: $0) }.max()!
        if bound < minimumText - 0.05 {
            throw ValidationError("\(name(full)) would have at most \(String(format: "%.1f", bound)) pt text on a \(slide) slide, "
                + "under the \(minimumText.formatted) pt minimum: \(advice), or allow it with --min-text \(Int(bound.rounded(.down)))")
        }
        let placed = try full.bestArrangement(for: slide, format: format, direction: direction)
        try GraphDrawing.checkLegible(placed.fit, what: name(full), slide: slide, minimumText: minimumText, advice: advice)
        return GraphDrawing(diagram: placed.diagram, fit: placed.fit, note: nil)
    }

    /// The full graph when legible, else its overview with a note saying why.
    func fullOrOverview() throws -> GraphDrawing {
        let full = try figure.fullDiagram()
        let chosen = try SlideDrawing.choose(full, splitBackwardPasses: figure.splitsBackwardPasses, slide: slide, format: format,
                                             minimumText: minimumText, direction: direction)
        guard let fullSize = chosen.fullGraphTextSize else { return GraphDrawing(diagram: chosen.diagram, fit: chosen.fit, note: nil) }
        try GraphDrawing.checkLegible(chosen.fit, what: "its overview", slide: slide, minimumText: minimumText)
        let needed = (chosen.isFullGraphSizeBound ? "at most " : "") + String(format: "%.1f", fullSize)
        let note = "\(name(full)) would have \(needed) pt text on a \(slide) slide (minimum \(minimumText.formatted) pt), "
            + "so this draws its overview; --view full --min-text \(Int(fullSize.rounded(.down))) draws every operation"
            + (figure.preset == .maml ? ", --step k one inner step" : "")
        return GraphDrawing(diagram: chosen.diagram, fit: chosen.fit, note: note)
    }
}
