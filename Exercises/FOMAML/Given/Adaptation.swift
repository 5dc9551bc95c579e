import Autodiff
import ExerciseSupport
import TaskData

/// A classifier as a pure function of its parameters: images `[N, C, H, W]` to logits
/// `[N, ways]`. For a `ConvNet` named `net`, pass `{ net($0, $1) }`.
public typealias Classifier = (_ parameters: Parameters, _ images: Tensor) -> Tensor

/// The inner-loop hyper-parameters: L, the number of gradient steps, and η, their step size.
public struct InnerLoopSettings: Sendable, Equatable {
    /// L, the number of gradient steps on the support set.
    public let steps: Int
    /// η, the step size of every inner step.
    public let stepSize: Double

    /// Checks and stores the settings; throws when `steps` is negative or `stepSize` not finite.
    public init(steps: Int, stepSize: Double) throws {
        guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
        guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \(stepSize)") }
        self.steps = steps
        self.stepSize = stepSize
    }
}

/// What adapting to one task gives: the adapted parameters φᴸ and how well the network
/// classified the support set along the way.
public struct Adaptation {
    /// φᴸ, the parameters after the L inner steps.
    public let parameters: Parameters
    /// The support accuracy at φ⁰ = θ, φ¹, …, φᴸ: L + 1 numbers, the first before any step
    /// (pre-adaptation), the last after the final step (post-adaptation).
    public let supportAccuracies: [Double]

    /// Stores an adaptation's result.
    public init(parameters: Parameters, supportAccuracies: [Double]) {
        self.parameters = parameters
        self.supportAccuracies = supportAccuracies
    }
}

/// The inner loop as the outer loop uses it: adapts the given parameters to one episode.
/// Normally `{ try innerLoop($0, episode: $1, model: model, settings: settings) }`.
public typealias Adapter = (_ parameters: Parameters, _ episode: Episode) throws -> Adaptation

/// What one FO-MAML outer-loop evaluation gives on a meta-batch of n episodes.
public struct MetaBatchResult {
    /// The FO-MAML objective: the mean post-adaptation query loss (1/n) Σᵢ L(φᵢᴸ, Dᵢ^query).
    public let loss: Double
    /// The first-order meta-gradient (1/n) Σᵢ ∇_φ L(φ, Dᵢ^query) at φ = φᵢᴸ, named like θ.
    public let gradient: Parameters
    /// The mean over episodes of the post-adaptation query accuracy.
    public let queryAccuracy: Double
    /// The mean over episodes of each entry of `Adaptation.supportAccuracies` (L + 1 numbers).
    public let supportAccuracies: [Double]

    /// Stores a meta-batch's result.
    public init(loss: Double, gradient: Parameters, queryAccuracy: Double, supportAccuracies: [Double]) {
        self.loss = loss
        self.gradient = gradient
        self.queryAccuracy = queryAccuracy
        self.supportAccuracies = supportAccuracies
    }
}
