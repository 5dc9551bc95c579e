import Autodiff
import NeuralNetworks
import TaskData

/// Which statistics normalize the query images of a held-out episode after adaptation.
///
/// Adaptation always normalizes each support batch with its own statistics (as in training).
/// The choice matters at test time, when the query batch is small or unbalanced:
///
/// | mode | statistics of each batch-norm layer for the query images |
/// | --- | --- |
/// | `transductive` | the query batch's own (the reference MAML behaviour; the queries inform each other) |
/// | `support` | the support set's, through the adapted network (each query is classified on its own) |
/// | `running` | fixed population statistics, e.g. `CheckpointEvaluation.runningStatistics` |
public enum BatchNormMode: Sendable {
    /// The query batch's own mean and variance.
    case transductive
    /// The support set's mean and variance under the adapted parameters (those it was normalized with).
    case support
    /// The given per-layer statistics.
    case running(BatchNormStatistics)

    /// The query logits of `episode` under adapted `params`, at batch-norm step `step`.
    func queryLogits(_ model: ConvNet, _ params: Parameters, episode: Episode, step: Int) -> Tensor {
        switch self {
        case .transductive:
            return model(params, episode.queryImages, step: step)
        case .support:
            // Momentum 1 and the biased variance: exactly the statistics the support batch was normalized with.
            var supportStatistics = model.initialStatistics(dtype: episode.supportImages.dtype, momentum: 1)
            supportStatistics.unbiasedVariance = false
            let (_, statistics) = model(params, episode.supportImages, statistics: supportStatistics, training: true, step: step)
            return model(params, episode.queryImages, statistics: statistics, training: false, step: step).logits
        case .running(let statistics):
            return model(params, episode.queryImages, statistics: statistics, training: false, step: step).logits
        }
    }
}
