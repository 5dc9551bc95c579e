import Autodiff
import SineMAML
import Testing

/// Visible sanity check: with step size 0 the adaptation loss is the plain query loss.
@Test func zeroStepSizeGivesThePlainQueryLoss() throws {
    var generator = SeededGenerator(seed: 1)
    let params = randomSineNetwork(widths: [1, 8, 1], using: &generator)
    let task = try SineTasks.sample(count: 1, supportSize: 5, querySize: 5, using: &generator).task(0)
    let loss = try adaptationLoss(params, support: task.support, query: task.query, stepSize: 0)
    let plain = squaredErrorLoss(params, inputs: task.query.inputs, targets: task.query.targets)
    #expect(abs(loss.scalar - plain.scalar) < 1e-12, "with step size 0 the loss should be the plain query loss \(plain.scalar), got \(loss.scalar)")
}

/// Visible sanity check: the batched loss of a single task is that task's adaptation loss.
@Test func batchOfOneMatchesTheSingleTask() throws {
    var generator = SeededGenerator(seed: 2)
    let params = randomSineNetwork(widths: [1, 8, 1], using: &generator)
    let batch = try SineTasks.sample(count: 1, supportSize: 5, querySize: 5, using: &generator)
    let task = batch.task(0)
    let single = try adaptationLoss(params, support: task.support, query: task.query, stepSize: 0.01)
    let batched = try batchedAdaptationLoss(params, tasks: batch, stepSize: 0.01)
    #expect(abs(single.scalar - batched.scalar) < 1e-9 * max(1, single.scalar),
            "a batch of one task should give that task's loss \(single.scalar), got \(batched.scalar)")
}
