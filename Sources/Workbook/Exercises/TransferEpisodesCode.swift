import Autodiff
import NeuralNetworks
import TaskData

/// What transfer learning gives on several episodes: each one's result and the means.
public struct TransferEpisodesSummary {
    /// The per-episode results, in the order of the episodes.
    public let results: [EpisodeTransfer]
    /// (1/n) Σᵢ queryAccuracyᵢ.
    public let meanQueryAccuracy: Double
    /// (1/n) Σᵢ queryLossᵢ.
    public let meanQueryLoss: Double

    /// Stores the results of several episodes with their means.
    public init(results: [EpisodeTransfer], meanQueryAccuracy: Double, meanQueryLoss: Double) {
        (self.results, self.meanQueryAccuracy, self.meanQueryLoss) = (results, meanQueryAccuracy, meanQueryLoss)
    }
}

/// Transfer learning on one episode from a given new head, as the several-episodes form calls it.
public typealias EpisodeLearnerFunction = (_ episode: Episode, _ head: Parameters) throws -> EpisodeTransfer

/// Transfer learning on several episodes: headᵢ = a fresh Glorot-uniform N-way head (bias 0)
/// drawn from `generator` in episode order, resultᵢ = learn(episodeᵢ, headᵢ), and the means.
public typealias TransferEpisodesFunction = (
    _ pretrained: Parameters, _ network: ConvNet, _ episodes: [Episode], _ generator: inout SeededGenerator,
    _ learn: @escaping EpisodeLearnerFunction
) throws -> TransferEpisodesSummary

extension ExerciseAgreement {
    /// The library's several-episodes transfer: for each episode in order, W ~ U[−a, a] with
    /// a = √(6 / (D + N)) (shape [D, N]) and b = 0 from `generator`, then `learn`; the means of
    /// the query accuracies and losses.
    public static var libraryTransferEpisodes: TransferEpisodesFunction { { pretrained, network, episodes, generator, learn in
        guard !episodes.isEmpty else { throw ExerciseCodeError.badInput("transfer learning needs at least one episode") }
        guard let dtype = pretrained.tensors.first?.dtype else { throw ExerciseCodeError.badInput("the pretrained parameters are empty") }
        var results: [EpisodeTransfer] = []
        for episode in episodes {
            let ways = (episode.supportLabels.max() ?? -1) + 1
            let head: Parameters = [
                "head.weight": Initializer.glorotUniform.tensor([network.featureCount, ways], fanIn: network.featureCount, fanOut: ways,
                                                                dtype: dtype, generator: &generator),
                "head.bias": .zeros([ways], dtype: dtype),
            ]
            results.append(try learn(episode, head))
        }
        let n = Double(results.count)
        return TransferEpisodesSummary(results: results, meanQueryAccuracy: results.map(\.queryAccuracy).reduce(0, +) / n,
                                       meanQueryLoss: results.map(\.queryLoss).reduce(0, +) / n)
    } }

    /// `transferLearn` over episodes, with the library's per-episode transfer and head training:
    /// the same results in the same order, the means, and no draws beyond one head per episode.
    public static func transferEpisodes(_ transfer: @escaping TransferEpisodesFunction) throws -> String? {
        let (network, pretrained, episodes, _) = try tinyTransfer()
        let learn: EpisodeLearnerFunction = { episode, head in
            try libraryEpisodeTransfer(pretrained, network, episode, head) { try libraryHeadAdaptation($0, $1, $2, $3, 2, 0.4) }
        }
        var expectedGenerator = SeededGenerator(seed: 13), generator = SeededGenerator(seed: 13)
        let expected = try libraryTransferEpisodes(pretrained, network, episodes, &expectedGenerator, learn)
        let summary = try transfer(pretrained, network, episodes, &generator, learn)
        guard summary.results.count == expected.results.count else {
            return "\(summary.results.count) results for \(episodes.count) episodes"
        }
        for (index, (result, wanted)) in zip(summary.results, expected.results).enumerated() {
            guard let gap = largestDifference(result.parameters, wanted.parameters), gap <= tolerance,
                  abs(result.queryAccuracy - wanted.queryAccuracy) <= tolerance, abs(result.queryLoss - wanted.queryLoss) <= tolerance else {
                return "the result of episode \(index + 1) differs from the library's (a fresh head for every episode, drawn in order?)"
            }
        }
        if !(abs(summary.meanQueryAccuracy - expected.meanQueryAccuracy) <= tolerance) {
            return "the mean query accuracy \(summary.meanQueryAccuracy) differs from the library's \(expected.meanQueryAccuracy)"
        }
        if !(abs(summary.meanQueryLoss - expected.meanQueryLoss) <= tolerance) {
            return "the mean query loss \(summary.meanQueryLoss) differs from the library's \(expected.meanQueryLoss)"
        }
        if generator.stateWords != expectedGenerator.stateWords {
            return "the generator was used for more than one head per episode"
        }
        return nil
    }
}

extension ExerciseSlot where Function == TransferEpisodesFunction {
    /// `transferLearn` over several episodes from exercise TransferLearning.
    public static var transferEpisodes: Self {
        Self(entry: \.transferEpisodes, exercise: "TransferLearning", library: ExerciseAgreement.libraryTransferEpisodes,
             check: ExerciseAgreement.transferEpisodes)
    }
}
