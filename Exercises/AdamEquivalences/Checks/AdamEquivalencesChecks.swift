import AdamEquivalences
import Testing

/// Visible sanity check: the answers are finite numbers with decays in [0, 1].
@Test func answersAreFiniteWithDecaysInRange() throws {
    let a = try adamEquivalentToRMSprop(RMSpropHyperParameters(learningRate: 0.01, decay: 0.9, epsilon: 1e-8))
    let b = try adamApproximatingMomentum(MomentumHyperParameters(learningRate: 0.1, momentum: 0.9))
    for h in [a, b] {
        #expect(h.learningRate.isFinite && h.epsilon.isFinite && h.epsilon >= 0, "α and ε should be finite and ε ≥ 0, got \(h)")
        #expect((0...1).contains(h.beta1) && (0...1).contains(h.beta2), "β₁ and β₂ should lie in [0, 1], got \(h)")
    }
}
