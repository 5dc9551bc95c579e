import Autodiff
import NeuralNetworks
import Notebook
import Plots
import TaskData
import TransferLearning

/// The second homework's transfer question on the student's code: pre-train a classifier on every
/// training class (given code), then a new head per test episode with their head training and
/// transfer functions, for more and more head steps.
public struct TransferChapter: Chapter {
    /// `transfer`.
    public let id = "transfer"
    /// The page heading.
    public let title = "Transfer learning, with your code"
    /// One line for the list.
    public let summary = "Pre-train on every class, freeze the body, train a new head per episode with your adaptHead and transferLearn."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The exercise functions the chapter runs: exercise TransferLearning.
    public struct Functions: @unchecked Sendable {
        /// `adaptHead` (TransferLearning).
        public var adaptHead: AdaptHeadFunction
        /// `transferLearn` on one episode (TransferLearning).
        public var transferLearnEpisode: TransferEpisodeFunction
        /// `transferLearn` over several episodes (TransferLearning).
        public var transferLearnEpisodes: TransferEpisodesFunction

        /// The three functions.
        public init(adaptHead: @escaping AdaptHeadFunction, transferLearnEpisode: @escaping TransferEpisodeFunction,
                    transferLearnEpisodes: @escaping TransferEpisodesFunction) {
            self.adaptHead = adaptHead
            self.transferLearnEpisode = transferLearnEpisode
            self.transferLearnEpisodes = transferLearnEpisodes
        }

        /// The checks of the three functions.
        var checks: [SanityCheck] {
            [TransferLearningChecks.head(adaptHead), TransferLearningChecks.episode(transferLearnEpisode),
             TransferLearningChecks.episodesCheck(transferLearnEpisodes)]
        }

        /// The mean query accuracy over `episodes` after `steps` head steps of α = 0.4, each
        /// episode from its own fresh head, the three functions put together as the handout does.
        func meanAccuracy(_ pretrained: PretrainedNetwork, _ episodes: [Episode], steps: Int, seed: UInt64) throws -> Double {
            let settings = try TransferSettings(steps: steps, stepSize: 0.4)
            let adapter: HeadAdapter = { try adaptHead($0, $1, $2, $3, settings) }
            var generator = SeededGenerator(seed: seed)
            return try transferLearnEpisodes(pretrained, episodes, &generator) { episode, head in
                try transferLearnEpisode(pretrained, episode, head, adapter)
            }.meanQueryAccuracy
        }
    }

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let (ways, queries) = (book.pick("classes per episode", full: 5, quick: 5, test: 3), book.pick("query drawings per class", full: 5, quick: 5, test: 2))
        let filters = book.pick("filters per conv block", full: 32, quick: 16, test: 4)
        let iterations = book.pick("pre-training mini-batches", full: 600, quick: 150, test: 2)
        let batchSize = book.pick("images per mini-batch", full: 32, quick: 32, test: 8)
        let episodeCount = book.pick("test episodes", full: 50, quick: 20, test: 2)
        let mostSteps = book.pick("most head steps", full: 50, quick: 25, test: 2)
        let images = try ImageSource(syntheticClasses: book.pick("synthetic glyph classes", full: 400, quick: 400, test: 100))

        book.section("Frozen features, a new head")
        try images.describe(in: book)
        try book.paragraph("Transfer learning first trains one network to tell apart all training classes at once. For a new "
            + "\(ways)-way episode it keeps the convolutional body as it is, replaces the output layer by a fresh \(ways)-way head and "
            + "trains only that head on the support set. With the body frozen its features $F$ are constants, and the head's training "
            + "is softmax regression:")
        try book.math("(W, b) \\leftarrow (W, b) - \\alpha \\nabla_{W, b} \\left( -\\frac{1}{n} \\sum_{i=1}^{n} \\log \\mathrm{softmax}(F_i W + b)_{y_i} \\right), \\quad \\alpha = 0.4")

        book.section("Pre-training on every training class")
        try book.paragraph("The given `pretrain`: Adam at rate 0.001 on mini-batches of \(batchSize) drawings from all "
            + "@{training_classes} training classes, \(iterations) steps, \(filters) filters per block.")
        var generator = SeededGenerator(seed: book.settings.seed &+ 61)
        book.progress("pre-training \(iterations) mini-batches")
        let run = try pretrain(on: images.training, filters: filters, settings: PretrainingSettings(iterations: iterations, batchSize: batchSize),
                               generator: &generator)
        var lossFigure = Figure(title: "Pre-training loss", xLabel: "mini-batch", yLabel: "cross-entropy")
        let window = max(1, run.losses.count / 20)
        try lossFigure.addLine(x: run.losses.indices.map { Double($0 + 1) }, y: run.losses, label: "mini-batch", color: .lightGray, width: 1)
        try lossFigure.addLine(x: run.losses.indices.map { Double($0 + 1) }, y: movingAverage(run.losses, window: window),
                               label: "moving average (\(window))", width: 2.5)
        try book.figure(lossFigure, name: "pretraining", caption: "Ordinary classification over every training class.")
        try book.keyNumbers([("pretraining_final_loss", "last mini-batch loss", run.losses.last ?? .nan)], digits: 3)

        book.section("A new head per test episode")
        try book.paragraph("Your `transferLearn` over \(episodeCount) episodes of the held-out test alphabets draws a fresh head for each, "
            + "and your one-episode `transferLearn` adapts it with your `adaptHead` on the support set only, then scores the queries.")
        let stepCounts = [0, 1, 2, 5, 10, 25, 50].filter { $0 <= mostSteps }
        let functions = self.functions
        let seed = book.settings.seed
        guard let measured = try gate.run(functions.checks, doing: "training heads on test episodes", { () -> ([Double], Double) in
            let sampler = try EpisodeSampler(dataset: images.test, ways: ways, shots: 1, queries: queries)
            var episodeGenerator = SeededGenerator(seed: seed &+ 62)
            let episodes = sampler.sampleBatch(count: episodeCount, generator: &episodeGenerator)
            let accuracies = try stepCounts.map { steps in
                try finite(try functions.meanAccuracy(run.pretrained, episodes, steps: steps, seed: seed &+ 63), "the accuracy after \(steps) steps")
            }
            return (accuracies, episodes.map(nearestNeighbourAccuracy).reduce(0, +) / Double(episodes.count))
        }) else { return }
        var rows: [[TableCell]] = []
        for (steps, value) in zip(stepCounts, measured.0) {
            try book.record("transfer_accuracy_\(steps)_steps", value, digits: 3)
            rows.append([.text("\(steps)"), .metric("transfer_accuracy_\(steps)_steps")])
        }
        try book.record("nearest_neighbour_accuracy", measured.1, digits: 3)
        rows.append([.text("pixel nearest neighbour"), .metric("nearest_neighbour_accuracy")])
        var figure = Figure(title: "\(ways)-way 1-shot test episodes: accuracy against head steps", xLabel: "head steps on the support set", yLabel: "query accuracy")
        try figure.addLine(x: stepCounts.map(Double.init), y: measured.0, label: "your transfer learning", width: 2.5)
        figure.addHorizontalLine(y: measured.1, label: "pixel 1-NN")
        figure.addHorizontalLine(y: 1 / Double(ways), label: "chance", dash: .dotted)
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 760
        try book.figure(figure, name: "head-steps", caption: "A fresh random head guesses; a few steps on the frozen features lift it.")
        try book.table(ResultTable(header: ["head steps", "mean query accuracy"], rows: rows,
                                   caption: "Means over \(episodeCount) test episodes, one fresh head per episode."))
    }
}
