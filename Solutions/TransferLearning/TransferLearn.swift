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
    let ways = classCount(of: episode)
    let network = pretrained.episodeNetwork(ways: ways)
    let weight = head["head.weight"], bias = head["head.bias"]
    guard head.count == 2, weight?.shape == [network.featureCount, ways], bias?.shape == [ways] else {
        throw ExerciseError.invalidArgument("transferLearn: the head must be head.weight [\(network.featureCount), \(ways)] "
            + "and head.bias [\(ways)] for this \(ways)-way episode, got \(head)")
    }
    let model = pretrained.featureParameters.merging(head)
    let adapted = try adapt(model, network, episode.supportImages, episode.supportLabels)
    let logits = network(adapted, episode.queryImages)
    return TransferResult(parameters: adapted,
                          queryLoss: crossEntropy(logits: logits, labels: episode.queryLabels).scalar,
                          queryAccuracy: accuracy(logits: logits, labels: episode.queryLabels))
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
    guard !episodes.isEmpty else { throw ExerciseError.invalidArgument("transferLearn needs at least one episode") }
    var results: [TransferResult] = []
    for episode in episodes {
        let head = freshHead(featureCount: pretrained.network.featureCount, ways: classCount(of: episode),
                             dtype: pretrained.dtype, generator: &generator)
        results.append(try learn(episode, head))
    }
    let n = Double(results.count)
    return TransferSummary(results: results,
                           meanQueryAccuracy: results.map(\.queryAccuracy).reduce(0, +) / n,
                           meanQueryLoss: results.map(\.queryLoss).reduce(0, +) / n)
}
