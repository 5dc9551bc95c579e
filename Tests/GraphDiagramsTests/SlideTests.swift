import Autodiff
import Foundation
import GraphDiagrams
import Testing

/// Every lecture figure on a 16:9 slide: exactly the slide's pixels, and no text under the
/// stated minimum (14 pt on a 7.5 in slide), measured from Graphviz's layout and again from the
/// rendered SVG.
@Suite struct SlideTests {
    /// A figure as `workbook graph --slide 16:9` draws it.
    struct Figure: CustomTestStringConvertible, Sendable {
        let name: String
        let splitsBackwardPasses: Bool
        let make: @Sendable () throws -> Diagram
        var testDescription: String { name }
    }

    static let figures: [Figure] = [
        Figure(name: "grad-of-grad", splitsBackwardPasses: false) { DiagramPresets.gradOfGrad() },
        Figure(name: "adam-step", splitsBackwardPasses: false) { DiagramPresets.adamStep() },
    ] + (1...5).flatMap { steps in
        [false, true].map { firstOrder in
            Figure(name: "maml \(steps) steps" + (firstOrder ? " first order" : ""), splitsBackwardPasses: true) {
                try DiagramPresets.maml(steps: steps, firstOrder: firstOrder)
            }
        }
    } + (0...5).map { order in
        Figure(name: "expr sin(x)*exp(x) order \(order)", splitsBackwardPasses: false) {
            try DiagramPresets.expression("sin(x)*exp(x)", order: order)
        }
    }

    /// The width and height in a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int) {
        let bytes = [UInt8](data)
        let read = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (read(16), read(20))
    }

    /// The smallest text of a Graphviz SVG as drawn: the smallest `font-size` times the scale
    /// of the drawing's transform, in points (the SVG is the slide's size in points).
    static func smallestRenderedText(svg: String) throws -> Double {
        let scale = try #require(svg.firstMatch(of: /transform="scale\(([0-9.]+)/).flatMap { Double($0.1) })
        let sizes = svg.matches(of: /font-size="([0-9.]+)"/).compactMap { Double($0.1) }
        return try #require(sizes.min()) * scale
    }

    @Test(arguments: figures)
    func figureFitsASlideLegibly(_ figure: Figure) throws {
        let drawing = try SlideDrawing.choose(figure.make(), splitBackwardPasses: figure.splitsBackwardPasses, slide: .widescreen)
        #expect(drawing.fit.smallestTextPoints >= SlideSize.minimumTextPoints - 0.05,
                "\(figure.name): smallest text \(drawing.fit.smallestTextPoints) pt")
        let png = try drawing.renderData()
        let size = Self.pngSize(png)
        #expect(abs(size.width - 1920) <= 2 && abs(size.height - 1080) <= 2, "\(figure.name): PNG is \(size.width)×\(size.height)")
        let svgFit = try drawing.diagram.fit(to: .widescreen, format: .svg)
        let svg = String(decoding: try drawing.diagram.renderData(fit: svgFit), as: UTF8.self)
        #expect(svg.contains("width=\"960pt\" height=\"540pt\""), "\(figure.name): the SVG page is not 960 × 540 pt")
        let rendered = try Self.smallestRenderedText(svg: svg)
        #expect(abs(rendered - svgFit.smallestTextPoints) < 0.1, "\(figure.name): rendered \(rendered) pt, layout says \(svgFit.smallestTextPoints)")
    }

    /// The README's figure (made by `workbook graph maml --steps 3 --slide 16:9`) is a 16:9 slide.
    @Test func committedOverviewIsASlide() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/maml-3-steps-overview.png")
        let size = Self.pngSize(try Data(contentsOf: file))
        #expect(size.width == 1920 && size.height == 1080)
    }

    /// The PDF page is the slide: 960 × 540 points for 16:9.
    @Test func pdfPageIsTheSlide() throws {
        let data = try DiagramPresets.mamlOverview(steps: 2).renderData(format: .pdf, slide: .widescreen)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("/MediaBox [ 0 0 960 540 ]"))
    }

    /// The full second-order MAML graph is far from legible on a slide; the overview is chosen.
    @Test func bigGraphsGetTheirOverview() throws {
        let drawing = try SlideDrawing.choose(DiagramPresets.maml(steps: 2), splitBackwardPasses: true, slide: .widescreen)
        #expect(drawing.isOverview)
        // Too deep to lay out for nothing: the bound from its longest chain settles it.
        #expect(drawing.isFullGraphSizeBound)
        #expect((drawing.fullGraphTextSize ?? 99) < 6)
        #expect(drawing.diagram.nodes.allSatisfy { $0.kind == .group })
    }

    /// Slides by name or pixel size; anything else names the text.
    @Test func slideSizesParse() throws {
        #expect(try SlideSize(parsing: "16:9") == .widescreen)
        #expect(try SlideSize(parsing: "4:3") == SlideSize(widthPixels: 1440, heightPixels: 1080))
        let custom = try SlideSize(parsing: "1280x720")
        #expect(custom.dotsPerInch == 96 && custom.widthPoints == 960 && custom.heightPoints == 540)
        #expect(throws: DiagramError.self) { try SlideSize(parsing: "3:2") }
        #expect(throws: DiagramError.invalidSetting("\"12x7\" must have sides of 100 to 10000 pixels")) {
            try SlideSize(parsing: "12x7")
        }
    }

    /// The bound never undercuts the measured size (so a legible graph is never skipped).
    @Test(arguments: [0, 2, 12])
    func boundIsAnUpperBound(_ index: Int) throws {
        let full = try Self.figures[index].make()
        for direction in [RankDirection.leftToRight, .topToBottom] {
            let measured = try full.withRankDirection(direction).fit(to: .widescreen).smallestTextPoints
            #expect(full.textSizeBound(on: .widescreen, direction: direction) >= measured - 0.01)
        }
    }

    /// No two texts of the slide figures overlap (edge labels crossing node labels were the
    /// old figures' problem), and every text lies inside the drawing.
    @Test(arguments: [0, 4, 10])
    func textsDoNotOverlap(_ index: Int) throws {
        let figure = Self.figures[index]
        let drawing = try SlideDrawing.choose(figure.make(), splitBackwardPasses: figure.splitsBackwardPasses, slide: .widescreen)
        let texts = drawing.fit.layout.texts
        for (i, text) in texts.enumerated() {
            #expect(text.minX >= -1 && text.maxX <= drawing.fit.layout.width + 1, "\(figure.name): \"\(text.text)\" sticks out")
            for other in texts[(i + 1)...] {
                #expect(!text.overlaps(other), "\(figure.name): \"\(text.text)\" overlaps \"\(other.text)\"")
            }
        }
    }
}
