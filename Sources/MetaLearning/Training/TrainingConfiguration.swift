/// Every hyper-parameter of a meta-training run; saved with checkpoints and in `metrics.json`.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// The meta-learning algorithm.
    public var algorithm: MetaAlgorithm = .maml
    /// Inner gradient steps K during meta-training.
    public var innerSteps = 5
    /// Inner step size α (the initial value when the rate is learned).
    public var innerLearningRate = 0.01
    /// Inner steps at validation and test time.
    public var evaluationInnerSteps = 5
    /// Tasks per meta-batch.
    public var metaBatch = 25
    /// Meta-training iterations (outer steps).
    public var iterations = 1000
    /// Adam's outer learning rate.
    public var outerLearningRate = 1e-3
    /// Cosine annealing of the outer rate down to this value (nil keeps it constant).
    public var minimumOuterLearningRate: Double? = nil
    /// The seed of every random choice of the run.
    public var seed: UInt64 = 0
    /// Validate every this many iterations.
    public var validateEvery = 50
    /// Held-out tasks per validation.
    public var validationTasks = 100
    /// Save a checkpoint every this many iterations (and at the end and on Ctrl-C).
    public var checkpointEvery = 100
    /// MAML++: use first-order meta-gradients up to this iteration.
    public var firstOrderIterations = 0
    /// MAML++: iterations over which the multi-step loss moves its weight onto the last step.
    public var multiStepLossIterations = 0
    /// MAML++: separate batch-norm scale and offset for each inner step (conv net only).
    public var perStepBatchNorm = false

    /// The defaults above.
    public init() {}

    /// The batch-norm weight sets a conv net needs: one per inner step and one for the query
    /// loss after the last step, or 0 for shared weights.
    public var batchNormSteps: Int { perStepBatchNorm ? max(innerSteps, evaluationInnerSteps) + 1 : 0 }

    private enum CodingKeys: String, CodingKey {
        case algorithm, innerSteps, innerLearningRate, evaluationInnerSteps, metaBatch, iterations
        case outerLearningRate, minimumOuterLearningRate, seed, validateEvery, validationTasks, checkpointEvery
        case firstOrderIterations, multiStepLossIterations, perStepBatchNorm
    }

    /// Reads a configuration; a field missing from an older file keeps its default.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        algorithm = try c.decodeIfPresent(MetaAlgorithm.self, forKey: .algorithm) ?? d.algorithm
        innerSteps = try c.decodeIfPresent(Int.self, forKey: .innerSteps) ?? d.innerSteps
        innerLearningRate = try c.decodeIfPresent(Double.self, forKey: .innerLearningRate) ?? d.innerLearningRate
        evaluationInnerSteps = try c.decodeIfPresent(Int.self, forKey: .evaluationInnerSteps) ?? d.evaluationInnerSteps
        metaBatch = try c.decodeIfPresent(Int.self, forKey: .metaBatch) ?? d.metaBatch
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? d.iterations
        outerLearningRate = try c.decodeIfPresent(Double.self, forKey: .outerLearningRate) ?? d.outerLearningRate
        minimumOuterLearningRate = try c.decodeIfPresent(Double.self, forKey: .minimumOuterLearningRate)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        validateEvery = try c.decodeIfPresent(Int.self, forKey: .validateEvery) ?? d.validateEvery
        validationTasks = try c.decodeIfPresent(Int.self, forKey: .validationTasks) ?? d.validationTasks
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery) ?? d.checkpointEvery
        firstOrderIterations = try c.decodeIfPresent(Int.self, forKey: .firstOrderIterations) ?? d.firstOrderIterations
        multiStepLossIterations = try c.decodeIfPresent(Int.self, forKey: .multiStepLossIterations) ?? d.multiStepLossIterations
        perStepBatchNorm = try c.decodeIfPresent(Bool.self, forKey: .perStepBatchNorm) ?? d.perStepBatchNorm
    }

    /// Checks ranges and names the first bad value.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw TrainingError.invalidOption(message) }
        }
        try require(innerSteps >= 0, "--inner-steps must be 0 or more, got \(innerSteps)")
        try require(evaluationInnerSteps >= 0, "evaluation inner steps must be 0 or more, got \(evaluationInnerSteps)")
        try require(innerLearningRate > 0 && innerLearningRate.isFinite, "--inner-lr must be positive, got \(innerLearningRate)")
        try require(metaBatch > 0, "--meta-batch must be positive, got \(metaBatch)")
        try require(iterations > 0, "--iterations must be positive, got \(iterations)")
        try require(outerLearningRate > 0 && outerLearningRate.isFinite, "--outer-lr must be positive, got \(outerLearningRate)")
        try require(validateEvery > 0, "--validate-every must be positive, got \(validateEvery)")
        try require(validationTasks > 0, "--validation-tasks must be positive, got \(validationTasks)")
        try require(checkpointEvery > 0, "--checkpoint-every must be positive, got \(checkpointEvery)")
    }

    /// The outer learning rate at an iteration (cosine-annealed when a minimum is set).
    public func outerLearningRate(at iteration: Int) -> Double {
        guard let minimum = minimumOuterLearningRate else { return outerLearningRate }
        return cosineAnnealedRate(initial: outerLearningRate, minimum: minimum, iteration: iteration, total: iterations)
    }
}
