import Autodiff
import Foundation
import NeuralNetworks
import TaskData
import TransferLearning

/// `adaptHead` as a chapter calls it (exercise TransferLearning).
public typealias AdaptHeadFunction = (
    _ parameters: Parameters, _ network: ConvNet, _ images: Tensor, _ labels: [Int], _ settings: TransferSettings
) throws -> Parameters
/// `transferLearn` on one episode as a chapter calls it (exercise TransferLearning).
public typealias TransferEpisodeFunction = (
    _ pretrained: PretrainedNetwork, _ episode: Episode, _ head: Parameters, _ adapt: HeadAdapter
) throws -> TransferResult
/// `transferLearn` over several episodes as a chapter calls it (exercise TransferLearning).
public typealias TransferEpisodesFunction = (
    _ pretrained: PretrainedNetwork, _ episodes: [Episode], _ generator: inout SeededGenerator, _ learn: EpisodeLearner
) throws -> TransferSummary

/// Known-answer checks with a "pretrained" network whose body is all zeros: its features are 0
/// for every image, so the logits are the head's bias b and, for a balanced 2-way set with
/// p = softmax(b), the loss is −½(log p₀ + log p₁) and the gradient p − (½, ½) (none for W).
enum TransferLearningChecks {
    /// A 4-class network of 2 filters and 2 blocks, its body set to zeros, in Double precision.
    static func zeroBody() throws -> PretrainedNetwork {
        let network = ConvNet(ways: 4, filters: 2, blocks: 2)
        var generator = SeededGenerator(seed: 9)
        let parameters = network.initialize(generator: &generator, dtype: .float64)
        let zeroed = Parameters(parameters.map { name, tensor in (name, network.featureNames.contains(name) ? tensor.zerosLike() : tensor) })
        return try PretrainedNetwork(network: network, parameters: zeroed)
    }

    /// Two 2-way 1-shot 2-query episodes of synthetic glyphs in Double precision.
    static func episodes() throws -> [Episode] {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 3, drawingsPerClass: 4, seed: 7),
                                         ways: 2, shots: 1, queries: 2, dtype: .float64)
        var generator = SeededGenerator(seed: 10)
        return sampler.sampleBatch(count: 2, generator: &generator)
    }

    /// softmax(b₀, b₁)₀.
    static func firstProbability(_ b: [Double]) -> Double { 1 / (1 + Foundation.exp(b[1] - b[0])) }

    /// One head step of α = 1 from b = (0.2, 0) on labels (0, 1): b − (p − ½); the body comes back bit for bit.
    static func head(_ adaptHead: @escaping AdaptHeadFunction) -> SanityCheck {
        SanityCheck("TransferLearning", "adaptHead") {
            let pretrained = try zeroBody()
            let network = pretrained.episodeNetwork(ways: 2)
            var generator = SeededGenerator(seed: 11)
            let head = freshHead(featureCount: network.featureCount, ways: 2, generator: &generator)
                .merging(["head.bias": Tensor([0.2, 0])])
            let model = pretrained.featureParameters.merging(head)
            let adapted = try adaptHead(model, network, .zeros([2, 1, 28, 28]), [0, 1], TransferSettings(steps: 1, stepSize: 1))
            if let moved = network.featureNames.first(where: { adapted[$0]?.scalars != model.require($0).scalars }) {
                return "adaptHead changed (or dropped) the body tensor \(moved); the body must come back exactly as given"
            }
            let p0 = firstProbability([0.2, 0])
            let expected = [0.2 - (p0 - 0.5), p0 - 0.5]
            let bias = adapted["head.bias"]?.scalars ?? []
            return close(bias, expected) ? nil
                : "with a body whose features are all 0, one head step of α = 1 from the bias (0.2, 0) on labels (0, 1) gave the bias "
                    + "\(shown(bias)); b − (softmax(b) − ½) = \(shown(expected)) was expected"
        }
    }

    /// One episode with an adapter that sets the bias to (0.2, 0): the query loss is −½(log p₀ + log(1 − p₀))
    /// and the accuracy ½; the adapter must get the pretrained body under the given head, and the support set.
    static func episode(_ transferLearn: @escaping TransferEpisodeFunction) -> SanityCheck {
        SanityCheck("TransferLearning", "transferLearn(_:episode:head:adapt:)") {
            let pretrained = try zeroBody()
            let episode = try episodes()[0]
            var generator = SeededGenerator(seed: 12)
            let head = freshHead(featureCount: pretrained.network.featureCount, ways: 2, generator: &generator)
            var handed: (parameters: Parameters, ways: Int, labels: [Int])?
            let result = try transferLearn(pretrained, episode, head) { parameters, network, _, labels in
                handed = (parameters, network.ways, labels)
                return parameters.merging(["head.bias": Tensor([0.2, 0])])
            }
            guard let handed else { return "transferLearn never called adapt" }
            let expectedModel = pretrained.featureParameters.merging(head)
            if handed.ways != 2 || handed.labels != episode.supportLabels
                || expectedModel.names.contains(where: { handed.parameters[$0]?.scalars != expectedModel.require($0).scalars }) {
                return "transferLearn must hand adapt the pretrained body under the new 2-way head, a 2-way network and the support "
                    + "labels \(episode.supportLabels); it handed a \(handed.ways)-way network, labels \(handed.labels) and the parameters \(handed.parameters.names)"
            }
            let p0 = firstProbability([0.2, 0])
            let loss = -0.5 * (Foundation.log(p0) + Foundation.log(1 - p0))
            return close(result.queryLoss, loss) && close(result.queryAccuracy, 0.5) ? nil
                : "with an adapter that sets the bias to (0.2, 0) on a body whose features are 0, it gave the query loss "
                    + "\(shown(result.queryLoss)) and accuracy \(shown(result.queryAccuracy)); \(shown(loss)) and 0.5 were expected"
        }
    }

    /// Two episodes with a stand-in learner: one fresh head per episode, drawn in order and
    /// nothing more, and the means of the learner's results.
    static func episodesCheck(_ transferLearn: @escaping TransferEpisodesFunction) -> SanityCheck {
        SanityCheck("TransferLearning", "transferLearn(_:episodes:generator:learn:)") {
            let pretrained = try zeroBody()
            var generator = SeededGenerator(seed: 13), replay = generator
            var heads: [Parameters] = []
            let results = [(0.4, 0.2), (1.0, 0.6)]
            let summary = try transferLearn(pretrained, try episodes(), &generator) { _, head in
                heads.append(head)
                let (loss, accuracy) = results[(heads.count - 1) % 2]
                return TransferResult(parameters: head, queryLoss: loss, queryAccuracy: accuracy)
            }
            let expected = (0..<2).map { _ in
                freshHead(featureCount: pretrained.network.featureCount, ways: 2, dtype: pretrained.dtype, generator: &replay)
            }
            let sameHeads = heads.count == 2 && zip(heads, expected).allSatisfy { head, fresh in
                fresh.names.allSatisfy { head[$0]?.scalars == fresh.require($0).scalars }
            }
            if !sameHeads || generator.stateWords != replay.stateWords {
                return "transferLearn over 2 episodes must draw one fresh head per episode with freshHead, in order, and nothing else "
                    + "from the generator; the learner got \(heads.count) heads\(sameHeads ? ", but the generator was used for more" : " that differ from those draws")"
            }
            return close(summary.meanQueryLoss, 0.7) && close(summary.meanQueryAccuracy, 0.4) ? nil
                : "for per-episode losses (0.4, 1) and accuracies (0.2, 0.6) it gave the means \(shown(summary.meanQueryLoss)) and "
                    + "\(shown(summary.meanQueryAccuracy)); 0.7 and 0.4 were expected"
        }
    }
}
