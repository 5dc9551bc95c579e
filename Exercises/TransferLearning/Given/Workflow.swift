import Autodiff
import NeuralNetworks
import TaskData

/// Transfer learning on several episodes with the pieces put together the usual way: every
/// episode gets a fresh head from `generator` (`transferLearn(_:episodes:generator:learn:)`),
/// the new model is adapted on its support set (`transferLearn(_:episode:head:adapt:)`) by
/// S head steps of size α (`adaptHead`), and judged on its query set.
public func evaluateTransfer(
    _ pretrained: PretrainedNetwork, episodes: [Episode], settings: TransferSettings, generator: inout SeededGenerator
) throws -> TransferSummary {
    let adapter: HeadAdapter = { parameters, network, images, labels in
        try adaptHead(parameters, network: network, images: images, labels: labels, settings: settings)
    }
    return try transferLearn(pretrained, episodes: episodes, generator: &generator) { episode, head in
        try transferLearn(pretrained, episode: episode, head: head, adapt: adapter)
    }
}
