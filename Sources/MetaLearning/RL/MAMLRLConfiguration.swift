import Autodiff
import Foundation

/// The hyper-parameters of MAML for reinforcement learning on 2-D navigation.
///
/// The defaults follow the MAML paper's navigation experiment (20 tasks per meta-batch,
/// 20 trajectories per adaptation, one policy-gradient inner step of size 0.1, γ = 0.99)
/// with two changes for speed: a horizon of 20 steps instead of 100 (any goal is at most
/// 8 steps from the origin at speed 0.1, so 20 steps leave room to get there and stay) and
/// Adam on the meta-gradient instead of TRPO. The policy's mean is squashed into the action
/// box (see `GaussianPolicy.meanBound`).
public struct MAMLRLConfiguration: Sendable, Equatable {
    /// The widths of the policy's tanh hidden layers.
    public var hiddenSizes: [Int] = [64, 64]
    /// The number of steps H per trajectory.
    public var horizon: Int = 20
    /// The number of trajectories K sampled per task for each of the two phases (adapt, judge).
    public var trajectoriesPerTask: Int = 20
    /// The number of tasks per meta-batch.
    public var metaBatch: Int = 20
    /// The step size α of the policy-gradient inner step.
    public var innerLearningRate: Double = 0.1
    /// The Adam step size β of the outer update (0.01 lets the meta-policy drift to the edge of the action box).
    public var outerLearningRate: Double = 0.003
    /// Second-order meta-gradients (through the inner step) or first order (FO-MAML).
    public var order: GradientOrder = .second
    /// The policy-gradient estimator (discount, baseline, normalization).
    public var policyGradient = PolicyGradient()
    /// The initial log σ of the policy: log 0.1, exploration noise as large as the maximum speed.
    public var initialLogStandardDeviation: Double = Foundation.log(0.1)
    /// The number of meta-iterations.
    public var iterations: Int = 300
    /// The precision of every tensor.
    public var dtype: DType = .float32

    /// The defaults.
    public init() {}

    /// Throws a `MAMLRLError` naming the first option outside its valid range.
    public func validate() throws {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ rule: String) throws {
            if !ok { throw MAMLRLError.invalidOption(name: name, value: "\(value)", rule: rule) }
        }
        try require(hiddenSizes.allSatisfy { $0 > 0 }, "hiddenSizes", hiddenSizes, "every width must be positive")
        try require(horizon > 0, "horizon", horizon, "must be positive")
        try require(trajectoriesPerTask > 1, "trajectoriesPerTask", trajectoriesPerTask, "must be at least 2 (the baseline leaves one out)")
        try require(metaBatch > 0, "metaBatch", metaBatch, "must be positive")
        try require(innerLearningRate >= 0 && innerLearningRate.isFinite, "innerLearningRate", innerLearningRate, "must be finite and non-negative")
        try require(outerLearningRate > 0 && outerLearningRate.isFinite, "outerLearningRate", outerLearningRate, "must be finite and positive")
        try require(initialLogStandardDeviation.isFinite, "initialLogStandardDeviation", initialLogStandardDeviation, "must be finite")
        try require(iterations >= 0, "iterations", iterations, "must be non-negative")
    }
}

/// A problem with MAML-RL's options or its training.
public enum MAMLRLError: Error, CustomStringConvertible, Equatable {
    /// An option is outside its valid range.
    case invalidOption(name: String, value: String, rule: String)
    /// The meta-loss stopped being a finite number.
    case nonFiniteLoss(iteration: Int)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let rule):
            "MAML-RL option \(name) = \(value) is invalid: it \(rule)"
        case .nonFiniteLoss(let iteration):
            "MAML-RL: the meta-loss is not finite at iteration \(iteration); lower the learning rates"
        }
    }
}
