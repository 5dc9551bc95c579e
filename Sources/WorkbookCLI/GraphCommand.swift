import ArgumentParser
import Foundation
import GraphDiagrams

/// `workbook graph`: renders differentiated computation graphs, for slides among other uses.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Render a computation-graph diagram (of a lecture figure or of a formula you type).",
        discussion: """
            Figures: grad-of-grad (f(x) = sin(x)·x with f′ and f″), maml (the meta-objective through \
            --steps inner steps; --first-order for FO-MAML), adam-step (one Adam update), expr (a formula \
            and its derivatives to --order; "custom" is the same).
            Formulas: numbers, variables, + - * / ^ (or **), parentheses, and the functions exp log sin cos \
            sqrt tanh sigmoid relu abs, sum(a) and dot(a, b). Variables are 0.5 unless set with --at.
            On a slide (--slide 16:9 or 4:3, or --size WxH) every text must be at least --min-text points \
            (14: 28 px at 1920x1080); a graph too big for that is drawn as its overview (one box per scope \
            and pass) unless --view full is asked for, which then fails and says what would fit.
            Examples:
              workbook graph expr "sin(x)*exp(x)" --order 3 --slide 16:9 --out d3.png
              workbook graph maml --steps 5 --slide 16:9 --out maml5.png
              workbook graph maml --steps 2 --step 2 --slide 16:9 --min-text 9 --out step2.pdf
              workbook graph maml --steps 2 --format txt > maml.txt
            """)

    @Argument(help: "The figure: grad-of-grad, maml, adam-step or expr (custom).")
    var figure: GraphFigure.Preset

    @Argument(help: "The formula, for expr: for example \"sin(x)*exp(x)\".")
    var expression: String?

    @Option(help: "svg, png, pdf, dot or txt (the text listing); default: the extension of --out.")
    var format: String?

    @Option(help: "The file to write (for dot and txt, standard output when left out).")
    var out: String?

    @Option(parsing: .unconditional, help: "Inner SGD steps in the maml figure (1-5).")
    var steps: Int = 1

    @Flag(help: "Draw first-order MAML (inner gradients treated as constants).")
    var firstOrder = false

    @Option(parsing: .unconditional, help: "maml: draw inner step k in full (its operations, the rest grouped around it).")
    var step: Int?

    @Option(parsing: .unconditional, help: "expr: the highest derivative to take (0-5).")
    var order: Int = 1

    @Option(name: .customLong("at"), help: "expr: a variable's value, NAME=NUMBER or NAME=[NUMBERS] (repeatable).")
    var values: [String] = []

    @Option(help: "auto (full, or the overview when the full graph is not legible on the slide), full or overview.")
    var view: GraphFigure.View = .auto

    @Option(help: "Fit the drawing to a slide: 16:9 (1920x1080) or 4:3 (1440x1080).")
    var slide: String?

    @Option(help: "Fit the drawing to a slide of WIDTHxHEIGHT pixels (a 7.5 in tall slide), for example 1280x720.")
    var size: String?

    @Option(parsing: .unconditional, help: "On a slide, the smallest text allowed, in points on the slide.")
    var minText: Double = SlideSize.minimumTextPoints

    @Option(help: "Layout direction: LR (left to right) or TB (top to bottom); default LR, or on a slide the one that fits better.")
    var rankdir: String?

    @Flag(help: "Merge chains of element-wise operations into one box.")
    var collapse = false

    @Flag(help: "Draw constant operands as boxes of their own.")
    var showConstants = false

    @Flag(help: "Print small tensors' values inside their boxes.")
    var showValues = false

    @Flag(help: "Print each value with the gradient of the first output with respect to it (data │ grad).")
    var showGrads = false

    @Flag(help: "Label arrows that carry more than a number with the tensor's shape.")
    var shapes = false

    @Flag(help: "Print the bytes each box keeps for the backward pass, summed per cluster (the memory view).")
    var memory = false

    @Option(help: "A caption instead of the figure's own.")
    var title: String?

    func validate() throws {
        try figureRequest().validate()
        if slide != nil, size != nil { throw ValidationError("give --slide or --size, not both") }
        _ = try slideSize()
        if let rankdir, RankDirection(rawValue: rankdir.uppercased()) == nil {
            throw ValidationError("--rankdir must be LR or TB, got \(rankdir)")
        }
        guard minText > 0, minText <= 72 else { throw ValidationError("--min-text must be above 0 and at most 72 points, got \(minText)") }
    }

    /// The slide asked for, if any; an error names the flag and its value.
    func slideSize() throws -> SlideSize? {
        for (flag, value) in [("--slide", slide), ("--size", size)] {
            guard let value else { continue }
            do {
                return try SlideSize(parsing: value)
            } catch let error as DiagramError {
                guard case .invalidSetting(let problem) = error else { throw error }
                throw ValidationError("\(flag): \(problem)")
            }
        }
        return nil
    }

    func figureRequest() -> GraphFigure {
        GraphFigure(preset: figure, expression: expression, steps: steps, firstOrder: firstOrder, step: step,
                    order: order, values: values, view: view,
                    options: DiagramOptions(collapseElementwiseChains: collapse, showConstants: showConstants,
                                            showValues: showValues, showGradients: showGrads, showShapes: shapes,
                                            showMemory: memory, rankDirection: .leftToRight, title: title))
    }

    func run() throws {
        let start = Date()
        let chosenFormat = try format.map { try DiagramFormat(fileExtension: $0) }
            ?? out.map { try DiagramFormat(fileExtension: URL(fileURLWithPath: $0).pathExtension) }
        guard let chosenFormat else {
            throw ValidationError("give --out FILE (svg, png, pdf, dot or txt), or --format dot or txt to print to standard output")
        }
        guard out != nil || !chosenFormat.isDrawing else {
            throw ValidationError("--out FILE is required for \(chosenFormat) output")
        }
        let request = figureRequest()
        let direction = rankdir.flatMap { RankDirection(rawValue: $0.uppercased()) }
        let drawing = try GraphDrawing.make(request, slide: try slideSize(), direction: direction, minimumText: minText,
                                            format: chosenFormat)
        if let note = drawing.note { print(note) }
        guard let out else {
            print(String(decoding: try drawing.diagram.renderData(format: chosenFormat), as: UTF8.self), terminator: "")
            return
        }
        let data = try drawing.fit.map { try drawing.diagram.renderData(fit: $0) }
            ?? drawing.diagram.renderData(format: chosenFormat)
        do {
            try data.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw DiagramError.cannotWrite(path: out, reason: error.localizedDescription)
        }
        print("wrote \(out): " + drawing.summary(seconds: Date().timeIntervalSince(start)))
    }
}
