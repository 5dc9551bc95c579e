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
    // Adapt with `inner`, then move φ part of the way towards the adapted parameters.
    throw ExerciseError.notImplemented("reptileStep")
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
    // Adapt every task from φ, average the moves, take a step of size β along the average.
    throw ExerciseError.notImplemented("reptileBatchedStep")
}
