import Autodiff
import ExerciseSupport
import MetaObjective
import Testing

/// A plain gradient step for the checks (your `gdStep` does the same in the workbook).
private func plainStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    params - eta * grad(cost)(params)
}

/// Visible sanity check: with zero inner steps the objective is the cost itself.
@Test func zeroStepsGiveThePlainCost() throws {
    let cost = { (p: Parameters) in (p.require("w") * p.require("w")).sum() }
    let meta = try MetaObjective(innerCost: cost, numSteps: 0, stepSize: 0.1, step: plainStep)
    #expect(abs(try meta(["w": Tensor([3.0])]).scalar - 9) < 1e-12)
}

/// Visible sanity check: a negative number of steps is refused.
@Test func negativeStepCountIsRefused() {
    #expect(throws: ExerciseError.self) {
        _ = try MetaObjective(innerCost: { $0.squaredNorm() }, numSteps: -1, stepSize: 0.1, step: plainStep)
    }
}
