import Autodiff
import Foundation
import MetaLearning
import Plots
import TaskData

/// The second homework's second question: a network pre-trained as an ordinary classifier, its
/// features frozen and a new head trained per episode, against FO-MAML on the same test episodes.
public struct TransferChapter: Chapter {
    /// `transfer`.
    public let id = "transfer"
    /// The page heading.
    public let title = "Transfer learning versus meta-learning"
    /// One line for the list.
    public let summary = "Pre-train, freeze the features, fit a new head per episode; compared with FO-MAML on the same episodes."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let budget = ImageBudget(book: book)
        let pretrainIterations = book.pick("pre-training mini-batches", full: 1000, quick: 400, test: 2)
        let batchSize = book.pick("images per pre-training mini-batch", full: 64, quick: 32, test: 8)
        let headSteps = book.pick("head-training steps per episode", full: 50, quick: 25, test: 2)
        let data = try ImageData(budget: budget)
        let problem = try data.problem()

        book.section("Two ways to reuse experience")
        try data.describe(in: book)
        try book.note(budget.note())
        try book.paragraph("*Transfer learning* trains one network to tell apart all @{training_classes} training classes at once, "
            + "as ordinary classification. For a new \(budget.taskName) episode it keeps the convolutional blocks as they are, "
            + "throws the old output layer away, puts a fresh \(budget.ways)-way layer (all zeros) on top and trains only that "
            + "layer on the support set, with \(ImageBudget.count(headSteps, "step")) of gradient descent at rate 0.4:")
        try book.math("(W, b) \\leftarrow (W, b) - \\alpha \\nabla_{W, b} \\mathcal{L}(W, b, \\mathcal{D}^{\\text{sup}})")
        try book.paragraph("*Meta-learning* (FO-MAML here) never solves the big classification problem. It trains the "
            + "initialization of the whole network for what happens at test time: a few steps on a small support set, "
            + "judged on the queries.")

        book.section("Pre-training the classifier")
        let baseline = TransferLearning(pretrainIterations: pretrainIterations, batchSize: batchSize,
                                        adaptationSteps: headSteps, adaptationLearningRate: ImageBudget.innerLearningRate)
        book.progress("pre-training on \(problem.training.dataset.classes.count) classes: \(pretrainIterations) mini-batches")
        let pretrained = try baseline.pretrain(on: problem.training.dataset, filters: budget.filters, seed: book.settings.seed &+ 71)
        var lossFigure = Figure(title: "Pre-training on every training class", xLabel: "mini-batch", yLabel: "cross-entropy")
        try lossFigure.addLine(x: pretrained.losses.indices.map { Double($0 + 1) }, y: pretrained.losses, label: "mini-batch loss", width: 1)
        let window = max(1, pretrained.losses.count / 20)
        try lossFigure.addLine(x: pretrained.losses.indices.map { Double($0 + 1) }, y: movingAverage(pretrained.losses, window: window),
                               label: "moving average (\(window))", width: 2.5)
        try book.figure(lossFigure, name: "pretraining", caption: "Adam at rate 0.001 on mini-batches of \(batchSize) images "
            + "drawn from all training classes.")
        try book.keyNumbers([("pretraining_final_loss", "cross-entropy of the last mini-batch", pretrained.losses.last!, .significant(3), ""),
                             ("pretraining_batch_accuracy", "accuracy on the last mini-batches (all \(problem.training.dataset.classes.count) classes)",
                              pretrained.finalBatchAccuracy, .percent, "")])

        book.section("Meta-training FO-MAML")
        try book.paragraph("The meta-learner trains on the same training classes, but only ever as episodes: "
            + "\(budget.iterations) iterations of \(budget.metaBatch) \(budget.taskName) episodes, each adapted with "
            + "\(ImageBudget.count(budget.innerSteps, "step")) at rate 0.4 before its queries score the initialization. Every "
            + "\(max(1, budget.iterations / 10)) iterations it is adapted to \(budget.validationTasks) episodes of the validation "
            + "alphabets, and the best initialization so far is the one compared below.")
        let run = try ImageTrainingRun(budget.configuration(.fomaml, seed: book.settings.seed), problem: problem,
                                       book: book, folder: "fomaml-run")
        var curveFigure = Figure(title: "FO-MAML: validation accuracy after adaptation", xLabel: "iteration", yLabel: "query accuracy")
        let curve = run.validationCurve
        try curveFigure.addLine(x: curve.map { Double($0.iteration) }, y: curve.map(\.value), label: "FO-MAML", width: 2.5)
        try curveFigure.addScatter(x: curve.map { Double($0.iteration) }, y: curve.map(\.value))
        curveFigure.addHorizontalLine(y: 1 / Double(budget.ways), label: "chance", dash: .dotted)
        curveFigure.yLimits = 0...1
        try book.figure(curveFigure, name: "fomaml-validation", caption: "Each point adapts the current initialization to "
            + "\(budget.validationTasks) validation episodes and scores their queries.")
        try book.keyNumbers([
            ("fomaml_best_validation_accuracy", "FO-MAML's best validation accuracy", run.summary.bestValidation, .percent, ""),
            ("fomaml_best_iteration", "reached at iteration", Double(run.summary.bestIteration), .count, ""),
            ("fomaml_training_seconds", "meta-training time", run.summary.seconds, .significant(3), "s"),
        ])

        book.section("The same test episodes for both")
        try compare(book: book, budget: budget, data: data, baseline: baseline, pretrained: pretrained, meta: run.summary.parameters)
    }

    /// Accuracy against adaptation steps for both methods (and the pixel baseline) on one set of
    /// test episodes.
    func compare(book: Notebook, budget: ImageBudget, data: ImageData, baseline: TransferLearning,
                 pretrained: TransferLearning.Pretrained, meta: Parameters) throws {
        let test = try data.problem(heldOut: .test)
        let episodeSeed = book.settings.seed &+ 72
        var generator = SeededGenerator(seed: episodeSeed)
        let tasks = try test.evaluationTasks(count: budget.evaluationEpisodes, generator: &generator)
        // The same seed draws the same episodes again, for the pixel baseline that needs the images.
        var pixelGenerator = SeededGenerator(seed: episodeSeed)
        let episodes = test.validation.sampleBatch(count: budget.evaluationEpisodes, generator: &pixelGenerator)
        let nearest = episodes.map(nearestNeighbourAccuracy).reduce(0, +) / Double(episodes.count)
        try book.record("nearest_neighbour_accuracy", nearest, style: .percent)

        var figure = Figure(title: "\(budget.taskName) test episodes: accuracy against adaptation steps",
                            xLabel: "adaptation steps on the support set", yLabel: "query accuracy")
        var rows: [[TableCell]] = []
        let transferSteps = Array(Set([0, 1, 2, 5, 10, 25, baseline.adaptationSteps].filter { $0 <= baseline.adaptationSteps })).sorted()
        let mamlSteps = Array(Set([0, 1, 2, 3, 5, 10, budget.innerSteps].filter { $0 <= max(10, budget.innerSteps) })).sorted()
        let methods: [(key: String, label: String, steps: [Int], measure: (Int) -> EvaluationResult)] = [
            ("transfer", "transfer (frozen features, new head)", transferSteps, { steps in
                var variant = baseline
                variant.adaptationSteps = steps
                return variant.evaluate(pretrained, on: tasks, ways: budget.ways)
            }),
            ("fomaml", "FO-MAML (whole network adapts)", mamlSteps, { steps in
                evaluate(meta, on: tasks, innerLoop: InnerLoop(steps: steps, learningRate: .fixed(ImageBudget.innerLearningRate)))
            }),
        ]
        for method in methods {
            var accuracies: [Double] = []
            for steps in method.steps {
                book.progress("\(method.key): \(steps) steps on \(tasks.count) episodes")
                let result = method.measure(steps)
                let accuracy = result.accuracy?.mean ?? .nan
                accuracies.append(accuracy)
                try book.record("\(method.key)_accuracy_\(steps)_steps", accuracy, style: .percent)
                try book.record("\(method.key)_ci95_\(steps)_steps", result.accuracy?.halfWidth ?? 0, style: .points)
            }
            let color = figure.claimNextColor()
            try figure.addLine(x: method.steps.map(Double.init), y: accuracies, label: method.label, color: color, width: 2.5)
            try figure.addScatter(x: method.steps.map(Double.init), y: accuracies, color: color)
            let trained = method.key == "transfer" ? baseline.adaptationSteps : budget.innerSteps
            rows.append([.text(method.label), .text(String(trained)), .metric("\(method.key)_accuracy_\(trained)_steps"),
                         .metric("\(method.key)_ci95_\(trained)_steps")])
        }
        rows.append([.text("pixel nearest neighbour"), .text("–"), .metric("nearest_neighbour_accuracy"), .text("")])
        figure.addHorizontalLine(y: nearest, label: "pixel 1-NN")
        figure.addHorizontalLine(y: 1 / Double(budget.ways), label: "chance", dash: .dotted)
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 800
        try book.paragraph("Both methods are measured on the same \(tasks.count) episodes of the *test* alphabets, which neither "
            + "saw in training or model selection; each adapts on the support set and is scored on the queries.")
        try book.table(ResultTable(header: ["method", "adaptation steps", "query accuracy", "95% interval (±)"], rows: rows,
                                   caption: "Means over the same test episodes; the interval is 1.96 standard errors."))
        try book.figure(figure, name: "comparison", caption: "At zero steps neither model has seen the support set, and both sit "
            + "near chance: an episode's labels are numbered at random. The curves show how fast each one climbs from there.")
        let transfer = book.metrics["transfer_accuracy_\(baseline.adaptationSteps)_steps"]!.value
        let fomaml = book.metrics["fomaml_accuracy_\(budget.innerSteps)_steps"]!.value
        // The gap is noise when it lies inside the two intervals combined: √(h₁² + h₂²).
        let noise = hypot(book.metrics["transfer_ci95_\(baseline.adaptationSteps)_steps"]!.value,
                          book.metrics["fomaml_ci95_\(budget.innerSteps)_steps"]!.value)
        try book.record("fomaml_transfer_gap", abs(fomaml - transfer), style: .points)
        try book.record("fomaml_transfer_noise", noise, style: .points)
        let leader = fomaml > transfer ? "FO-MAML" : "transfer"
        // A gap that rounds to 0.0 points is no lead at all.
        let verdict = abs(fomaml - transfer) < 0.0005
            ? "On these episodes both score the same query accuracy, to a tenth of a percentage point (the noise of this "
                + "measurement, the two 95% intervals combined, is @{fomaml_transfer_noise})."
            : abs(fomaml - transfer) <= noise
            ? "On these episodes \(leader) scores higher by @{fomaml_transfer_gap} of query accuracy, which is within the noise "
                + "of this measurement (the two 95% intervals combined: @{fomaml_transfer_noise}): no winner here."
            : "On these episodes \(leader) scores higher by @{fomaml_transfer_gap} of query accuracy, more than the noise of "
                + "this measurement (the two 95% intervals combined: @{fomaml_transfer_noise})."
        try book.paragraph(verdict + " Which way it goes depends on the budgets, and both sides have a case. For meta-learning: "
            + "FO-MAML optimizes exactly what the test asks, learning from \(ImageBudget.count(budget.shots, "drawing")) per class "
            + "in a few steps, and lets every layer move; pre-training only learns to separate the *training* classes, and a "
            + "frozen body cannot adjust to strokes it never needed. For transfer: every pre-training step is a cheap, strong "
            + "signal over all classes at once, so with short runs its features can simply be better trained, and a head fitted "
            + "with many steps on good features is hard to beat. Published Omniglot results usually favour the fully trained "
            + "meta-learner; to test that at the course's budgets, train with `\(ImageBudget.courseCommand)` and then run "
            + "`workbook transfer --tasks omniglot --omniglot-root DIR --compare runs/fomaml/best.mamlckpt --out runs/transfer`.")
    }
}
