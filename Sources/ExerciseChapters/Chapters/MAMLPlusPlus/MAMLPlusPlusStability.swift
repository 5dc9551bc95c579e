import Autodiff
import MAMLPlusPlus
import NeuralNetworks
import Notebook
import Plots
import TaskData

/// The sizes of the chapter's comparison, picked by the budget: few-shot episodes and a small
/// convolutional network, so that several seeds of both methods fit in minutes.
struct StabilityBudget {
    let ways: Int, shots: Int, queries: Int, filters: Int, metaBatch: Int
    let iterations: Int, innerSteps: Int, seeds: Int, validationEpisodes: Int, syntheticClasses: Int

    /// Picks every size through `book`, so that the page lists what a smaller budget reduced.
    init(_ book: Notebook) {
        ways = book.pick("classes per episode", full: 5, quick: 5, test: 3)
        shots = book.pick("support drawings per class", full: 1, quick: 1, test: 1)
        queries = book.pick("query drawings per class", full: 5, quick: 5, test: 2)
        filters = book.pick("filters per conv block", full: 8, quick: 8, test: 4)
        metaBatch = book.pick("episodes per meta-batch", full: 4, quick: 2, test: 2)
        iterations = book.pick("meta-training iterations (epochs)", full: 60, quick: 20, test: 2)
        innerSteps = book.pick("inner steps", full: 3, quick: 2, test: 1)
        seeds = book.pick("seeds per method", full: 2, quick: 2, test: 1)
        validationEpisodes = book.pick("validation episodes", full: 10, quick: 5, test: 2)
        syntheticClasses = book.pick("synthetic glyph classes", full: 400, quick: 400, test: 100)
    }

    /// The MAML++ schedules of a run of `epochs` epochs with K = `steps`: the weights anneal and the
    /// order switches at half-time, the outer rate falls from 0.001 to 0.0001 over the whole run.
    static func schedules(epochs: Int, steps: Int) throws -> MAMLPlusPlusSettings {
        MAMLPlusPlusSettings(multiStepLoss: try MultiStepLossSchedule(steps: steps, annealEpochs: max(1, epochs / 2)),
                             outerRate: try OuterRateSchedule(initial: 0.001, minimum: 0.0001, totalEpochs: max(1, epochs)),
                             order: try DerivativeOrderSchedule(firstOrderEpochs: epochs / 2))
    }
}

extension MAMLPlusPlusChapter {
    /// MAML++ and first-order MAML, both from the student's pieces, over seeds: validation curves with their spread.
    func stabilitySection(_ book: Notebook, _ gate: ExerciseGate, budget: StabilityBudget) throws {
        book.section("MAML++ against first-order MAML")
        let images = try ImageSource(syntheticClasses: budget.syntheticClasses)
        try images.describe(in: book)
        try book.paragraph("Both methods train a \(budget.filters)-filter conv net on \(budget.ways)-way \(budget.shots)-shot episodes "
            + "for \(budget.iterations) epochs of \(budget.metaBatch) episodes, over \(budget.seeds) seed\(budget.seeds == 1 ? "" : "s"), "
            + "with Adam outside and K = \(budget.innerSteps) inner steps starting at α = 0.4. *MAML++* uses all four pieces. "
            + "*First-order MAML* is built from the same functions with its rates kept at 0.4, only the last step scored, first order "
            + "throughout and a constant outer rate. Validation adapts held-out episodes with each run's own rates.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let curves = try gate.run(functions.allChecks, doing: "training MAML++ and first-order MAML", { () -> [[[(Int, Double)]]] in
            let sampler = { (dataset: ImageDataset) in
                try EpisodeSampler(dataset: dataset, ways: budget.ways, shots: budget.shots, queries: budget.queries)
            }
            var validationGenerator = SeededGenerator(seed: seed &+ 71)
            let heldOut = try sampler(images.validation).sampleBatch(count: budget.validationEpisodes, generator: &validationGenerator)
            let training = try sampler(images.training)
            return try [true, false].map { plusPlus in
                try (0..<budget.seeds).map { index in
                    book.progress("\(plusPlus ? "MAML++" : "first-order MAML"), seed \(index + 1) of \(budget.seeds)")
                    return try train(plusPlus: plusPlus, seed: seed &+ 72 &+ UInt64(index), training: training, heldOut: heldOut, budget: budget)
                }
            }
        }) else { return }
        var figure = Figure(title: "Validation accuracy over \(budget.seeds) seed\(budget.seeds == 1 ? "" : "s")", xLabel: "epoch",
                            yLabel: "query accuracy after adaptation")
        var rows: [[TableCell]] = []
        for (runs, (label, key)) in zip(curves, [("MAML++", "mamlpp"), ("first-order MAML", "fomaml")]) {
            let x = runs[0].map { Double($0.0) }
            let columns = x.indices.map { point in runs.map { $0[point].1 } }
            let (mean, low, high) = (columns.map { $0.reduce(0, +) / Double($0.count) }, columns.map { $0.min()! }, columns.map { $0.max()! })
            let color = figure.claimNextColor()
            try figure.addBand(x: x, lower: low, upper: high, label: "\(label): lowest to highest seed", color: color)
            try figure.addLine(x: x, y: mean, label: "\(label): mean", color: color, width: 2.5)
            try book.record("\(key)_final_mean_accuracy", try finite(mean.last!, "the final accuracy"), digits: 3)
            try book.record("\(key)_final_spread", high.last! - low.last!, digits: 3)
            rows.append([.text(label), .metric("\(key)_final_mean_accuracy"), .metric("\(key)_final_spread")])
        }
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 800
        try book.figure(figure, name: "stability", caption: "Lines: the mean over seeds; bands: lowest to highest seed at each validation.")
        try book.table(ResultTable(header: ["method", "final accuracy (mean)", "spread over seeds"], rows: rows,
                                   caption: "Spread: the highest seed's final accuracy minus the lowest's."))
    }

    /// One run from the student's pieces: MAML++ with every schedule, or first-order MAML with the
    /// rates frozen at 0.4, last-step weights, first order and a constant rate. Returns (epoch, accuracy) points.
    func train(plusPlus: Bool, seed: UInt64, training: EpisodeSampler, heldOut: [Episode], budget: StabilityBudget) throws -> [(Int, Double)] {
        let network = ConvNet(ways: budget.ways, filters: budget.filters)
        let model: Classifier = { network($0, $1) }
        let steps = budget.innerSteps
        var generator = SeededGenerator(seed: seed)
        let theta = network.initialize(generator: &generator)
        var meta = theta.merging(try functions.initialInnerRates(theta, steps, 0.4))
        let settings = try StabilityBudget.schedules(epochs: budget.iterations, steps: steps)
        let order = plusPlus ? settings.order : try DerivativeOrderSchedule(firstOrderEpochs: Int.max)
        let learned = plusPlus ? meta.names : theta.names
        var adam = Adam(learningRate: settings.outerRate.initial)
        var state = adam.initialState(for: meta.selecting(learned))
        var curve = [(0, try validationAccuracy(meta, heldOut, model: model, steps: steps))]
        let every = max(1, budget.iterations / 5)
        for epoch in 0..<budget.iterations {
            let tasks = training.sampleBatch(count: budget.metaBatch, generator: &generator).map { MetaTask(episode: $0, model: model) }
            let weights = plusPlus ? try functions.importanceWeights(epoch, settings.multiStepLoss) : Array(repeating: 0, count: steps - 1) + [1]
            let objective: TaskObjective = { meta, task in
                try functions.multiStepLoss(try functions.adapt(meta, task.supportLoss, steps), task.queryLoss, weights)
            }
            let result = try functions.metaGradient(meta, tasks, epoch, order, objective)
            _ = try finite(result.loss, "the meta-loss at epoch \(epoch)")
            if plusPlus { adam.learningRate = try functions.outerLearningRate(epoch, settings.outerRate) }
            let (updated, next) = adam.step(meta.selecting(learned), result.gradient.selecting(learned), state)
            (meta, state) = (meta.merging(updated.detached()), next)
            if (epoch + 1) % every == 0 || epoch + 1 == budget.iterations {
                curve.append((epoch + 1, try validationAccuracy(meta, heldOut, model: model, steps: steps)))
            }
        }
        return curve
    }

    /// The mean query accuracy over `episodes` after K steps of the student's `adapt` with the rates in `meta`.
    func validationAccuracy(_ meta: Parameters, _ episodes: [Episode], model: @escaping Classifier, steps: Int) throws -> Double {
        let accuracies = try episodes.map { episode in
            let task = MetaTask(episode: episode, model: model)
            let adapted = try withFirstOrderGradients { try functions.adapt(meta, task.supportLoss, steps).last! }.detached()
            return accuracy(logits: withoutRecording { model(adapted, episode.queryImages) }, labels: episode.queryLabels)
        }
        return try finite(accuracies.reduce(0, +) / Double(accuracies.count), "the validation accuracy")
    }
}
