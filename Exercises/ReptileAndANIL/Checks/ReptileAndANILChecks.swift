import Autodiff
import ReptileAndANIL
import Testing

/// A plain gradient step for the checks (your `gdStep` does the same in the workbook).
private func plainStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    params - eta * grad(cost)(params)
}

/// Visible sanity check: with ε = 1, serial Reptile lands on the adapted parameters; for
/// cost ½w² one step of size 0.5 halves w.
@Test func fullReptileStepLandsOnTheAdaptedParameters() throws {
    let inner = try InnerLoop(steps: 1, stepSize: 0.5, step: plainStep)
    let updated = try reptileStep(["w": Tensor([4.0])], taskCost: { 0.5 * $0.squaredNorm() }, inner: inner, outerStepSize: 1)
    #expect(abs(updated.require("w").scalar - 2) < 1e-12)
}

/// Visible sanity check: ANIL leaves the body exactly as it was.
@Test func anilLeavesTheBodyAlone() throws {
    let params: Parameters = ["body": Tensor([1.0, 2.0]), "head": Tensor([3.0])]
    let inner = try InnerLoop(steps: 2, stepSize: 0.1, step: plainStep)
    let cost = { (p: Parameters) in (p.require("body") * p.require("head")).sum().squared }
    let adapted = try anilAdapt(params, headNames: ["head"], cost: cost, inner: inner)
    #expect(adapted.require("body").scalars == [1.0, 2.0])
    #expect(adapted.require("head").scalar != 3)
}
