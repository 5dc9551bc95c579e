#if canImport(TransferLearning)
import Autodiff
import NeuralNetworks
import TaskData
import TransferLearning
import Workbook

extension ExerciseCode {
    /// Sets the `headAdaptation` and `episodeTransfer` entries from this program's
    /// TransferLearning module. The chapter hands `transferLearn` its head training, so a
    /// mistake in `adaptHead` shows up once, under `adaptHead`.
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
    }
}
#endif
