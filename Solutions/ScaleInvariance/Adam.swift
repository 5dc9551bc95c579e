import Autodiff
import ExerciseSupport

/// The handout's simplified Adam (no bias correction), on named parameters:
///
///     gₜ = ∇J(θₜ₋₁)
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ
///     vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²          (squares, roots and divisions elementwise)
///     θₜ = θₜ₋₁ − α mₜ / (√vₜ + ε)
public struct Adam: Sendable {
    /// α, the learning rate.
    public let learningRate: Double
    /// β₁, the decay of the gradient average m.
    public let beta1: Double
    /// β₂, the decay of the squared-gradient average v.
    public let beta2: Double
    /// ε, the damping added to √v (0 allowed).
    public let epsilon: Double

    /// Makes the optimizer; throws unless α > 0, β₁, β₂ ∈ [0, 1) and ε ≥ 0.
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws {
        guard learningRate > 0, learningRate.isFinite else { throw ExerciseError.invalidArgument("learningRate must be positive, got \(learningRate)") }
        guard (0..<1).contains(beta1) else { throw ExerciseError.invalidArgument("beta1 must be in [0, 1), got \(beta1)") }
        guard (0..<1).contains(beta2) else { throw ExerciseError.invalidArgument("beta2 must be in [0, 1), got \(beta2)") }
        guard epsilon >= 0, epsilon.isFinite else { throw ExerciseError.invalidArgument("epsilon must be at least 0, got \(epsilon)") }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// Adam's running averages between steps.
public struct AdamState {
    /// m, the average of gradients (one tensor per parameter).
    public var firstMoment: Parameters
    /// v, the average of squared gradients (one tensor per parameter).
    public var secondMoment: Parameters

    /// The state before the first step: m₀ = v₀ = 0, shaped like `params`.
    public init(zerosLike params: Parameters) {
        firstMoment = params.zerosLike()
        secondMoment = params.zerosLike()
    }
}

extension Adam {
    /// One Adam step from `params` with the gradient `gradient`, updating `state` in place
    /// and returning θₜ.
    public func step(_ params: Parameters, gradient: Parameters, state: inout AdamState) throws -> Parameters {
        guard gradient.names == params.names else {
            throw ExerciseError.invalidArgument("gradient names \(gradient.names) differ from parameter names \(params.names)")
        }
        state.firstMoment = beta1 * state.firstMoment + (1 - beta1) * gradient
        state.secondMoment = beta2 * state.secondMoment + (1 - beta2) * (gradient * gradient)
        let denominator = state.secondMoment.map { sqrt($0) + epsilon }
        return params - learningRate * (state.firstMoment / denominator)
    }
}
