import Foundation

/// A diagram made ready for a slide: the full graph when all its text is legible there, else
/// its overview, each in the arrangement that gives it the largest text.
public struct SlideDrawing: Sendable {
    /// What is drawn.
    public let diagram: Diagram
    /// How it sits on the slide.
    public let fit: SlideFit
    /// The full graph's fit when it was too small to read and the overview is drawn instead
    /// (nil when the full graph is drawn, or when it was not laid out; see `fullGraphTextSize`).
    public let fullGraphFit: SlideFit?
    /// The size the full graph's smallest text would have had, when the overview is drawn
    /// instead: measured from its layout, or, for graphs too deep to lay out quickly, the
    /// bound `Diagram.textSizeBound(on:format:direction:)` (`isFullGraphSizeBound`).
    public let fullGraphTextSize: Double?
    /// Whether `fullGraphTextSize` is a bound rather than a measurement.
    public let isFullGraphSizeBound: Bool

    /// Whether the overview is drawn in place of the full graph.
    public var isOverview: Bool { fullGraphTextSize != nil }

    /// Chooses between `full` and `overview()` for `slide`: the full graph when its smallest
    /// text is at least `minimumText` points there, else the overview (whatever its size; check
    /// `fit.isLegible`). `direction` fixes the full graph's direction (else the better one is
    /// taken); the overview keeps its own unless `overviewDirection` is given.
    public static func choose(full: Diagram, overview: () throws -> Diagram, slide: SlideSize,
                              format: DiagramFormat = .png, minimumText: Double = SlideSize.minimumTextPoints,
                              direction: RankDirection? = nil, overviewDirection: RankDirection? = nil) throws -> SlideDrawing {
        let directions = direction.map { [$0] } ?? [.leftToRight, .topToBottom]
        let bound = directions.map { full.textSizeBound(on: slide, format: format, direction: $0) }.max()!
        var fullFit: SlideFit?
        if bound >= minimumText - 0.05 {
            let placed = try full.bestArrangement(for: slide, format: format, direction: direction)
            if placed.fit.isLegible(minimum: minimumText) {
                return SlideDrawing(diagram: placed.diagram, fit: placed.fit, fullGraphFit: nil, fullGraphTextSize: nil,
                                    isFullGraphSizeBound: false)
            }
            fullFit = placed.fit
        }
        let placedSummary = try overview().bestArrangement(for: slide, format: format, direction: overviewDirection)
        return SlideDrawing(diagram: placedSummary.diagram, fit: placedSummary.fit, fullGraphFit: fullFit,
                            fullGraphTextSize: fullFit?.smallestTextPoints ?? bound, isFullGraphSizeBound: fullFit == nil)
    }

    /// Chooses between `full` and its overview (`Diagram.titledOverview(splitBackwardPasses:)`)
    /// for `slide`, as `choose(full:overview:...)` does; an overview that splits backward passes
    /// into columns is drawn top to bottom unless `direction` says otherwise.
    public static func choose(_ full: Diagram, splitBackwardPasses: Bool, slide: SlideSize, format: DiagramFormat = .png,
                              minimumText: Double = SlideSize.minimumTextPoints,
                              direction: RankDirection? = nil) throws -> SlideDrawing {
        try choose(full: full, overview: { full.titledOverview(splitBackwardPasses: splitBackwardPasses) }, slide: slide,
                   format: format, minimumText: minimumText, direction: direction,
                   overviewDirection: direction ?? (splitBackwardPasses ? .topToBottom : nil))
    }

    /// The drawing as image or document bytes of exactly the slide's size.
    public func renderData() throws -> Data {
        try diagram.renderData(fit: fit)
    }
}
