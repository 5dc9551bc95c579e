import Autodiff
import FOMAML
import NeuralNetworks
import Notebook
import Plots
import TaskData

/// The second homework's first question on the student's code: few-shot episodes, their inner loop
/// on one episode, meta-training with the given training harness around their loops, and what
/// the trained initialization does on held-out episodes.
public struct FOMAMLChapter: Chapter {
    /// `fomaml-omniglot`.
    public let id = "fomaml-omniglot"
    /// The page heading.
    public let title = "First-order MAML on handwritten characters, with your code"
    /// One line for the list.
    public let summary = "Your innerLoop and outerLoop: one episode's adaptation, meta-training with the given trainFOMAML, the trained init."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The exercise functions the chapter runs: exercise FOMAML (the given training harness calls the loops).
    public struct Functions: @unchecked Sendable {
        /// `innerLoop` (FOMAML).
        public var innerLoop: FOMAMLInnerLoopFunction
        /// `outerLoop` (FOMAML).
        public var outerLoop: FOMAMLOuterLoopFunction
        /// The given `trainFOMAML` with the exercise's loops inside.
        public var train: FOMAMLTrainingFunction

        /// The three functions.
        public init(innerLoop: @escaping FOMAMLInnerLoopFunction, outerLoop: @escaping FOMAMLOuterLoopFunction,
                    train: @escaping FOMAMLTrainingFunction) {
            self.innerLoop = innerLoop
            self.outerLoop = outerLoop
            self.train = train
        }

        /// The check of the inner loop.
        var innerChecks: [SanityCheck] { [FOMAMLChecks.inner(innerLoop)] }
        /// The checks of both loops.
        var loopChecks: [SanityCheck] { innerChecks + [FOMAMLChecks.outer(outerLoop)] }
    }

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// The training settings of this budget: 1-shot episodes and a smaller network than the
    /// assessment's, so that the page is made in minutes.
    static func settings(_ book: Notebook) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.ways = book.pick("classes per episode", full: 5, quick: 5, test: 3)
        settings.shots = book.pick("support drawings per class", full: 1, quick: 1, test: 1)
        settings.queries = book.pick("query drawings per class", full: 5, quick: 5, test: 2)
        settings.innerSteps = book.pick("inner steps", full: 5, quick: 5, test: 1)
        settings.metaBatch = book.pick("episodes per meta-batch", full: 4, quick: 2, test: 2)
        settings.iterations = book.pick("meta-training iterations", full: 150, quick: 30, test: 2)
        settings.validateEvery = max(1, settings.iterations / 5)
        settings.validationEpisodes = book.pick("validation episodes", full: 20, quick: 5, test: 2)
        settings.filters = book.pick("filters per conv block", full: 32, quick: 16, test: 4)
        settings.seed = book.settings.seed
        return settings
    }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let settings = Self.settings(book)
        let images = try ImageSource(syntheticClasses: book.pick("synthetic glyph classes", full: 400, quick: 400, test: 100))
        let data = try TrainingData(training: EpisodeSampler(dataset: images.training, ways: settings.ways, shots: settings.shots, queries: settings.queries),
                                    validation: EpisodeSampler(dataset: images.validation, ways: settings.ways, shots: settings.shots, queries: settings.queries),
                                    description: images.name)
        try episodeSection(book, images: images, data: data, settings: settings)
        try innerSection(book, gate, data: data, settings: settings)
        let run = try trainingSection(book, gate, data: data, settings: settings)
        try trainedSection(book, gate, data: data, settings: settings, run: run)
    }

    /// What an episode is, with one drawn as image grids.
    func episodeSection(_ book: Notebook, images: ImageSource, data: TrainingData, settings: TrainingSettings) throws {
        book.section("Few-shot episodes")
        try images.describe(in: book)
        try book.paragraph("An *episode* picks \(settings.ways) classes, numbers them in random order, and gives "
            + "\(settings.shots) labelled drawing\(settings.shots == 1 ? "" : "s") of each (the support set); \(settings.queries) more "
            + "of each (the query set) judge the network after it has adapted on the support set. The loss of a set is the mean "
            + "cross-entropy $\\mathcal{L}(\\phi, \\mathcal{D}) = -\\frac{1}{|\\mathcal{D}|} \\sum_{(x, y)} \\log p_\\phi(y \\mid x)$.")
        var generator = SeededGenerator(seed: book.settings.seed &+ 51)
        let episode = data.validation.sample(generator: &generator)
        let support = try EpisodeGrid.make(episode, ways: settings.ways, query: false, rows: settings.shots, title: "Support set")
        try book.figure(support.grid, name: "episode-support", caption: "One column per class, with the label the learner is told.",
                        data: support.csv)
        let query = try EpisodeGrid.make(episode, ways: settings.ways, query: true, rows: 2, title: "Query set (first rows)")
        try book.figure(query.grid, name: "episode-query", caption: "New drawings of the same classes, with the label to predict.",
                        data: query.csv)
    }

    /// The student's inner loop on one held-out episode from a random initialization.
    func innerSection(_ book: Notebook, _ gate: ExerciseGate, data: TrainingData, settings: TrainingSettings) throws {
        book.section("Your inner loop on one episode")
        try book.paragraph("From $\\theta$, \(settings.innerSteps) steps of size $\\eta = \(settings.innerStepSize)$ on the support loss only:")
        try book.math("\\phi^0 = \\theta, \\quad \\phi^k = \\phi^{k-1} - \\eta \\nabla_\\phi \\mathcal{L}(\\phi^{k-1}, \\mathcal{D}^{\\text{sup}})")
        try book.paragraph("Here $\\theta$ is a fresh random network: the support accuracy climbs as it fits the support set, "
            + "and the query accuracy tells how much of that carries over to new drawings of the same classes.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let measured = try gate.run(functions.innerChecks, doing: "adapting to one episode", { () -> ([Double], Double) in
            let network = ConvNet(ways: settings.ways, filters: settings.filters, blocks: settings.blocks)
            var generator = SeededGenerator(seed: seed &+ 52)
            let theta = network.initialize(generator: &generator)
            let episode = data.validation.sample(generator: &generator)
            let adaptation = try withFirstOrderGradients {
                try functions.innerLoop(theta, episode, { network($0, $1) }, try settings.innerLoopSettings())
            }
            let logits = withoutRecording { network(adaptation.parameters.detached(), episode.queryImages) }
            return (try adaptation.supportAccuracies.map { try finite($0, "a support accuracy") }, accuracy(logits: logits, labels: episode.queryLabels))
        }) else { return }
        var rows: [[TableCell]] = []
        for (step, value) in measured.0.enumerated() {
            try book.record("inner_support_accuracy_\(step)", value, digits: 3)
            rows.append([.text("\(step)"), .metric("inner_support_accuracy_\(step)")])
        }
        try book.table(ResultTable(header: ["steps taken", "support accuracy"], rows: rows, caption: "Your `innerLoop` on one held-out episode."))
        try book.keyNumbers([("inner_query_accuracy", "query accuracy after those steps (random start)", try finite(measured.1, "the query accuracy"))], digits: 3)
    }
}
