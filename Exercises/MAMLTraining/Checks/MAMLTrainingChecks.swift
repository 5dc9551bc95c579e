import Autodiff
import MAMLTraining
import Testing

/// A plain inner loop for the checks (your `gdStep` and `MetaObjective` do this in the workbook).
private func plainAdapt(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ numSteps: Int, _ eta: Double) throws -> Parameters {
    var adapted = params
    for _ in 0..<numSteps { adapted = adapted - eta * grad(cost)(adapted) }
    return adapted
}

/// Visible sanity check: one step keeps every parameter's name and shape and lowers the loss
/// of that same task when the meta step is small.
@Test func oneStepKeepsShapesAndGoesDownhill() throws {
    var generator = SeededGenerator(seed: 7)
    let task = try PiecewiseConstantTasks().sample(using: &generator)
    let params = randomNetwork(widths: [1, 8, 1], scale: 0.5, using: &generator)
    let settings = try TrainingSettings(numSteps: 1, innerStepSize: 0.1, metaStepSize: 0.01, iterations: 1)
    let (next, before) = try metaTrainingStep(params, on: task, settings: settings, adapt: plainAdapt)
    #expect(Array(next.map(\.0)) == Array(params.map(\.0)))
    #expect(zip(next.map(\.1.shape), params.map(\.1.shape)).allSatisfy { $0 == $1 })
    let (_, after) = try metaTrainingStep(next, on: task, settings: settings, adapt: plainAdapt)
    #expect(after < before)
}

/// Visible sanity check: a training run records one loss per iteration.
@Test func trainingRecordsOneLossPerIteration() throws {
    var generator = SeededGenerator(seed: 8)
    let params = randomNetwork(widths: [1, 8, 1], using: &generator)
    let settings = try TrainingSettings(numSteps: 1, iterations: 3)
    let run = try trainMAML(from: params, tasks: try PiecewiseConstantTasks(), settings: settings, adapt: plainAdapt, using: &generator)
    #expect(run.metaLosses.count == 3)
}
