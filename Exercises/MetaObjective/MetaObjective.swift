import Autodiff
import ExerciseSupport

/// A gradient step: given a cost, the current parameters and a step size, the next parameters
/// (the signature of `gdStep`, passed in so that this module stands on its own).
public typealias GradientStep = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ stepSize: Double
) throws -> Parameters

/// The MAML objective for one task: the task's cost after `numSteps` steps of `step` from θ,
///
///     θ₀ = θ,   θₖ₊₁ = step(cost, θₖ, η),   meta(θ) = cost(θ_K)   with K = numSteps.
///
/// Call it like a function: `metaObjective(params)`. Differentiating it with `grad` gives the
/// MAML meta-gradient, second order when `step` differentiates with `grad`.
public struct MetaObjective {
    /// The cost of one task (for regression, the mean squared error on its data).
    public let innerCost: (Parameters) -> Tensor
    /// K, the number of inner steps (zero gives the plain cost).
    public let numSteps: Int
    /// η, the inner step size.
    public let stepSize: Double
    /// The inner step, normally `gdStep`.
    public let step: GradientStep

    /// Makes the objective; throws when `numSteps` is negative or `stepSize` is not finite.
    public init(
        innerCost: @escaping (Parameters) -> Tensor, numSteps: Int, stepSize: Double, step: @escaping GradientStep
    ) throws {
        guard numSteps >= 0 else { throw ExerciseError.invalidArgument("numSteps must be at least 0, got \(numSteps)") }
        guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \(stepSize)") }
        self.innerCost = innerCost
        self.numSteps = numSteps
        self.stepSize = stepSize
        self.step = step
    }

    /// cost(θ_K): the inner cost after `numSteps` steps from `params`. Use `step` for each step.
    public func callAsFunction(_ params: Parameters) throws -> Tensor {
        // Replace this line with the K inner steps and the final cost.
        throw ExerciseError.notImplemented("MetaObjective.callAsFunction")
    }
}
