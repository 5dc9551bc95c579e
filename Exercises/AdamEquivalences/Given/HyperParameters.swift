/// Adam's hyper-parameters in the handout's simplified Adam (no bias correction):
///
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ,   vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²,   θₜ = θₜ₋₁ − α_A mₜ / (√vₜ + ε_A)
public struct AdamHyperParameters: Equatable, Sendable {
    /// α_A, the learning rate.
    public var learningRate: Double
    /// β₁, the decay of the first-moment average m.
    public var beta1: Double
    /// β₂, the decay of the second-moment average v.
    public var beta2: Double
    /// ε_A, the damping term added to √v.
    public var epsilon: Double

    /// Collects the four hyper-parameters.
    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// RMSprop's hyper-parameters: vₜ = γ vₜ₋₁ + (1 − γ) gₜ²,  θₜ = θₜ₋₁ − α_R gₜ / (√vₜ + ε_R).
public struct RMSpropHyperParameters: Equatable, Sendable {
    /// α_R, the learning rate.
    public var learningRate: Double
    /// γ, the decay of the squared-gradient average.
    public var decay: Double
    /// ε_R, the damping term added to √v.
    public var epsilon: Double

    /// Collects the three hyper-parameters.
    public init(learningRate: Double, decay: Double, epsilon: Double) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }
}

/// Momentum SGD's hyper-parameters: pₜ = μ pₜ₋₁ − (1 − μ) ∇J(θₜ₋₁),  θₜ = θₜ₋₁ + α_S pₜ.
public struct MomentumHyperParameters: Equatable, Sendable {
    /// α_S, the learning rate.
    public var learningRate: Double
    /// μ, the momentum.
    public var momentum: Double

    /// Collects the two hyper-parameters.
    public init(learningRate: Double, momentum: Double) {
        self.learningRate = learningRate
        self.momentum = momentum
    }
}
