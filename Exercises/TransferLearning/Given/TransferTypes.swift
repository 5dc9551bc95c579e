import Autodiff
import ExerciseSupport
import NeuralNetworks
import TaskData

/// The head-training hyper-parameters: S, the number of gradient steps on the support set, and
/// α, their step size.
public struct TransferSettings: Sendable, Equatable {
    /// S, the number of gradient steps the new head takes on the support set.
    public let steps: Int
    /// α, the step size of every head step.
    public let stepSize: Double

    /// Checks and stores the settings; throws when `steps` is negative or `stepSize` not finite.
    public init(steps: Int, stepSize: Double) throws {
        guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
        guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \(stepSize)") }
        self.steps = steps
        self.stepSize = stepSize
    }
}

/// A network trained as an ordinary classifier over every training class: its convolutional
/// feature extractor (the body) is what transfer learning reuses.
public struct PretrainedNetwork: Sendable {
    /// The all-class network (its `ways` is the number of pre-training classes).
    public let network: ConvNet
    /// Its parameters: the body's blocks and the all-class head.
    public let parameters: Parameters

    /// Pairs a network with its parameters; throws when a parameter the network needs is missing.
    public init(network: ConvNet, parameters: Parameters) throws {
        if let missing = network.parameterNames.first(where: { parameters[$0] == nil }) {
            throw ExerciseError.invalidArgument("the pretrained parameters have no '\(missing)' (have \(parameters.names))")
        }
        self.network = network
        self.parameters = parameters
    }

    /// The body's parameters alone (every block, in order), without the all-class head.
    public var featureParameters: Parameters { parameters.selecting(network.featureNames) }

    /// The element type of the parameters.
    public var dtype: DType { parameters.tensors[0].dtype }

    /// The same body topped by a `ways`-way head: the network of an N-way episode.
    public func episodeNetwork(ways: Int) -> ConvNet {
        ConvNet(ways: ways, filters: network.filters, blocks: network.blocks, inputChannels: network.inputChannels,
                imageSize: network.imageSize, perStepBatchNorm: network.perStepBatchNorm,
                batchNormEpsilon: network.batchNormEpsilon)
    }
}

/// A new, untrained N-way classification layer on `featureCount` features:
///
///     head.weight ~ U[−a, a]  with a = √(6 / (featureCount + ways))   (Glorot uniform), shape [featureCount, ways]
///     head.bias   = 0,                                                              shape [ways]
///
/// Every draw comes from `generator`, so the same seed gives the same head.
public func freshHead(featureCount: Int, ways: Int, dtype: DType = .float64,
                      generator: inout SeededGenerator) -> Parameters {
    [
        "head.weight": Initializer.glorotUniform.tensor([featureCount, ways], fanIn: featureCount, fanOut: ways,
                                                        dtype: dtype, generator: &generator),
        "head.bias": .zeros([ways], dtype: dtype),
    ]
}

/// N, the number of classes of an episode (its labels are 0..<N).
public func classCount(of episode: Episode) -> Int {
    (episode.supportLabels.max() ?? -1) + 1
}

/// What transfer learning gives on one episode.
public struct TransferResult {
    /// The adapted N-way model: the pretrained body and the head trained on the support set.
    public let parameters: Parameters
    /// The query loss of the adapted model: −(1/|D^query|) Σ log softmax(logits)_y.
    public let queryLoss: Double
    /// The fraction of query images the adapted model classifies correctly.
    public let queryAccuracy: Double

    /// Stores one episode's result.
    public init(parameters: Parameters, queryLoss: Double, queryAccuracy: Double) {
        self.parameters = parameters
        self.queryLoss = queryLoss
        self.queryAccuracy = queryAccuracy
    }
}

/// What transfer learning gives on several episodes.
public struct TransferSummary {
    /// The per-episode results, in the order of the episodes.
    public let results: [TransferResult]
    /// The mean of the per-episode query accuracies.
    public let meanQueryAccuracy: Double
    /// The mean of the per-episode query losses.
    public let meanQueryLoss: Double

    /// Stores the results of several episodes with their means.
    public init(results: [TransferResult], meanQueryAccuracy: Double, meanQueryLoss: Double) {
        self.results = results
        self.meanQueryAccuracy = meanQueryAccuracy
        self.meanQueryLoss = meanQueryLoss
    }
}

/// Head training as `transferLearn` uses it: given an N-way model (body and head), its network
/// and a labelled set of images, the model after training its head on that set. Normally
/// `{ try adaptHead($0, network: $1, images: $2, labels: $3, settings: settings) }`.
public typealias HeadAdapter = (
    _ parameters: Parameters, _ network: ConvNet, _ images: Tensor, _ labels: [Int]
) throws -> Parameters

/// Transfer learning on one episode from a given starting head, as the batch form uses it.
/// Normally `{ try transferLearn(pretrained, episode: $0, head: $1, adapt: adapter) }`.
public typealias EpisodeLearner = (_ episode: Episode, _ head: Parameters) throws -> TransferResult
