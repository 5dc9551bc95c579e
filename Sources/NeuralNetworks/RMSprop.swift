import Autodiff

/// RMSprop in the handout's form: divide the gradient by a running root mean square,
/// with the damping ε added outside the square root:
///
///     vₜ = γ vₜ₋₁ + (1 - γ) gₜ²
///     θₜ = θₜ₋₁ - α gₜ / (√vₜ + ε)
///
/// with v₀ = 0 and every operation element-wise.
public struct RMSprop: Optimizer, Equatable {
    /// The step size α.
    public var learningRate: Double
    /// The decay γ of the squared-gradient average.
    public var decay: Double
    /// The damping ε, added to √v.
    public var epsilon: Double

    /// RMSprop with step size α, decay γ (0.9) and damping ε (1e-8).
    public init(learningRate: Double, decay: Double = 0.9, epsilon: Double = 1e-8) {
        check(decay >= 0 && decay < 1, "RMSprop: decay must be in [0, 1), got \(decay)")
        check(epsilon >= 0, "RMSprop: epsilon must be non-negative, got \(epsilon)")
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    /// The running average v of squared gradients.
    public struct State: OptimizerState {
        /// vₜ, named like the parameters.
        public var squaredAverage: Parameters

        /// A state with the given average.
        public init(squaredAverage: Parameters) { self.squaredAverage = squaredAverage }

        /// The average as `"v.<name>"` tensors.
        public var namedTensors: Parameters { squaredAverage.prefixed("v") }

        /// The state from `"v.<name>"` tensors.
        public init(namedTensors: Parameters) throws { squaredAverage = namedTensors.unprefixed("v") }
    }

    /// v₀ = 0.
    public func initialState(for params: Parameters) -> State { State(squaredAverage: params.zerosLike()) }

    /// vₜ = γ vₜ₋₁ + (1 - γ) gₜ²;  θₜ = θₜ₋₁ - α gₜ / (√vₜ + ε).
    public func step(_ params: Parameters, _ grads: Parameters, _ state: State) -> (Parameters, State) {
        params.checkGradients(grads, optimizer: "RMSprop")
        let v = decay * state.squaredAverage + (1 - decay) * grads.map(\.squared)
        let update = grads.zip(v) { g, v in g / (sqrt(v) + epsilon) }
        return (params - learningRate * update, State(squaredAverage: v))
    }
}
