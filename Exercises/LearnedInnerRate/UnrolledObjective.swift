import Autodiff
import ExerciseSupport

/// The meta-objective with a learned inner step size α (the meta-parameter `innerRate`):
///
///     w₀ = w,   w_t = w_{t−1} − α ∇L_train(w_{t−1})  (t = 1, ..., T),   objective = L_val(w_T),
///
/// with L the mean absolute error of `frequencyNetwork`. It depends on w and α, and both get a
/// gradient through every unrolled step (second order in w, and ∂/∂α through every α ∇L term).
/// Throws when `innerSteps` is negative or `meta` has no `innerRate`.
public func unrolledObjective(_ meta: Parameters, task: FrequencyTask, innerSteps: Int) throws -> Tensor {
    // Check the arguments, unroll the inner steps with α taken from `meta`, return the validation loss.
    throw ExerciseError.notImplemented("unrolledObjective")
}
