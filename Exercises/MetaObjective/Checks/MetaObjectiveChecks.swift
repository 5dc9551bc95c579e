import Autodiff
import ExerciseSupport
import MetaObjective
import Testing

/// A stand-in step for the checks: it moves the parameters a fraction η of the way to zero,
/// θ' = (1 − η) θ, whatever the cost (your `gdStep` is the real step in the workbook).
private func shrinkingStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    (1 - eta) * params
}

/// Visible sanity check: with zero inner steps the objective is the cost itself.
@Test func zeroStepsGiveThePlainCost() throws {
    let cost = { (p: Parameters) in (p.require("w") * p.require("w")).sum() }
    let meta = try MetaObjective(innerCost: cost, numSteps: 0, stepSize: 0.1, step: shrinkingStep)
    let value = try meta(["w": Tensor([3.0])]).scalar
    #expect(abs(value - 9) < 1e-12, "zero steps from w = 3 should give the cost w² = 9, got \(value)")
}

/// Visible sanity check: the step is applied exactly K times: two halvings take w = 3 to 0.75, whose cost w² is 0.5625.
@Test func theStepIsAppliedKTimes() throws {
    let cost = { (p: Parameters) in (p.require("w") * p.require("w")).sum() }
    let meta = try MetaObjective(innerCost: cost, numSteps: 2, stepSize: 0.5, step: shrinkingStep)
    let value = try meta(["w": Tensor([3.0])]).scalar
    #expect(abs(value - 0.5625) < 1e-12, "two halving steps from w = 3 should give the cost 0.75² = 0.5625, got \(value)")
}

/// Visible sanity check: a negative number of steps is refused.
@Test func negativeStepCountIsRefused() {
    #expect(throws: ExerciseError.self) {
        _ = try MetaObjective(innerCost: { $0.squaredNorm() }, numSteps: -1, stepSize: 0.1, step: shrinkingStep)
    }
}
