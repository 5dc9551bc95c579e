import Autodiff
import Foundation
import NeuralNetworks
import TaskData

/// The transfer-learning baseline: pre-train the network as an ordinary classifier over every
/// training class, then, for each new episode, keep its features frozen, put a fresh N-way
/// head on top, train that head on the support set for a few steps, and measure the query set.
///
/// Pre-training minimizes the cross-entropy over all C training classes with Adam on random
/// mini-batches; adaptation is SGD on the head only: (W, b) ← (W, b) − α ∇L_support(W, b).
public struct TransferLearning: Sendable {
    /// Pre-training iterations (mini-batches).
    public var pretrainIterations: Int
    /// Images per pre-training mini-batch.
    public var batchSize: Int
    /// Adam's rate during pre-training.
    public var pretrainLearningRate: Double
    /// Head-training steps on each episode's support set.
    public var adaptationSteps: Int
    /// SGD rate of the head during adaptation.
    public var adaptationLearningRate: Double

    /// A baseline with the given budget.
    public init(pretrainIterations: Int = 1000, batchSize: Int = 64, pretrainLearningRate: Double = 1e-3,
                adaptationSteps: Int = 50, adaptationLearningRate: Double = 0.4) {
        self.pretrainIterations = pretrainIterations
        self.batchSize = batchSize
        self.pretrainLearningRate = pretrainLearningRate
        self.adaptationSteps = adaptationSteps
        self.adaptationLearningRate = adaptationLearningRate
    }

    /// The outcome of pre-training.
    public struct Pretrained: Sendable {
        /// Feature-extractor and all-class head parameters.
        public let parameters: Parameters
        /// The all-class network.
        public let model: ConvNet
        /// Training loss per iteration.
        public let losses: [Double]
        /// Accuracy on the last mini-batches (a sanity check that pre-training learned).
        public let finalBatchAccuracy: Double
    }

    /// Pre-trains a `filters`-channel conv net on every class of `dataset`; `progress` receives
    /// (iteration, loss) after each step.
    public func pretrain(on dataset: ImageDataset, filters: Int = 64, dtype: DType = .float32, seed: UInt64 = 0,
                         progress: (Int, Double) -> Void = { _, _ in }) throws -> Pretrained {
        guard dataset.classes.count >= 2 else {
            throw TrainingError.invalidOption("transfer pre-training needs at least 2 classes, got \(dataset.classes.count)")
        }
        guard pretrainIterations > 0, batchSize > 0 else {
            throw TrainingError.invalidOption("--pretrain-iterations and --batch-size must be positive")
        }
        let model = ConvNet(ways: dataset.classes.count, filters: filters)
        var generator = SeededGenerator(seed: seed)
        var params = model.initialize(generator: &generator, dtype: dtype)
        let optimizer = Adam(learningRate: pretrainLearningRate)
        var state = optimizer.initialState(for: params)
        var losses: [Double] = []
        var recentAccuracy: [Double] = []
        for iteration in 1...pretrainIterations {
            let (images, labels) = Self.miniBatch(from: dataset, size: batchSize, dtype: dtype, generator: &generator)
            var accuracyNow = 0.0
            let (loss, gradient) = valueAndGrad { (p: Parameters) -> Tensor in
                let logits = model(p, images)
                accuracyNow = withoutRecording { accuracy(logits: logits.detached(), labels: labels) }
                return crossEntropy(logits: logits, labels: labels)
            }(params)
            guard loss.scalar.isFinite else { throw TrainingError.nonFiniteLoss(iteration: iteration, lastCheckpoint: nil) }
            (params, state) = optimizer.step(params, gradient, state)
            params = params.detached()
            losses.append(loss.scalar)
            recentAccuracy.append(accuracyNow)
            if recentAccuracy.count > 20 { recentAccuracy.removeFirst() }
            progress(iteration, loss.scalar)
        }
        return Pretrained(parameters: params, model: model, losses: losses,
                          finalBatchAccuracy: recentAccuracy.reduce(0, +) / Double(recentAccuracy.count))
    }

    /// `size` images drawn uniformly from all classes, with their class indices.
    static func miniBatch(from dataset: ImageDataset, size: Int, dtype: DType,
                          generator: inout SeededGenerator) -> (Tensor, [Int]) {
        var pixels: [Double] = []
        pixels.reserveCapacity(size * ImageDataset.pixelsPerImage)
        var labels: [Int] = []
        for _ in 0..<size {
            let label = generator.int(below: dataset.classes.count)
            let imageClass = dataset.classes[label]
            let index = generator.int(below: imageClass.imageCount)
            pixels += imageClass.image(index).map(Double.init)
            labels.append(label)
        }
        let side = ImageDataset.side
        return (Tensor(shape: [size, 1, side, side], scalars: pixels, dtype: dtype), labels)
    }

    /// The parameters for N-way episodes: the pre-trained features and a fresh zero head.
    ///
    /// A zero head starts every episode from uniform predictions, so what the support set
    /// teaches the head is all that separates the classes.
    public func episodeParameters(_ pretrained: Pretrained, ways: Int) -> Parameters {
        let dtype = pretrained.parameters.tensors[0].dtype
        let features = pretrained.parameters.selecting(pretrained.model.featureNames)
        return features.merging([
            "head.weight": Tensor.zeros([pretrained.model.featureCount, ways], dtype: dtype),
            "head.bias": Tensor.zeros([ways], dtype: dtype),
        ])
    }

    /// Post-adaptation query loss and accuracy on held-out episodes, training only the head.
    public func evaluate(_ pretrained: Pretrained, on tasks: [EvaluationTask], ways: Int) -> EvaluationResult {
        let loop = InnerLoop(steps: adaptationSteps, learningRate: .fixed(adaptationLearningRate),
                             adaptedNames: pretrained.model.headNames)
        return MetaLearning.evaluate(episodeParameters(pretrained, ways: ways), on: tasks, innerLoop: loop)
    }
}
