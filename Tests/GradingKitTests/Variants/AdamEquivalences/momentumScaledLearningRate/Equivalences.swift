/// (a) Adam hyper-parameters that make Adam take exactly RMSprop's steps.
///
/// With β₁ = 0 the first moment is the current gradient (mₜ = gₜ); with β₂ = γ the second
/// moments agree; the same learning rate and damping then give the same update.
public func adamEquivalentToRMSprop(_ rmsprop: RMSpropHyperParameters) throws -> AdamHyperParameters {
    AdamHyperParameters(learningRate: rmsprop.learningRate, beta1: 0, beta2: rmsprop.decay, epsilon: rmsprop.epsilon)
}

/// (b) Adam hyper-parameters that make Adam take (essentially) momentum SGD's steps.
///
/// With β₁ = μ, Adam's mₜ equals −pₜ. With β₂ = 1 the second moment stays v = 0, so the
/// update is α_A mₜ / ε_A: choosing α_A / ε_A = α_S gives θₜ = θₜ₋₁ + α_S pₜ. Here ε_A = 1
/// and α_A = α_S (any pair with that ratio works; a huge ε_A with β₂ < 1 comes close).
public func adamApproximatingMomentum(_ momentum: MomentumHyperParameters) throws -> AdamHyperParameters {
    AdamHyperParameters(learningRate: momentum.learningRate * (1 - momentum.momentum), beta1: momentum.momentum, beta2: 1, epsilon: 1)
}
