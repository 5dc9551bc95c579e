import Autodiff
import ExerciseSupport
import NeuralNetworks
import TaskData

/// Transfer learning on one N-way episode, from a given new head:
///
/// 1. the new model: the pretrained body (every block; the all-class head is thrown away)
///    topped by `head`, an N-way layer (`head.weight` [featureCount, N], `head.bias` [N]);
/// 2. adaptation on the support set only: `adapt(model, network, D^sup images, D^sup labels)`;
/// 3. evaluation of the adapted model on the query set:
///
///        queryLoss = −(1/|D^query|) Σ_(x, y) ∈ D^query log softmax(net(φ, x))_y,
///        queryAccuracy = the fraction of query images whose largest logit is at their label.
///
/// Throws when `head` is not an N-way head for the body's features, and passes on `adapt`'s errors.
public func transferLearn(
    _ pretrained: PretrainedNetwork, episode: Episode, head: Parameters, adapt: HeadAdapter
) throws -> TransferResult {
    // Build the episode's network and model, adapt it on the support set with `adapt`, and
    // measure the adapted model on the query set.
    throw ExerciseError.notImplemented("transferLearn")
}

/// Transfer learning on several episodes, each from its own fresh head:
///
///     headᵢ = freshHead(featureCount, Nᵢ, generator)     drawn in episode order, one per episode
///     resultᵢ = learn(episodeᵢ, headᵢ)
///     meanQueryAccuracy = (1/n) Σᵢ resultᵢ.queryAccuracy,   meanQueryLoss likewise.
///
/// No episode starts from another one's head. Throws when `episodes` is empty, and passes on
/// `learn`'s errors.
public func transferLearn(
    _ pretrained: PretrainedNetwork, episodes: [Episode], generator: inout SeededGenerator, learn: EpisodeLearner
) throws -> TransferSummary {
    // Draw a fresh head for every episode, in order, let `learn` adapt and evaluate it, and
    // average the query accuracies and losses.
    throw ExerciseError.notImplemented("transferLearn over episodes")
}
