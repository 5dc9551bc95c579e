import Autodiff
import MAMLTraining
import Testing

/// A stand-in adaptation for the checks: K steps that each move the parameters a fraction η of
/// the way to zero, (1 − η)^K θ, whatever the cost (your gdStep and MetaObjective adapt in the
/// workbook). It is differentiable, so the meta-gradient still flows through it.
private func shrinkingAdapt(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ numSteps: Int, _ eta: Double) throws -> Parameters {
    (0..<numSteps).reduce(params) { adapted, _ in (1 - eta) * adapted }
}

/// Visible sanity check: one step keeps every parameter's name and shape and lowers the loss
/// of that same task when the meta step is small.
@Test func oneStepKeepsShapesAndGoesDownhill() throws {
    var generator = SeededGenerator(seed: 7)
    let task = try PiecewiseConstantTasks().sample(using: &generator)
    let params = randomNetwork(widths: [1, 8, 1], scale: 0.5, using: &generator)
    let settings = try TrainingSettings(numSteps: 1, innerStepSize: 0.1, metaStepSize: 0.01, iterations: 1)
    let (next, before) = try metaTrainingStep(params, on: task, settings: settings, adapt: shrinkingAdapt)
    #expect(Array(next.map(\.0)) == Array(params.map(\.0)))
    #expect(zip(next.map(\.1.shape), params.map(\.1.shape)).allSatisfy { $0 == $1 })
    let (_, after) = try metaTrainingStep(next, on: task, settings: settings, adapt: shrinkingAdapt)
    #expect(after < before, "a small meta step should lower the task's meta-loss: it went from \(before) to \(after)")
}

/// Visible sanity check: a training run records one loss per iteration.
@Test func trainingRecordsOneLossPerIteration() throws {
    var generator = SeededGenerator(seed: 8)
    let params = randomNetwork(widths: [1, 8, 1], using: &generator)
    let settings = try TrainingSettings(numSteps: 1, iterations: 3)
    let run = try trainMAML(from: params, tasks: try PiecewiseConstantTasks(), settings: settings, adapt: shrinkingAdapt, using: &generator)
    #expect(run.metaLosses.count == 3, "3 iterations should record 3 meta-losses, got \(run.metaLosses.count)")
}
