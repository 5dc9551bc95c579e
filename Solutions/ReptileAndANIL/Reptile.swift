import Autodiff
import ExerciseSupport

/// One serial Reptile update on one task:
///
///     φ̃ = U^k(φ) (k inner steps on the task's cost),    φ ← φ + ε (φ̃ − φ).
///
/// The initialisation moves a fraction ε of the way *towards* the adapted parameters.
public func reptileStep(
    _ phi: Parameters, taskCost: @escaping (Parameters) -> Tensor, inner: InnerLoop, outerStepSize epsilon: Double
) throws -> Parameters {
    let adapted = try inner.run(taskCost, from: phi)
    return phi + epsilon * (adapted - phi)
}

/// One batched Reptile update on n tasks:
///
///     W_i = U^k_i(φ) for every task, each starting from φ itself,
///     φ ← φ + β (1/n) Σᵢ (W_i − φ).
///
/// Throws when `taskCosts` is empty.
public func reptileBatchedStep(
    _ phi: Parameters, taskCosts: [(Parameters) -> Tensor], inner: InnerLoop, outerStepSize beta: Double
) throws -> Parameters {
    guard !taskCosts.isEmpty else { throw ExerciseError.invalidArgument("reptileBatchedStep needs at least one task") }
    var totalMove = phi.zerosLike()
    for cost in taskCosts {
        let adapted = try inner.run(cost, from: phi)
        totalMove = totalMove + (adapted - phi)
    }
    return phi + (beta / Double(taskCosts.count)) * totalMove
}
