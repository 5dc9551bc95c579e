import Autodiff
import ScaleInvariance
import Testing

/// Visible sanity check: Adam's first step with ε = 0 moves every coordinate by α against the gradient's sign
/// (m₁ = (1 − β₁) g and √v₁ = √(1 − β₂) |g|, so the step is α (1 − β₁)/√(1 − β₂) · sign(g)).
@Test func firstStepMovesBySignOfGradient() throws {
    let adam = try Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 0)
    let start: Parameters = ["w": Tensor([2.0, -3.0])]
    var state = AdamState(zerosLike: start)
    let next = try adam.step(start, gradient: ["w": Tensor([4.0, -0.5])], state: &state)
    let size = 0.1 * 0.1 / 0.1
    let w = next.require("w").scalars
    #expect(abs(w[0] - (2.0 - size)) < 1e-12 && abs(w[1] - (-3.0 + size)) < 1e-12,
            "the first step should move each coordinate by α(1 − β₁)/√(1 − β₂) = 0.1 against its gradient: expected [1.9, -2.9], got \(w)")
}
