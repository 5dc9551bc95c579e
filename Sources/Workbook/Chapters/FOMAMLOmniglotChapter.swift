import Autodiff
import Foundation
import MetaLearning
import Plots
import TaskData

/// The second homework's first question: few-shot episodes of handwritten characters, first-order
/// MAML on a conv net with its validation curve against the 80% bar, a pixel nearest-neighbour
/// baseline, and MAML++ against FO-MAML over several seeds.
public struct FOMAMLOmniglotChapter: Chapter {
    /// `fomaml-omniglot`.
    public let id = "fomaml-omniglot"
    /// The page heading.
    public let title = "First-order MAML on handwritten characters"
    /// One line for the list.
    public let summary = "Few-shot episodes as image grids, FO-MAML's validation curve and the 80% bar, MAML++ stability over seeds."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let budget = ImageBudget(book: book, fullShots: 5, fullIterations: 250)
        let seeds = book.pick("seeds of the stability comparison", full: 3, quick: 2, test: 2)
        let stabilityIterations = book.pick("iterations per stability run", full: 60, quick: 40, test: 2)
        let data = try ImageData(budget: budget)
        let problem = try data.problem()

        book.section("Few-shot episodes")
        try data.describe(in: book)
        try book.note(budget.note())
        try book.paragraph("A task is an *episode*: pick \(budget.ways) classes never seen together before, number them "
            + "0 to \(budget.ways - 1) in random order, and give the learner \(budget.shots) labelled drawing\(budget.shots == 1 ? "" : "s") "
            + "of each (the support set). It must then label \(budget.queries) new drawings of each class (the query set). "
            + "Because the numbering is random, no fixed classifier can work: the network has to learn each episode from its support set.")
        var generator = SeededGenerator(seed: book.settings.seed &+ 61)
        let episode = problem.validation.sample(generator: &generator)
        let support = try EpisodeGrid.make(episode, ways: budget.ways, query: false, rows: budget.shots,
                                           title: "Support set: \(budget.taskName)")
        try book.figure(support.grid, name: "episode-support", caption: "One column per class; the labels are all the "
            + "learner is told.", data: support.csv)
        let query = try EpisodeGrid.make(episode, ways: budget.ways, query: true, rows: 3, title: "Query set (first rows)")
        try book.figure(query.grid, name: "episode-query", caption: "New drawings of the same classes, with the label the "
            + "learner should predict. The query accuracy after adaptation is the number every figure below reports.",
                        data: query.csv)

        book.section("A baseline that learns nothing")
        var baselineGenerator = SeededGenerator(seed: book.settings.seed &+ 62)
        let nearest = nearestNeighbourAccuracy(sampler: problem.validation, episodes: budget.evaluationEpisodes,
                                               generator: &baselineGenerator)
        try book.record("nearest_neighbour_accuracy", nearest, style: .percent)
        try book.record("chance_accuracy", 1 / Double(budget.ways), style: .percent)
        try book.paragraph("Labelling each query like the support drawing nearest in pixel space, "
            + "$\\hat{y}(q) = y(\\arg\\min_{s} \\Vert q - s \\Vert^{2})$, gets @{nearest_neighbour_accuracy} of the queries right "
            + "over \(budget.evaluationEpisodes) validation episodes (chance: @{chance_accuracy}). A meta-learned network should "
            + "beat it clearly: its features are tuned to what separates characters, not to raw ink overlap.")

        book.section("First-order MAML")
        try book.paragraph("The network is four blocks of 3 × 3 convolution, batch normalization, ReLU and 2 × 2 max-pooling, "
            + "then a linear layer onto the \(budget.ways) classes. For an episode it takes \(ImageBudget.count(budget.innerSteps, "step")) of gradient "
            + "descent on the support cross-entropy, starting from the shared initialization $\\theta$:")
        try book.math("\\phi_0 = \\theta, \\quad \\phi_{k} = \\phi_{k-1} - \\alpha \\nabla_{\\phi} \\mathcal{L}(\\phi_{k-1}, \\mathcal{D}^{\\text{sup}}), \\quad \\alpha = 0.4")
        try book.paragraph("The outer loop moves $\\theta$ to lower the query loss at $\\phi_{\(budget.innerSteps)}$. The exact gradient "
            + "multiplies the query gradient by a Jacobian $\\prod_k (I - \\alpha \\nabla^2 \\mathcal{L}(\\phi_{k-1}))$ of the inner "
            + "steps; first-order MAML replaces that product by the identity and uses the query gradient at the adapted "
            + "parameters as it is, averaged over the meta-batch and fed to Adam (rate 0.001):")
        try book.math("\\nabla_{\\theta} \\mathcal{L}(\\phi_{K}, \\mathcal{D}^{\\text{query}}) \\approx \\nabla_{\\phi} \\mathcal{L}(\\phi_{K}, \\mathcal{D}^{\\text{query}})")
        let run = try ImageTrainingRun(budget.configuration(.fomaml, seed: book.settings.seed), problem: problem,
                                       book: book, folder: "fomaml-run")
        var figure = Figure(title: "FO-MAML, \(budget.taskName) \(data.shortName): validation accuracy after adaptation",
                            xLabel: "iteration", yLabel: "query accuracy")
        let curve = run.validationCurve
        try figure.addLine(x: curve.map { Double($0.iteration) }, y: curve.map(\.value), label: "FO-MAML", width: 2.5)
        figure.addHorizontalLine(y: 0.8, label: "80% (the course's bar, 5-shot)", color: .black)
        figure.addHorizontalLine(y: nearest, label: "pixel 1-NN")
        figure.addHorizontalLine(y: 1 / Double(budget.ways), label: "chance", dash: .dotted)
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 760
        try book.figure(figure, name: "fomaml-validation", caption: "Each point adapts the current initialization to "
            + "\(budget.validationTasks) validation episodes (classes never trained on) and measures their queries.")
        try book.keyNumbers([
            ("best_validation_accuracy", "best validation accuracy", run.summary.bestValidation, .percent, ""),
            ("best_iteration", "reached at iteration", Double(run.summary.bestIteration), .count, ""),
            ("final_validation_accuracy", "validation accuracy at the last iteration", run.finalValidation, .percent, ""),
            ("seconds_per_iteration", "time per iteration (validation included)", run.secondsPerIteration, .significant(3), "s"),
        ])
        if let passed = run.firstIteration(reaching: 0.8) {
            try book.record("first_iteration_at_80", Double(passed), style: .count)
            try book.paragraph("Validation accuracy first reached 80% at iteration @{first_iteration_at_80}.")
        } else {
            try book.paragraph("With this budget the run stops before validation accuracy reaches 80%; the course's run "
                + "(15 queries, 64 filters, meta-batch 8, 1000 iterations) is where the bar applies.")
        }

        book.section("MAML++: a steadier meta-training")
        try stability(book: book, budget: budget, problem: try data.problem(shots: 1), seeds: seeds, iterations: stabilityIterations)
    }

    /// FO-MAML against MAML++ over `seeds` seeds of `iterations` each on 1-shot `problem`: mean
    /// validation curves with the spread as bands.
    func stability(book: Notebook, budget: ImageBudget, problem: ClassificationProblem, seeds: Int, iterations: Int) throws {
        let firstOrder = iterations * 4 / 5
        try book.paragraph("MAML's outer loop is known to be erratic: the validation curve can drop suddenly, and runs that "
            + "differ only in their seed end far apart. MAML++ (Antoniou et al., *How to train your MAML*) adds a few "
            + "switchable remedies, all used here: a *multi-step loss* that scores the query set after every inner step, "
            + "$\\sum_{k} w_k \\mathcal{L}(\\phi_k, \\mathcal{D}^{\\text{query}})$, with weights moving onto the last step over the "
            + "first half of training; *learned inner rates*, one per parameter tensor and step; *derivative-order annealing* "
            + "(first order for the first \(firstOrder) of \(iterations) iterations, exact second order after); and a "
            + "*cosine-annealed* outer rate. Per-step batch-norm weights are not used on this page. To afford several seeds, "
            + "these runs use \(budget.ways)-way 1-shot episodes, a third of the cost of 5-shot ones.")
        var curves: [MetaAlgorithm: [[(iteration: Int, value: Double)]]] = [:]
        for seed in 0..<seeds {
            for algorithm in [MetaAlgorithm.fomaml, .mamlPlusPlus] {
                var configuration = budget.configuration(algorithm, iterations: iterations, seed: book.settings.seed &+ UInt64(seed) &+ 1)
                if algorithm == .mamlPlusPlus {
                    configuration.firstOrderIterations = firstOrder
                    configuration.multiStepLossIterations = max(1, iterations / 2)
                    configuration.minimumOuterLearningRate = 1e-5
                }
                let name = algorithm == .fomaml ? "fomaml" : "mamlpp"
                let run = try ImageTrainingRun(configuration, problem: problem, book: book, folder: "stability-\(name)-seed\(seed + 1)")
                curves[algorithm, default: []].append(run.validationCurve)
            }
        }
        var figure = Figure(title: "FO-MAML and MAML++ over \(seeds) seeds, \(budget.ways)-way 1-shot", xLabel: "iteration", yLabel: "validation query accuracy")
        var rows: [[TableCell]] = []
        for (algorithm, label, key) in [(MetaAlgorithm.fomaml, "FO-MAML", "fomaml"), (.mamlPlusPlus, "MAML++", "mamlpp")] {
            let spread = try SeedSpread(curves: curves[algorithm]!)
            let color = figure.claimNextColor()
            try figure.addBand(x: spread.x, lower: spread.lower, upper: spread.upper, label: "\(label): lowest to highest seed", color: color)
            try figure.addLine(x: spread.x, y: spread.mean, label: "\(label): mean", color: color, width: 2.5)
            try book.record("stability_\(key)_final_mean", spread.mean.last!, style: .percent)
            try book.record("stability_\(key)_final_range", spread.upper.last! - spread.lower.last!, style: .points)
            try book.record("stability_\(key)_mean_band_width", spread.meanWidth, style: .points)
            try book.record("stability_\(key)_largest_setback", spread.largestSetback, style: .points)
            rows.append([.text(label), .metric("stability_\(key)_final_mean"), .metric("stability_\(key)_final_range"),
                         .metric("stability_\(key)_mean_band_width"), .metric("stability_\(key)_largest_setback")])
        }
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 800
        try book.figure(figure, name: "stability", caption: "Lines: mean over seeds of the validation accuracy; bands: from the "
            + "lowest to the highest seed at each validation. A narrower band and a curve without dips mean steadier training.")
        try book.table(ResultTable(header: ["method", "final accuracy (mean)", "final spread over seeds", "mean band width",
                                            "largest dip of the mean"], rows: rows,
                                   caption: "Accuracy in percent; spread, width and dip in percentage points. Spread: highest minus "
                                    + "lowest seed at the last validation. Band width: the same, averaged over the validations. "
                                    + "Largest dip: how far the mean curve fell below its best value so far."))
        try book.paragraph("Whether MAML++ is steadier in a run this short depends on the seeds drawn; the table measures it "
            + "rather than assuming it. Over the course's 1000 iterations the multi-step loss and the annealed rates are what "
            + "keep the curve from collapsing.")
    }
}
