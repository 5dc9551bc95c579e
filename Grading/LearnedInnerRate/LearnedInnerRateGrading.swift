import Autodiff
import LearnedInnerRate
import GradingSupport
import Testing

// Hidden tests for LearnedInnerRate (2 points): `objective` (1 point) and `gradient` (1 point).
// `gradient` compares the student's own objective with its own finite differences, so a wrong
// value costs only `objective`.

/// The reference objective: T unrolled steps w ← w − α∇L_train(w), then L_val.
private func referenceObjective(_ meta: Parameters, _ task: FrequencyTask, _ steps: Int) -> Tensor {
    let alpha = meta.require(innerRateName)
    let trainLoss = { (w: Parameters) in absoluteErrorLoss(w, inputs: task.trainInputs, targets: task.trainTargets) }
    var weights = networkWeights(of: meta)
    for _ in 0..<steps { weights = weights - alpha * grad(trainLoss)(weights) }
    return absoluteErrorLoss(weights, inputs: task.validationInputs, targets: task.validationTargets)
}

/// objective: the validation loss after exactly T unrolled steps, for T = 0, 1 and 3.
@Test(.graded, arguments: [0, 1, 3]) func objectivePart_validationLossAfterTUnrolledSteps(steps: Int) throws {
    var generator = SeededGenerator(seed: 3003)
    let meta = initialMetaParameters(widths: [1, 10, 10, 1], innerRate: 0.1, using: &generator)
    for _ in 0..<3 {
        let task = try FrequencyTask.sample(using: &generator)
        let value = try unrolledObjective(meta, task: task, innerSteps: steps).scalar
        let expected = referenceObjective(meta, task, steps).scalar
        #expect(abs(value - expected) <= 1e-10 * max(1, expected), "T = \(steps): \(value), expected \(expected)")
    }
}

/// gradient: at the first training iteration (fresh weights, α = 0.1, T = 3), `grad` of the
/// objective matches central finite differences along α and along random directions in w.
@Test(.graded) func gradientPart_matchesFiniteDifferencesAtTheFirstIteration() throws {
    var generator = SeededGenerator(seed: 3004)
    let meta = initialMetaParameters(widths: [1, 10, 10, 1], innerRate: 0.1, using: &generator)
    let task = try FrequencyTask.sample(using: &generator)
    var failure: (any Error)?
    let objective = { (p: Parameters) -> Tensor in
        do { return try unrolledObjective(p, task: task, innerSteps: 3) } catch {
            failure = error
            return p.squaredNorm() * 0
        }
    }
    let gradient = grad(objective)(meta)
    if let failure { throw failure }
    // Directions: α alone, then three random directions in the network weights (α fixed).
    var directions: [Parameters] = [meta.map { $0.zerosLike() }.merging([innerRateName: Tensor([1.0])])]
    for _ in 0..<3 {
        let random = networkWeights(of: meta).map { Tensor.randomNormal($0.shape, generator: &generator) }
        directions.append(random.merging([innerRateName: Tensor([0.0])]))
    }
    let h = 1e-6
    for (index, direction) in directions.enumerated() {
        let forward = objective(meta + h * direction).scalar
        let backward = objective(meta - h * direction).scalar
        let finiteDifference = (forward - backward) / (2 * h)
        let analytic = zip(gradient, direction).map { ($0.1 * $1.1).sum().scalar }.reduce(0, +)
        #expect(abs(analytic - finiteDifference) <= 1e-5 * max(1, abs(finiteDifference)),
                "direction \(index == 0 ? "α" : "w #\(index)"): grad gives \(analytic), finite differences \(finiteDifference)")
        #expect(abs(finiteDifference) > 1e-8, "the objective does not move along direction \(index)")
    }
}
