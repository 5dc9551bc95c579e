import Foundation
import GraphDiagrams
import MetaLearning
import NeuralNetworks
import TaskData

/// The main job on embedded defaults: the grad-of-grad and MAML diagrams, and a short sinusoid
/// MAML run with its curves and the before/after-adaptation figure.
public struct Demo {
    /// Where everything goes.
    public let output: URL
    /// Meta-training iterations of the sine run.
    public let iterations: Int
    /// Whether the sine run continues from the checkpoint an interrupted demo left in `output`.
    public let resume: Bool

    /// A demo writing into `output`; `resume` continues an interrupted sine run.
    public init(output: URL, iterations: Int = 10000, resume: Bool = false) {
        self.output = output
        self.iterations = iterations
        self.resume = resume
    }

    /// Ctrl-C stopped the sine run; its checkpoint and report are saved and the narrative said
    /// how to continue.
    public struct Interrupted: Error, CustomStringConvertible {
        /// The iteration the run stopped at.
        public let iteration: Int
        /// A sentence for the terminal.
        public var description: String { "the demo was interrupted at iteration \(iteration)" }
    }

    /// Runs the demo; `say` receives the narrative lines. Returns the files written.
    @discardableResult
    public func run(showProgress: Bool = true, say: (String) -> Void = { print($0) }) throws -> [URL] {
        var written: [URL] = []
        let diagrams = output.appendingPathComponent("diagrams")
        try FileManager.default.createDirectory(at: diagrams, withIntermediateDirectories: true)

        say("1. Grad of grad: f(x) = sin(x)·x, f′ and f″, each pass coloured by its derivative order.")
        let gradOfGrad = DiagramPresets.gradOfGrad()
        for format in ["svg", "png", "dot"] {
            let url = diagrams.appendingPathComponent("grad-of-grad.\(format)")
            try gradOfGrad.render(to: url)
            written.append(url)
        }
        let counts = gradOfGrad.nodeCounts().sorted { $0.key < $1.key }.map { "order \($0.key): \($0.value)" }
        say("   operations by derivative order: \(counts.joined(separator: ", "))")

        say("2. The MAML meta-objective through 2 inner steps, second order and first order.")
        for firstOrder in [false, true] {
            let figure = try DiagramPresets.maml(steps: 2, firstOrder: firstOrder)
            let url = diagrams.appendingPathComponent(firstOrder ? "fomaml-2-steps.svg" : "maml-2-steps.svg")
            try figure.render(to: url)
            written.append(url)
            let total = figure.nodeCounts().values.reduce(0, +)
            say("   \(firstOrder ? "first order " : "second order"): \(total) operations")
        }

        say("3. Sinusoid MAML (y = A sin(x + φ), 10 shots, one inner step at α = 0.01), \(iterations) iterations.")
        let run = output.appendingPathComponent("sine-maml")
        var configuration = TaskChoice.sine.defaults.configuration
        configuration.iterations = iterations
        configuration.validateEvery = max(1, iterations / 20)
        configuration.checkpointEvery = max(1, iterations / 4)
        configuration.evaluationInnerSteps = 1
        let (problem, data, task) = try TaskChoice.sine.problem(shots: 10, queries: 10)
        let summary = try MetaTrainer(configuration: configuration, problem: problem, task: task)
            .run(files: .init(folder: run), resume: resume, overwrite: !resume, showProgress: showProgress)
        let report = RunReport(summary: summary, configuration: configuration, problemName: problem.name,
                               isClassification: false, details: ["data": data, "shots": "10", "queries": "10"], task: task)
        written += try report.write(to: run)
        if summary.interrupted {
            say("   \(report.outcomeSentence).")
            say("Interrupted: the run so far (checkpoint, metrics and plots) is in \(run.path). Continue it with "
                + "'workbook demo --resume' and the same --out and --iterations, or start over with 'workbook demo'.")
            throw Interrupted(iteration: summary.lastIteration)
        }

        let fits = AdaptationFigure(parameters: summary.parameters, model: TaskChoice.sine.regressionModel,
                                    family: SineAmplitudePhaseFamily(), shots: 10, innerLearningRate: 0.01, steps: [0, 1, 10])
        let outcome = try fits.make(title: "A new sine task: the learned init and its fit after 1 and 10 steps", seed: 2026)
        let (figure, mse) = (outcome.figure, outcome.mse)
        try figure.write(to: run, name: "adaptation")
        written += ["svg", "csv"].map { run.appendingPathComponent("adaptation.\($0)") }
        say(String(format: "   best validation MSE after one step: %.3f (iteration %d); new task MSE: init %.3f, 1 step %.3f, 10 steps %.3f",
                   summary.bestValidation, summary.bestIteration, mse[0] ?? .nan, mse[1] ?? .nan, mse[10] ?? .nan))
        say("Wrote \(written.count) files under \(output.path):")
        for url in written { say("   \(url.path)") }
        return written
    }
}
