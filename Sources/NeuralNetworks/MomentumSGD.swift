import Autodiff

/// SGD with momentum in the handout's form, where the velocity is an exponential average of
/// the negative gradient:
///
///     pₜ = μ pₜ₋₁ - (1 - μ) gₜ
///     θₜ = θₜ₋₁ + α pₜ
///
/// with p₀ = 0. (The more common form pₜ = μ pₜ₋₁ + gₜ differs by the factor (1 - μ) on g.)
public struct MomentumSGD: Optimizer, Equatable {
    /// The step size α.
    public var learningRate: Double
    /// The momentum μ in [0, 1).
    public var momentum: Double

    /// Momentum SGD with step size α and momentum μ (0.9 by default).
    public init(learningRate: Double, momentum: Double = 0.9) {
        check(momentum >= 0 && momentum < 1, "MomentumSGD: momentum must be in [0, 1), got \(momentum)")
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// The velocity p, one tensor per parameter.
    public struct State: OptimizerState {
        /// pₜ, named like the parameters.
        public var velocity: Parameters

        /// A state with the given velocity.
        public init(velocity: Parameters) { self.velocity = velocity }

        /// The velocity as `"p.<name>"` tensors.
        public var namedTensors: Parameters { velocity.prefixed("p") }

        /// The state from `"p.<name>"` tensors.
        public init(namedTensors: Parameters) throws { velocity = namedTensors.unprefixed("p") }
    }

    /// p₀ = 0.
    public func initialState(for params: Parameters) -> State { State(velocity: params.zerosLike()) }

    /// pₜ = μ pₜ₋₁ - (1 - μ) gₜ;  θₜ = θₜ₋₁ + α pₜ.
    public func step(_ params: Parameters, _ grads: Parameters, _ state: State) -> (Parameters, State) {
        params.checkGradients(grads, optimizer: "MomentumSGD")
        let velocity = momentum * state.velocity - (1 - momentum) * grads
        return (params + learningRate * velocity, State(velocity: velocity))
    }
}
