import MetaLearning

/// The sizes of the image-classification experiments of a chapter, chosen by the budget.
///
/// The full budget is already far below the course's run (5-way 5-shot, 15 queries, 64 filters,
/// meta-batch 8, 1000 iterations) so that a chapter finishes in minutes on one core; the pages
/// say so and quote the command for the real run.
struct ImageBudget {
    /// N, classes per episode.
    let ways: Int
    /// K, support drawings per class.
    let shots: Int
    /// Query drawings per class.
    let queries: Int
    /// Channels of each conv block.
    let filters: Int
    /// Episodes per meta-batch.
    let metaBatch: Int
    /// Meta-training iterations of the main run.
    let iterations: Int
    /// Inner SGD steps, in training and at evaluation.
    let innerSteps: Int
    /// Held-out episodes per validation.
    let validationTasks: Int
    /// Validate every this many iterations.
    let validateEvery: Int
    /// Held-out episodes of the final comparisons.
    let evaluationEpisodes: Int
    /// Glyph classes generated when no Omniglot folder is set.
    let syntheticClasses: Int

    /// The inner step size of the course's run.
    static let innerLearningRate = 0.4
    /// Adam's outer step size of the course's run.
    static let outerLearningRate = 1e-3

    /// Picks every size through `book`, so that the page lists what a smaller budget reduced.
    ///
    /// `fullShots` and `fullIterations` set the full run: 5-shot episodes cost about three times
    /// as much per iteration as 1-shot ones (five inner steps on 25 support images instead of 5).
    init(book: Notebook, fullShots: Int = 1, fullIterations: Int = 300) {
        ways = book.pick("classes per episode", full: 5, quick: 5, test: 3)
        shots = book.pick("support drawings per class", full: fullShots, quick: 1, test: 1)
        queries = book.pick("query drawings per class", full: 5, quick: 5, test: 2)
        filters = book.pick("filters per conv block", full: 32, quick: 16, test: 8)
        metaBatch = book.pick("episodes per meta-batch", full: 4, quick: 2, test: 2)
        iterations = book.pick("meta-training iterations", full: fullIterations, quick: 100, test: 2)
        innerSteps = book.pick("inner steps", full: 5, quick: 5, test: 1)
        validationTasks = book.pick("validation episodes", full: 20, quick: 10, test: 2)
        validateEvery = max(1, iterations / 10)
        evaluationEpisodes = book.pick("evaluation episodes", full: 100, quick: 30, test: 3)
        syntheticClasses = book.pick("synthetic glyph classes", full: 400, quick: 400, test: 100)
    }

    /// "1 step", "5 steps": a count with its noun, plural unless the count is 1.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// "5-way 5-shot" for titles.
    var taskName: String { "\(ways)-way \(shots)-shot" }

    /// The training configuration of `algorithm` with this budget, the course's rates and `seed`.
    func configuration(_ algorithm: MetaAlgorithm, iterations: Int? = nil, seed: UInt64) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.algorithm = algorithm
        c.innerSteps = innerSteps
        c.evaluationInnerSteps = innerSteps
        c.innerLearningRate = Self.innerLearningRate
        c.outerLearningRate = Self.outerLearningRate
        c.metaBatch = metaBatch
        c.iterations = iterations ?? self.iterations
        c.validationTasks = validationTasks
        c.validateEvery = max(1, c.iterations / 10)
        c.checkpointEvery = c.iterations
        c.seed = seed
        return c
    }

    /// The command that makes the course's run on real Omniglot.
    static let courseCommand = "workbook train fomaml --tasks omniglot --omniglot-root DIR --ways 5 --shots 5 --queries 15 "
        + "--inner-steps 5 --inner-lr 0.4 --meta-batch 8 --iterations 1000 --out runs/fomaml"

    /// A note for the page: how this budget differs from the course's run, and the command for that run.
    func note() -> String {
        "To finish in minutes on one core, this page trains a smaller network than the course's run: \(taskName) "
            + "episodes with \(queries) queries per class, \(filters) filters per block, \(metaBatch) episodes per meta-batch "
            + "and \(iterations) iterations (the course: 5-way 5-shot, 15 queries, 64 filters, meta-batch 8, 1000 iterations). "
            + "The course's run is `\(Self.courseCommand)`."
    }
}
