import Autodiff
import ExerciseSupport

/// MAML's loss for one task after one adaptation step:
///
///     θ' = θ − α ∇L_support(θ),    adaptationLoss(θ) = L_query(θ'),
///
/// with L the summed squared error of `sineNetwork`. Differentiable in θ to second order.
/// `support` and `query` are [n, 1] columns of one task.
public func adaptationLoss(
    _ params: Parameters, support: (inputs: Tensor, targets: Tensor), query: (inputs: Tensor, targets: Tensor),
    stepSize: Double
) throws -> Tensor {
    // One gradient step on the support loss, then the query loss at the adapted parameters.
    throw ExerciseError.notImplemented("adaptationLoss")
}

/// The mean of `adaptationLoss` over a batch of T tasks, computed for all tasks at once:
///
///     θ_t = θ (copied along a task axis),   g_t = ∇_{θ_t} Σ_s L_s(θ_s) = ∇L_t(θ_t),
///     θ'_t = θ_t − α g_t,                   loss = (1/T) Σ_t L_query,t(θ'_t).
///
/// Because task t's loss depends only on its own copy θ_t, one gradient of the summed support
/// loss holds every task's own gradient in its row.
public func batchedAdaptationLoss(_ params: Parameters, tasks: SineTaskBatch, stepSize: Double) throws -> Tensor {
    // Copy the parameters along a task axis, adapt every copy at once, average the query losses.
    throw ExerciseError.notImplemented("batchedAdaptationLoss")
}
