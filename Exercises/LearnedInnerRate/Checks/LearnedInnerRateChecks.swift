import Autodiff
import ExerciseSupport
import LearnedInnerRate
import Testing

/// Visible sanity check: with no inner steps the objective is the validation loss of w itself.
@Test func zeroStepsGiveTheValidationLoss() throws {
    var generator = SeededGenerator(seed: 5)
    let meta = initialMetaParameters(widths: [1, 6, 1], using: &generator)
    let task = try FrequencyTask.sample(using: &generator)
    let value = try unrolledObjective(meta, task: task, innerSteps: 0).scalar
    let plain = absoluteErrorLoss(networkWeights(of: meta), inputs: task.validationInputs, targets: task.validationTargets).scalar
    #expect(abs(value - plain) < 1e-12, "with no inner steps the objective should be the validation loss \(plain), got \(value)")
}

/// Visible sanity check: a negative number of inner steps is refused.
@Test func negativeStepCountIsRefused() throws {
    var generator = SeededGenerator(seed: 6)
    let meta = initialMetaParameters(widths: [1, 6, 1], using: &generator)
    let task = try FrequencyTask.sample(using: &generator)
    #expect(throws: ExerciseError.self) { _ = try unrolledObjective(meta, task: task, innerSteps: -1) }
}
