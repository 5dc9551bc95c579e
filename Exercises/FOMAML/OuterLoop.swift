import Autodiff
import ExerciseSupport
import TaskData

/// The FO-MAML objective and its first-order gradient on a meta-batch of n episodes:
///
///     φᵢᴸ = adapt(θ, episode i)                  (every episode starts from θ itself)
///     objective = (1/n) Σᵢ L(φᵢᴸ, Dᵢ^query)
///     gradient  = (1/n) Σᵢ ∇_φ L(φ, Dᵢ^query) at φ = φᵢᴸ
///
/// The gradient is taken at the adapted parameters as if they were θ: the Jacobian ∂φᵢᴸ/∂θ
/// of the inner steps is replaced by the identity (the first-order approximation). Also
/// averages the query accuracies and the support accuracies of the adaptations.
/// Throws when `episodes` is empty, and passes on the adapter's errors.
public func outerLoop(
    _ theta: Parameters, episodes: [Episode], model: @escaping Classifier, adapt: Adapter
) throws -> MetaBatchResult {
    // Adapt every episode from θ with `adapt`, then average the query losses, the query
    // gradients at the adapted parameters and the accuracies.
    throw ExerciseError.notImplemented("outerLoop")
}
