import Autodiff
import ReptileAndANIL
import Testing

/// A stand-in step for the checks: it moves the parameters a fraction η of the way to zero,
/// θ' = (1 − η) θ, whatever the cost (your `gdStep` is the real step in the workbook).
private func shrinkingStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    (1 - eta) * params
}

/// Visible sanity check: `run` applies the step k times: three halvings take w = 8 to 1.
@Test func runAppliesTheStepKTimes() throws {
    let inner = try InnerLoop(steps: 3, stepSize: 0.5, step: shrinkingStep)
    let adapted = try inner.run({ $0.squaredNorm() }, from: ["w": Tensor([8.0])])
    let w = adapted.require("w").scalar
    #expect(abs(w - 1) < 1e-12, "three steps that halve w should take 8 to 1, got \(w)")
}

/// Visible sanity check: with ε = 1, serial Reptile lands on the adapted parameters (one halving: 4 → 2).
@Test func fullReptileStepLandsOnTheAdaptedParameters() throws {
    let inner = try InnerLoop(steps: 1, stepSize: 0.5, step: shrinkingStep)
    let updated = try reptileStep(["w": Tensor([4.0])], taskCost: { 0.5 * $0.squaredNorm() }, inner: inner, outerStepSize: 1)
    let w = updated.require("w").scalar
    #expect(abs(w - 2) < 1e-12, "with ε = 1 the step should land on the adapted w = 2, got \(w)")
}

/// Visible sanity check: ANIL leaves the body exactly as it was and moves the head.
@Test func anilLeavesTheBodyAlone() throws {
    let params: Parameters = ["body": Tensor([1.0, 2.0]), "head": Tensor([3.0])]
    let inner = try InnerLoop(steps: 2, stepSize: 0.1, step: shrinkingStep)
    let cost = { (p: Parameters) in (p.require("body") * p.require("head")).sum().squared }
    let adapted = try anilAdapt(params, headNames: ["head"], cost: cost, inner: inner)
    let body = adapted.require("body").scalars, head = adapted.require("head").scalar
    #expect(body == [1.0, 2.0], "the body should stay [1, 2], got \(body)")
    #expect(abs(head - 2.43) < 1e-12, "two steps that shrink the head by 10% should take 3 to 2.43, got \(head)")
}
