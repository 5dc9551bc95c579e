import Autodiff
import ExerciseSupport
import NeuralNetworks
import TaskData

/// The pre-training hyper-parameters: how many mini-batches, how many images in each, and
/// Adam's step size.
public struct PretrainingSettings: Sendable, Equatable {
    /// The number of Adam steps, one per mini-batch.
    public let iterations: Int
    /// The images in every mini-batch.
    public let batchSize: Int
    /// Adam's step size.
    public let learningRate: Double

    /// Checks and stores the settings; throws when `iterations` is negative (0 leaves the network
    /// as initialised), `batchSize` is not positive, or the rate is not positive and finite.
    public init(iterations: Int = 1000, batchSize: Int = 64, learningRate: Double = 0.001) throws {
        guard iterations >= 0 else { throw ExerciseError.invalidArgument("iterations must be at least 0, got \(iterations)") }
        guard batchSize > 0 else { throw ExerciseError.invalidArgument("batchSize must be positive, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ExerciseError.invalidArgument("learningRate must be positive and finite, got \(learningRate)")
        }
        self.iterations = iterations
        self.batchSize = batchSize
        self.learningRate = learningRate
    }
}

/// The outcome of pre-training: the network and the loss of every mini-batch.
public struct PretrainingRun: Sendable {
    /// The trained all-class network.
    public let pretrained: PretrainedNetwork
    /// The cross-entropy of each mini-batch, before its step.
    public let losses: [Double]
}

/// Trains a conv net to tell apart every class of `dataset` at once, as ordinary
/// classification: C = the number of classes, and each step draws `batchSize` images
/// uniformly (a class, then one of its drawings), takes
///
///     L(θ) = −(1/B) Σᵢ log softmax(net(θ, xᵢ))_(yᵢ)
///
/// and moves θ with Adam. Every random choice (the initialisation, the mini-batches) comes
/// from `generator`. `observe` sees the network as it goes: `observe(0, θ⁰, nil)` before the
/// first step, then `observe(t, θᵗ, loss of mini-batch t)` after step t = 1 … T; what it throws
/// stops the run. Throws when the data set has fewer than 2 classes.
public func pretrain(
    on dataset: ImageDataset, filters: Int = 64, blocks: Int = 4, settings: PretrainingSettings,
    dtype: DType = .float32, generator: inout SeededGenerator,
    observe: (_ iteration: Int, _ parameters: Parameters, _ loss: Double?) throws -> Void = { _, _, _ in }
) throws -> PretrainingRun {
    let classes = dataset.classes.count
    guard classes >= 2 else { throw ExerciseError.invalidArgument("pre-training needs at least 2 classes, got \(classes)") }
    let network = ConvNet(ways: classes, filters: filters, blocks: blocks)
    var parameters = network.initialize(generator: &generator, dtype: dtype)
    let adam = Adam(learningRate: settings.learningRate)
    var state = adam.initialState(for: parameters)
    var losses: [Double] = []
    try observe(0, parameters, nil)
    for iteration in stride(from: 1, through: settings.iterations, by: 1) {
        let (images, labels) = miniBatch(from: dataset, size: settings.batchSize, dtype: dtype, generator: &generator)
        let (loss, gradient) = valueAndGrad { (p: Parameters) in
            crossEntropy(logits: network(p, images), labels: labels)
        }(parameters)
        (parameters, state) = adam.step(parameters, gradient, state)
        parameters = parameters.detached()
        losses.append(loss.scalar)
        try observe(iteration, parameters, loss.scalar)
    }
    return PretrainingRun(pretrained: try PretrainedNetwork(network: network, parameters: parameters), losses: losses)
}

/// `size` images `[size, 1, 28, 28]` drawn uniformly over the classes of `dataset`, with their
/// class indices as labels.
func miniBatch(from dataset: ImageDataset, size: Int, dtype: DType,
               generator: inout SeededGenerator) -> (images: Tensor, labels: [Int]) {
    var pixels: [Double] = []
    pixels.reserveCapacity(size * ImageDataset.pixelsPerImage)
    var labels: [Int] = []
    for _ in 0..<size {
        let label = generator.int(below: dataset.classes.count)
        let imageClass = dataset.classes[label]
        pixels += imageClass.image(generator.int(below: imageClass.imageCount)).map(Double.init)
        labels.append(label)
    }
    let side = ImageDataset.side
    return (Tensor(shape: [size, 1, side, side], scalars: pixels, dtype: dtype), labels)
}
