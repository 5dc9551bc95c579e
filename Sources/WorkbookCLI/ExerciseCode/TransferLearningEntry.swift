#if canImport(TransferLearning)
import Autodiff
import NeuralNetworks
import TaskData
import TransferLearning
import Workbook

extension ExerciseCode {
    /// Sets the `headAdaptation`, `episodeTransfer` and `transferEpisodes` entries from this
    /// program's TransferLearning module. Each check hands the function the library's versions
    /// of the others, so a mistake in `adaptHead` shows up once, under `adaptHead`.
    mutating func addTransferLearning() {
        headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead (parts frozen and adaptation)") {
            parameters, network, images, labels, steps, stepSize in
            try adaptHead(parameters, network: network, images: images, labels: labels,
                          settings: try TransferSettings(steps: steps, stepSize: stepSize))
        }
        episodeTransfer = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn on one episode (parts support and evaluation)") {
            pretrained, network, episode, head, adapt in
            let result = try transferLearn(try PretrainedNetwork(network: network, parameters: pretrained), episode: episode,
                                           head: head, adapt: adapt)
            return EpisodeTransfer(parameters: result.parameters, queryLoss: result.queryLoss, queryAccuracy: result.queryAccuracy)
        }
        transferEpisodes = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn over episodes (part batch)") {
            pretrained, network, episodes, generator, learn in
            let summary = try transferLearn(try PretrainedNetwork(network: network, parameters: pretrained), episodes: episodes,
                                            generator: &generator) { episode, head in
                let result = try learn(episode, head)
                return TransferResult(parameters: result.parameters, queryLoss: result.queryLoss, queryAccuracy: result.queryAccuracy)
            }
            return TransferEpisodesSummary(
                results: summary.results.map { EpisodeTransfer(parameters: $0.parameters, queryLoss: $0.queryLoss, queryAccuracy: $0.queryAccuracy) },
                meanQueryAccuracy: summary.meanQueryAccuracy, meanQueryLoss: summary.meanQueryLoss)
        }
    }
}
#endif
