import Autodiff
import NeuralNetworks
import TaskData

/// Head training on frozen features: with F = body(images) held constant,
/// (W, b)⁰ = the model's head, (W, b)ˢ = (W, b)ˢ⁻¹ − α ∇L((W, b)ˢ⁻¹) for s = 1 … S, where
/// L(W, b) = −(1/n) Σᵢ log softmax(Fᵢ W + b)_(yᵢ); returns the model with (W, b)ˢ as its head
/// and every body tensor exactly as given.
public typealias HeadAdaptationFunction = (
    _ parameters: Parameters, _ network: ConvNet, _ images: Tensor, _ labels: [Int], _ steps: Int, _ stepSize: Double
) throws -> Parameters

/// Head training as the per-episode transfer hands it the episode's model: (model, its network,
/// support images, support labels) to the model with its head trained.
public typealias EpisodeHeadAdapter = (
    _ parameters: Parameters, _ network: ConvNet, _ images: Tensor, _ labels: [Int]
) throws -> Parameters

/// What transfer learning gives on one episode.
public struct EpisodeTransfer {
    /// The adapted N-way model: the pretrained body and the head trained on the support set.
    public let parameters: Parameters
    /// −(1/|D^query|) Σ log softmax(net(φ, x))_y over the query set.
    public let queryLoss: Double
    /// The fraction of query images whose largest logit is at their label.
    public let queryAccuracy: Double

    /// Stores one episode's result.
    public init(parameters: Parameters, queryLoss: Double, queryAccuracy: Double) {
        (self.parameters, self.queryLoss, self.queryAccuracy) = (parameters, queryLoss, queryAccuracy)
    }
}

/// Transfer learning on one N-way episode: the pretrained all-class network's body topped by
/// `head` (N-way), adapted by `adapt` on the support set only, then scored on the query set.
public typealias EpisodeTransferFunction = (
    _ pretrained: Parameters, _ network: ConvNet, _ episode: Episode, _ head: Parameters,
    _ adapt: @escaping EpisodeHeadAdapter
) throws -> EpisodeTransfer

extension ExerciseAgreement {
    /// The same body as `network` topped by a `ways`-way head.
    static func episodeNetwork(_ network: ConvNet, ways: Int) -> ConvNet {
        ConvNet(ways: ways, filters: network.filters, blocks: network.blocks, inputChannels: network.inputChannels,
                imageSize: network.imageSize, perStepBatchNorm: network.perStepBatchNorm, batchNormEpsilon: network.batchNormEpsilon)
    }

    /// The library's head training: the body's features once, as constants, then S gradient
    /// steps of softmax regression on them, moving only `network.headNames`.
    public static var libraryHeadAdaptation: HeadAdaptationFunction { { parameters, network, images, labels, steps, stepSize in
        if let missing = network.parameterNames.first(where: { parameters[$0] == nil }) {
            throw ExerciseCodeError.badInput("the model has no parameter \(missing) (it has \(parameters.names))")
        }
        guard images.rank == 4, images.shape[0] == labels.count else {
            throw ExerciseCodeError.badInput("\(labels.count) labels for images of shape \(images.shape)")
        }
        guard steps >= 0 else { throw ExerciseCodeError.badInput("the number of head steps must be at least 0, got \(steps)") }
        // F = body(images), detached: no gradient reaches the body.
        let features = network.features(parameters, images).detached()
        let loss = { (head: Parameters) in crossEntropy(logits: network.head(head, features), labels: labels) }
        var head = parameters.selecting(network.headNames)
        for _ in 0..<steps { head = head - stepSize * grad(loss)(head) }
        return parameters.merging(head)
    } }

    /// The library's per-episode transfer: model = body ∪ head, φ = adapt(model, N-way network,
    /// D^sup), then the cross-entropy and accuracy of φ on D^query.
    public static var libraryEpisodeTransfer: EpisodeTransferFunction { { pretrained, network, episode, head, adapt in
        if let missing = network.featureNames.first(where: { pretrained[$0] == nil }) {
            throw ExerciseCodeError.badInput("the pretrained parameters have no \(missing) (they have \(pretrained.names))")
        }
        let ways = (episode.supportLabels.max() ?? -1) + 1
        let nWayNetwork = episodeNetwork(network, ways: ways)
        guard head.count == 2, head["head.weight"]?.shape == [network.featureCount, ways], head["head.bias"]?.shape == [ways] else {
            throw ExerciseCodeError.badInput("the head must be head.weight [\(network.featureCount), \(ways)] and head.bias [\(ways)] "
                + "for a \(ways)-way episode, got \(head.names)")
        }
        let model = pretrained.selecting(network.featureNames).merging(head)
        let adapted = try adapt(model, nWayNetwork, episode.supportImages, episode.supportLabels)
        let logits = withoutRecording { nWayNetwork(adapted.detached(), episode.queryImages) }
        return EpisodeTransfer(parameters: adapted, queryLoss: crossEntropy(logits: logits, labels: episode.queryLabels).scalar,
                               queryAccuracy: accuracy(logits: logits, labels: episode.queryLabels))
    } }

    /// A random 5-class "pretrained" ConvNet (4 filters, 2 blocks) in Double precision, two
    /// 3-way 2-shot episodes of synthetic glyphs, and a Glorot-uniform 3-way head.
    static func tinyTransfer() throws -> (network: ConvNet, pretrained: Parameters, episodes: [Episode], head: Parameters) {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 4, seed: 11),
                                         ways: 3, shots: 2, queries: 2, dtype: .float64)
        var generator = SeededGenerator(seed: 12)
        let episodes = sampler.sampleBatch(count: 2, generator: &generator)
        let network = ConvNet(ways: 5, filters: 4, blocks: 2)
        let pretrained = network.initialize(generator: &generator, dtype: .float64)
        let head: Parameters = [
            "head.weight": Initializer.glorotUniform.tensor([network.featureCount, 3], fanIn: network.featureCount, fanOut: 3,
                                                            dtype: .float64, generator: &generator),
            "head.bias": .zeros([3], dtype: .float64),
        ]
        return (network, pretrained, episodes, head)
    }

    /// `adaptHead`: for S = 1 and S = 3 steps of 0.4 on an episode's support set, the body comes
    /// back bit for bit and the head equals the library's.
    public static func headAdaptation(_ adapt: @escaping HeadAdaptationFunction) throws -> String? {
        let (network, pretrained, episodes, head) = try tinyTransfer()
        let nWayNetwork = episodeNetwork(network, ways: 3)
        let model = pretrained.selecting(network.featureNames).merging(head)
        let (images, labels) = (episodes[0].supportImages, episodes[0].supportLabels)
        for steps in [1, 3] {
            let expected = try libraryHeadAdaptation(model, nWayNetwork, images, labels, steps, 0.4)
            let result = try adapt(model, nWayNetwork, images, labels, steps, 0.4)
            if let missing = expected.names.first(where: { result[$0] == nil }) {
                return "the adapted model has no \(missing) (it has \(result.names))"
            }
            if let extra = result.names.first(where: { expected[$0] == nil }) {
                return "the adapted model has a parameter \(extra) the model did not have"
            }
            if let moved = nWayNetwork.featureNames.first(where: { result.require($0).scalars != model.require($0).scalars }) {
                return "the body tensor \(moved) changed: the features must stay frozen"
            }
            guard let gap = largestDifference(result.selecting(nWayNetwork.headNames), expected.selecting(nWayNetwork.headNames)) else {
                return "the head has shapes \(result.selecting(nWayNetwork.headNames)), expected \(expected.selecting(nWayNetwork.headNames))"
            }
            if !(gap <= tolerance) { return "after \(steps) head step\(steps == 1 ? "" : "s") the head differs from the library's by \(gap)" }
        }
        return nil
    }

    /// `transferLearn` for one episode, with the library's head training (2 steps of 0.4): the
    /// adapted model, the query loss and the query accuracy on two episodes.
    public static func episodeTransfer(_ transfer: @escaping EpisodeTransferFunction) throws -> String? {
        let (network, pretrained, episodes, head) = try tinyTransfer()
        let adapt: EpisodeHeadAdapter = { try libraryHeadAdaptation($0, $1, $2, $3, 2, 0.4) }
        for (index, episode) in episodes.enumerated() {
            let expected = try libraryEpisodeTransfer(pretrained, network, episode, head, adapt)
            let result = try transfer(pretrained, network, episode, head, adapt)
            guard let gap = largestDifference(result.parameters, expected.parameters) else {
                return "the adapted model is named \(result.parameters.names), expected the body and the new head \(expected.parameters.names)"
            }
            if !(gap <= tolerance) {
                return "on episode \(index + 1) the adapted model differs from the library's by \(gap) (adapted on the support set only?)"
            }
            if !(abs(result.queryLoss - expected.queryLoss) <= tolerance) {
                return "on episode \(index + 1) the query loss \(result.queryLoss) differs from the library's \(expected.queryLoss)"
            }
            if !(abs(result.queryAccuracy - expected.queryAccuracy) <= tolerance) {
                return "on episode \(index + 1) the query accuracy \(result.queryAccuracy) differs from the library's \(expected.queryAccuracy)"
            }
        }
        return nil
    }

}

extension ExerciseSlot where Function == HeadAdaptationFunction {
    /// `adaptHead` from exercise TransferLearning.
    public static var headAdaptation: Self {
        Self(entry: \.headAdaptation, exercise: "TransferLearning", library: ExerciseAgreement.libraryHeadAdaptation,
             check: ExerciseAgreement.headAdaptation)
    }
}

extension ExerciseSlot where Function == EpisodeTransferFunction {
    /// `transferLearn` on one episode from exercise TransferLearning.
    public static var episodeTransfer: Self {
        Self(entry: \.episodeTransfer, exercise: "TransferLearning", library: ExerciseAgreement.libraryEpisodeTransfer,
             check: ExerciseAgreement.episodeTransfer)
    }
}
