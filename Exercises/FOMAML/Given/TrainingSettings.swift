import ExerciseSupport

/// Every hyper-parameter of an FO-MAML training run. The defaults are the assessment's:
/// 5-way 5-shot episodes with 15 query images per class, L = 5 inner steps of η = 0.4, and Adam
/// with learning rate 0.001 on the first-order meta-gradient, for at most 1000 iterations.
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// N, the classes of an episode.
    public var ways = 5
    /// K, the support images per class.
    public var shots = 5
    /// Q, the query images per class.
    public var queries = 15
    /// L, the inner gradient steps on the support set (in training and in validation).
    public var innerSteps = 5
    /// η, the step size of every inner step.
    public var innerStepSize = 0.4
    /// n, the episodes of one meta-batch (one outer step).
    public var metaBatch = 8
    /// β, Adam's learning rate for the outer step θ ← θ − β·m / (√v + ε).
    public var outerLearningRate = 0.001
    /// Adam's β₁, the decay of the first moment m.
    public var adamBeta1 = 0.9
    /// Adam's β₂, the decay of the second moment v.
    public var adamBeta2 = 0.999
    /// Adam's ε, added to √v.
    public var adamEpsilon = 1e-8
    /// Whether Adam divides its moments by 1 − βᵗ (off: the library's default form).
    public var adamBiasCorrection = false
    /// The outer steps to take.
    public var iterations = 1000
    /// Validate after every this many outer steps (and before the first and after the last).
    public var validateEvery = 25
    /// The held-out episodes of every validation (the same episodes each time).
    public var validationEpisodes = 50
    /// The channels of every convolution of the network.
    public var filters = 64
    /// The conv blocks of the network (4 halve a 28×28 image down to 1×1).
    public var blocks = 4
    /// The seed of every random choice: initial weights, training and validation episodes.
    public var seed: UInt64 = 0

    /// The assessment's settings (the defaults above).
    public init() {}

    /// The inner-loop part of the settings, as `innerLoop` takes it.
    public func innerLoopSettings() throws -> InnerLoopSettings {
        try InnerLoopSettings(steps: innerSteps, stepSize: innerStepSize)
    }

    /// Throws `ExerciseError.invalidArgument` naming the first setting out of range.
    public func check() throws {
        func require(_ condition: Bool, _ problem: String) throws {
            guard condition else { throw ExerciseError.invalidArgument(problem) }
        }
        try require(ways >= 2, "ways must be at least 2, got \(ways)")
        try require(shots >= 1 && queries >= 1, "shots and queries must be at least 1, got \(shots) and \(queries)")
        try require(innerSteps >= 0, "innerSteps must be at least 0, got \(innerSteps)")
        try require(innerStepSize.isFinite && innerStepSize > 0, "innerStepSize must be positive, got \(innerStepSize)")
        try require(metaBatch >= 1, "metaBatch must be at least 1, got \(metaBatch)")
        try require(outerLearningRate.isFinite && outerLearningRate > 0, "outerLearningRate must be positive, got \(outerLearningRate)")
        try require((0..<1).contains(adamBeta1) && (0..<1).contains(adamBeta2),
                    "Adam's betas must lie in [0, 1), got \(adamBeta1) and \(adamBeta2)")
        try require(adamEpsilon >= 0, "adamEpsilon must not be negative, got \(adamEpsilon)")
        try require(iterations >= 0, "iterations must be at least 0, got \(iterations)")
        try require(validateEvery >= 1, "validateEvery must be at least 1, got \(validateEvery)")
        try require(validationEpisodes >= 1, "validationEpisodes must be at least 1, got \(validationEpisodes)")
        try require(filters >= 1, "filters must be at least 1, got \(filters)")
        try require((1...4).contains(blocks), "blocks must be 1 to 4 for 28×28 images, got \(blocks)")
    }

    /// The iterations after which the run validates: 0, every `validateEvery`-th, and the last.
    public var validationIterations: [Int] {
        var points = Array(stride(from: 0, through: iterations, by: validateEvery))
        if points.last != iterations { points.append(iterations) }
        return points
    }
}
