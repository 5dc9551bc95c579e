import Autodiff
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
    let images = episode.supportImages
    let labels = episode.supportLabels
    let supportLoss = { (candidate: Parameters) in crossEntropy(logits: model(candidate, images), labels: labels) }
    var adapted = theta
    var accuracies = [accuracy(logits: model(adapted, images), labels: labels)]
    for _ in stride(from: 1, to: settings.steps, by: 1) {
        adapted = adapted - settings.stepSize * grad(supportLoss)(adapted)
        accuracies.append(accuracy(logits: model(adapted, images), labels: labels))
    }
    return Adaptation(parameters: adapted, supportAccuracies: accuracies)
}
