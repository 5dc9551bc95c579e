import Autodiff
import ExerciseSupport
import TaskData

/// Adapts θ to one episode with L gradient steps on its support set (the query set is not
/// touched):
///
///     φ⁰ = θ,   φᵏ = φᵏ⁻¹ − η ∇_φ L(φᵏ⁻¹, D^sup)   for k = 1 … L,
///     L(φ, D) = −(1/|D|) Σ_(x, y) ∈ D log softmax(model(φ, x))_y.
///
/// Also records the support accuracy at φ⁰, φ¹, …, φᴸ. The caller's θ is left as it was.
public func innerLoop(
    _ theta: Parameters, episode: Episode, model: @escaping Classifier, settings: InnerLoopSettings
) throws -> Adaptation {
    // Take `settings.steps` steps of size `settings.stepSize` on the support cross-entropy,
    // recording the support accuracy before the first step and after every step.
    throw ExerciseError.notImplemented("innerLoop")
}
