import ArgumentParser
import Foundation
import GraphDiagrams

/// `workbook graph`: renders differentiated computation graphs.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Render a computation-graph diagram.",
        discussion: """
            Presets: grad-of-grad (f(x) = sin(x)·x with f′ and f″), maml (meta-objective through \
            --steps inner steps; --first-order for FO-MAML), adam-step (one Adam update), custom \
            (prints how to draw your own function from code).
            Example: workbook graph grad-of-grad --format svg --out grad-of-grad.svg
            """)

    /// The figures this command knows.
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case gradOfGrad = "grad-of-grad", maml, adamStep = "adam-step", custom
    }

    @Argument(help: "The figure: grad-of-grad, maml, adam-step or custom.")
    var preset: Preset

    @Option(help: "svg, png, pdf or dot (default: the extension of --out).")
    var format: String?

    @Option(help: "The file to write.")
    var out: String?

    @Option(help: "Inner SGD steps in the maml figure (1-5).")
    var steps: Int = 1

    @Flag(help: "Draw first-order MAML (inner gradients treated as constants).")
    var firstOrder = false

    @Option(help: "Layout direction: LR (left to right) or TB (top to bottom); default TB for maml, else LR.")
    var rankdir: String?

    @Flag(help: "Merge chains of element-wise operations into one box.")
    var collapse = false

    @Flag(help: "Draw constant operands as boxes of their own.")
    var showConstants = false

    @Flag(help: "Print small tensors' values inside their boxes.")
    var showValues = false

    @Option(help: "A caption instead of the preset's own.")
    var title: String?

    func run() throws {
        guard preset != .custom else { return print(DiagramPresets.customUsage) }
        guard let out else { throw ValidationError("--out FILE is required for the \(preset.rawValue) figure") }
        let chosenDirection = rankdir ?? (preset == .maml ? "TB" : "LR")
        guard let direction = RankDirection(rawValue: chosenDirection.uppercased()) else {
            throw ValidationError("--rankdir must be LR or TB, got \(chosenDirection)")
        }
        let chosenFormat = try format.map { try DiagramFormat(fileExtension: $0) }
        let options = DiagramOptions(collapseElementwiseChains: collapse, showConstants: showConstants,
                                     showValues: showValues, rankDirection: direction, title: title)
        let diagram: Diagram = switch preset {
        case .maml: try DiagramPresets.maml(steps: steps, firstOrder: firstOrder, options: options)
        case .adamStep: DiagramPresets.adamStep(options: options)
        case .gradOfGrad, .custom: DiagramPresets.gradOfGrad(options: options)
        }
        try diagram.render(to: out, format: chosenFormat)
        let counts = diagram.nodeCounts().sorted { $0.key < $1.key }.map { "order \($0.key): \($0.value)" }
        print("wrote \(out) (\(diagram.nodes.count) boxes; \(counts.joined(separator: ", ")))")
    }
}
