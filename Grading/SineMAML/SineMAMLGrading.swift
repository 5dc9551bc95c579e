import Autodiff
import SineMAML
import GradingSupport
import Testing

// Hidden tests for SineMAML (2 points): `adaptation` (1 point) and `batched` (1 point).
// Each compares with the reference below, never with the student's other function.

/// The reference one-step loss of one task: L_query(θ − α ∇L_support(θ)).
private func referenceLoss(_ params: Parameters, _ task: (support: (inputs: Tensor, targets: Tensor), query: (inputs: Tensor, targets: Tensor)), _ alpha: Double) -> Tensor {
    let g = grad { squaredErrorLoss($0, inputs: task.support.inputs, targets: task.support.targets) }(params)
    return squaredErrorLoss(params - alpha * g, inputs: task.query.inputs, targets: task.query.targets)
}

/// Value and gradient of a throwing scalar function of the parameters; rethrows its error.
private func valueAndGradient(_ f: @escaping (Parameters) throws -> Tensor, at params: Parameters) throws -> (Double, Parameters) {
    var failure: (any Error)?
    let (value, gradient) = valueAndGrad { (p: Parameters) -> Tensor in
        do { return try f(p) } catch {
            failure = error
            return p.squaredNorm() * 0
        }
    }(params)
    if let failure { throw failure }
    return (value.scalar, gradient)
}

/// True when every tensor of `a` matches `b` to a relative tolerance.
private func close(_ a: Parameters, _ b: Parameters, tolerance: Double = 1e-9) -> Bool {
    zip(a, b).allSatisfy { x, y in
        x.0 == y.0 && x.1.shape == y.1.shape
            && zip(x.1.scalars, y.1.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}

private let alpha = 0.01

/// adaptation: the loss after one step θ − α∇L_support, and its second-order meta-gradient.
@Test(.graded) func adaptationPart_oneStepLossAndItsSecondOrderGradient() throws {
    var generator = SeededGenerator(seed: 2002)
    let params = randomSineNetwork(widths: [1, 12, 12, 1], using: &generator)
    let batch = try SineTasks.sample(count: 3, supportSize: 6, querySize: 7, using: &generator)
    for t in 0..<batch.taskCount {
        let task = batch.task(t)
        let (value, gradient) = try valueAndGradient({ try adaptationLoss($0, support: task.support, query: task.query, stepSize: alpha) }, at: params)
        let (expectedValue, expectedGradient) = try valueAndGradient({ referenceLoss($0, task, alpha) }, at: params)
        #expect(abs(value - expectedValue) <= 1e-9 * max(1, expectedValue), "task \(t): loss \(value), expected \(expectedValue)")
        #expect(close(gradient, expectedGradient), "task \(t): the meta-gradient is not the second-order one")
    }
}

/// batched: the vectorized loss equals the mean of the per-task losses, value and meta-gradient.
@Test(.graded) func batchedPart_equalsTheMeanOfThePerTaskLosses() throws {
    var generator = SeededGenerator(seed: 2003)
    let params = randomSineNetwork(widths: [1, 12, 12, 1], using: &generator)
    for count in [1, 4] {
        let batch = try SineTasks.sample(count: count, supportSize: 5, querySize: 6, using: &generator)
        let (value, gradient) = try valueAndGradient({ try batchedAdaptationLoss($0, tasks: batch, stepSize: alpha) }, at: params)
        let (expectedValue, expectedGradient) = try valueAndGradient({ p in
            (0..<count).map { referenceLoss(p, batch.task($0), alpha) }.reduce(p.squaredNorm() * 0, +) / Double(count)
        }, at: params)
        #expect(abs(value - expectedValue) <= 1e-9 * max(1, expectedValue), "\(count) tasks: loss \(value), expected \(expectedValue)")
        #expect(close(gradient, expectedGradient), "\(count) tasks: the meta-gradient differs from the per-task mean's")
    }
}
