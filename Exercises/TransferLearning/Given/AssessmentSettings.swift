import ExerciseSupport

/// Every hyper-parameter of the transfer-learning assessment run. The defaults are the
/// assessment's: pre-training on every training class (Adam at rate 0.001, 1000 mini-batches of
/// 64 images), and validation on 5-way 5-shot episodes with 15 query images per class, where
/// each episode's new head takes S = 50 steps of α = 0.4 on the support set.
public struct AssessmentSettings: Codable, Sendable, Equatable {
    /// N, the classes of a validation episode (the width of the new head).
    public var ways = 5
    /// K, the support images per class of a validation episode.
    public var shots = 5
    /// Q, the query images per class of a validation episode.
    public var queries = 15
    /// S, the gradient steps the new head takes on the support set.
    public var headSteps = 50
    /// α, the step size of every head step.
    public var headStepSize = 0.4
    /// T, the pre-training steps (one Adam step per mini-batch).
    public var pretrainingIterations = 1000
    /// B, the images of every pre-training mini-batch.
    public var batchSize = 64
    /// Adam's step size in pre-training (β₁ 0.9, β₂ 0.999, ε 1e-8 are the library's defaults).
    public var learningRate = 0.001
    /// Validate after every this many pre-training steps (and before the first and after the last).
    public var validateEvery = 100
    /// The held-out episodes of every validation (the same episodes and starting heads each time).
    public var validationEpisodes = 50
    /// The channels of every convolution of the network.
    public var filters = 64
    /// The conv blocks of the network (4 halve a 28×28 image down to 1×1).
    public var blocks = 4
    /// The seed of every random choice: initial weights, mini-batches, validation episodes and heads.
    public var seed: UInt64 = 0

    /// The assessment's settings (the defaults above).
    public init() {}

    /// The pre-training part of the settings, as `pretrain` takes it.
    public func pretrainingSettings() throws -> PretrainingSettings {
        try PretrainingSettings(iterations: pretrainingIterations, batchSize: batchSize, learningRate: learningRate)
    }

    /// The head-training part of the settings, as `adaptHead` takes it.
    public func transferSettings() throws -> TransferSettings {
        try TransferSettings(steps: headSteps, stepSize: headStepSize)
    }

    /// Throws `ExerciseError.invalidArgument` naming the first setting out of range.
    public func check() throws {
        func require(_ condition: Bool, _ problem: String) throws {
            guard condition else { throw ExerciseError.invalidArgument(problem) }
        }
        try require(ways >= 2, "ways must be at least 2, got \(ways)")
        try require(shots >= 1 && queries >= 1, "shots and queries must be at least 1, got \(shots) and \(queries)")
        try require(headSteps >= 0, "headSteps must be at least 0, got \(headSteps)")
        try require(headStepSize.isFinite && headStepSize > 0, "headStepSize must be positive, got \(headStepSize)")
        try require(pretrainingIterations >= 0, "pretrainingIterations must be at least 0, got \(pretrainingIterations)")
        try require(batchSize >= 1, "batchSize must be at least 1, got \(batchSize)")
        try require(learningRate.isFinite && learningRate > 0, "learningRate must be positive, got \(learningRate)")
        try require(validateEvery >= 1, "validateEvery must be at least 1, got \(validateEvery)")
        try require(validationEpisodes >= 1, "validationEpisodes must be at least 1, got \(validationEpisodes)")
        try require(filters >= 1, "filters must be at least 1, got \(filters)")
        try require((1...4).contains(blocks), "blocks must be 1 to 4 for 28×28 images, got \(blocks)")
    }

    /// The pre-training steps after which the run validates: 0, every `validateEvery`-th, and the last.
    public var validationIterations: [Int] {
        var points = Array(stride(from: 0, through: pretrainingIterations, by: validateEvery))
        if points.last != pretrainingIterations { points.append(pretrainingIterations) }
        return points
    }
}
