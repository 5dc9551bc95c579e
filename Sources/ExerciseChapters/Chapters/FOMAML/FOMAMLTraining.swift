import Autodiff
import FOMAML
import NeuralNetworks
import Notebook
import Plots
import TaskData

extension FOMAMLChapter {
    /// Meta-training through the given `trainFOMAML`, which calls the student's loops.
    func trainingSection(_ book: Notebook, _ gate: ExerciseGate, data: TrainingData, settings: TrainingSettings) throws -> TrainingRun? {
        book.section("Meta-training with your loops")
        try book.paragraph("Your `outerLoop` adapts each episode of a meta-batch from $\\theta$ with your `innerLoop` and returns the "
            + "first-order meta-gradient, the query gradient taken at the adapted parameters as if they were $\\theta$:")
        try book.math("g = \\frac{1}{n} \\sum_{i=1}^{n} \\nabla_\\phi \\mathcal{L}(\\phi, \\mathcal{D}_i^{\\text{query}}) |_{\\phi = \\phi_i^L}")
        try book.paragraph("The given `trainFOMAML` feeds $g$ to Adam (rate \(settings.outerLearningRate)) for \(settings.iterations) "
            + "iterations of \(settings.metaBatch) episodes and validates on \(settings.validationEpisodes) held-out episodes. This page uses "
            + "\(settings.ways)-way \(settings.shots)-shot episodes and \(settings.filters) filters to finish in minutes; the assessment "
            + "(5-way 5-shot, 64 filters, on Omniglot) is `FOMAMLTrain`.")
        let functions = self.functions
        guard let run = try gate.run(functions.loopChecks, doing: "meta-training with trainFOMAML", { () -> TrainingRun in
            let run = try functions.train(data, settings) { progress in
                if progress.iteration % max(1, settings.iterations / 10) == 0 {
                    book.progress("iteration \(progress.iteration)/\(progress.iterations), query accuracy \(progress.queryAccuracy)")
                }
            }
            for point in run.curve { _ = try finite(point.accuracy, "the validation accuracy at iteration \(point.iteration)") }
            return run
        }) else { return nil }
        var figure = Figure(title: "Validation accuracy after adaptation", xLabel: "iteration", yLabel: "query accuracy")
        try figure.addLine(x: run.curve.map { Double($0.iteration) }, y: run.curve.map(\.accuracy), label: "your FO-MAML", width: 2.5)
        figure.addHorizontalLine(y: 0.8, label: "80%: the assessment's bar (5-shot)", color: .black)
        figure.addHorizontalLine(y: 1 / Double(settings.ways), label: "chance", dash: .dotted)
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 760
        try book.figure(figure, name: "validation", caption: "Each point adapts the current $\\theta$ to the same held-out episodes with your "
            + "`innerLoop` and measures their queries.")
        try book.keyNumbers([("best_validation_accuracy", "best validation accuracy", run.best.accuracy),
                             ("best_iteration", "reached at iteration", Double(run.best.iteration)),
                             ("training_seconds", "seconds of training", run.seconds)], digits: 3)
        return run
    }

    /// The trained initialization on one meta-batch of held-out episodes, through the student's outer loop.
    func trainedSection(_ book: Notebook, _ gate: ExerciseGate, data: TrainingData, settings: TrainingSettings, run: TrainingRun?) throws {
        book.section("The trained initialization on held-out episodes")
        try book.paragraph("Your `outerLoop` on \(settings.metaBatch) held-out episodes, from the trained $\\theta$: the support accuracy "
            + "before and after the inner steps, and the query accuracy and loss after them.")
        guard let run else {
            if try gate.open(functions.loopChecks) { try book.note("The meta-training section stopped, so there is no trained network.", kind: .warning) }
            return
        }
        let functions = self.functions
        let seed = book.settings.seed
        guard let result = try gate.run(functions.loopChecks, doing: "evaluating the trained initialization", { () -> MetaBatchResult in
            var generator = SeededGenerator(seed: seed &+ 53)
            let episodes = data.validation.sampleBatch(count: settings.metaBatch, generator: &generator)
            let network = run.network
            let model: Classifier = { network($0, $1) }
            let inner = try settings.innerLoopSettings()
            return try withFirstOrderGradients {
                try functions.outerLoop(run.parameters.detached(), episodes, model) { try functions.innerLoop($0, $1, model, inner) }
            }
        }) else { return }
        try book.keyNumbers([
            ("support_accuracy_before", "support accuracy before adapting", try finite(result.supportAccuracies.first ?? .nan, "the support accuracy")),
            ("support_accuracy_after", "after \(settings.innerSteps) inner steps", try finite(result.supportAccuracies.last ?? .nan, "the support accuracy")),
            ("query_accuracy_after", "query accuracy after adapting", try finite(result.queryAccuracy, "the query accuracy")),
            ("query_loss_after", "query loss after adapting (the FO-MAML objective)", try finite(result.loss, "the query loss")),
        ], digits: 3)
    }
}
