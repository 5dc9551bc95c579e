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
    guard !episodes.isEmpty else { throw ExerciseError.invalidArgument("outerLoop needs at least one episode") }
    let n = Double(episodes.count)
    var totalLoss = 0.0
    var totalGradient = theta.zerosLike()
    var totalQueryAccuracy = 0.0
    var totalSupportAccuracies: [Double] = []
    for episode in episodes {
        let adaptation = try adapt(theta, episode)
        let queryLoss = { (phi: Parameters) in
            crossEntropy(logits: model(phi, episode.queryImages), labels: episode.queryLabels)
        }
        let (loss, gradient) = valueAndGrad(queryLoss)(adaptation.parameters)
        totalLoss += loss.scalar
        totalGradient = totalGradient + gradient
        totalQueryAccuracy += accuracy(logits: model(adaptation.parameters, episode.queryImages), labels: episode.queryLabels)
        let accuracies = adaptation.supportAccuracies
        totalSupportAccuracies = totalSupportAccuracies.isEmpty
            ? accuracies : zip(totalSupportAccuracies, accuracies).map(+)
    }
    return MetaBatchResult(loss: totalLoss / n, gradient: totalGradient / n,
                           queryAccuracy: totalQueryAccuracy / n,
                           supportAccuracies: totalSupportAccuracies.map { $0 / n })
}
