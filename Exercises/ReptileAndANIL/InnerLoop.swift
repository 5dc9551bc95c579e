import Autodiff
import ExerciseSupport

/// A gradient step: given a cost, the current parameters and a step size, the next parameters
/// (the signature of `gdStep`, passed in so that this module stands on its own).
public typealias GradientStep = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ stepSize: Double
) throws -> Parameters

/// The inner-loop settings shared by Reptile and ANIL.
public struct InnerLoop {
    /// k, the number of inner steps.
    public let steps: Int
    /// α, the inner step size.
    public let stepSize: Double
    /// The step taken k times, normally `gdStep`.
    public let step: GradientStep

    /// Checks and stores the settings; throws when `steps` is negative or `stepSize` not finite.
    public init(steps: Int, stepSize: Double, step: @escaping GradientStep) throws {
        guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
        guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \(stepSize)") }
        self.steps = steps
        self.stepSize = stepSize
        self.step = step
    }

    /// U^k(φ): `steps` applications of `step` on `cost` from `params`.
    public func run(_ cost: @escaping (Parameters) -> Tensor, from params: Parameters) throws -> Parameters {
        // Apply `step` (with `stepSize`) `steps` times, starting from `params`.
        throw ExerciseError.notImplemented("InnerLoop.run")
    }
}
