import Autodiff
import NeuralNetworks
import TaskData

/// N-way K-shot image classification with the 4-block convolutional network.
///
/// Training episodes come from the training classes, validation episodes from classes never
/// seen in training. Batch normalization uses each batch's own statistics, at adaptation and
/// at test time alike (the reference MAML behaviour).
public struct ClassificationProblem: MetaProblem {
    /// Samples training episodes.
    public let training: EpisodeSampler
    /// Samples held-out episodes.
    public let validation: EpisodeSampler
    /// The model.
    public let model: ConvNet
    /// A short name for reports.
    public let name: String
    /// The alphabets of each part when the problem was built from a split data set.
    public internal(set) var groups: GroupAssignment?
    /// How held-out query images are normalized after adaptation (training always uses batch statistics).
    public var batchNorm: BatchNormMode = .transductive

    /// A classification problem over the given samplers (which must agree on N, K and Q).
    ///
    /// With `perStepBatchNorm = S > 0` the network has its own batch-norm scale and offset for
    /// inner steps 0..<S (MAML++); a loss at inner step k (`InnerStep.current`) uses step
    /// min(k, S − 1)'s pair, so adaptation and the query loss after K steps each get their own.
    public init(name: String, training: EpisodeSampler, validation: EpisodeSampler, filters: Int = 64,
                perStepBatchNorm: Int = 0) {
        self.name = name
        self.training = training
        self.validation = validation
        model = ConvNet(ways: training.ways, filters: filters, perStepBatchNorm: perStepBatchNorm)
    }

    /// The logits of `images` at the current inner step, with the batch's own statistics.
    func logits(_ params: Parameters, _ images: Tensor) -> Tensor {
        Self.logits(model, params, images)
    }

    /// `model`'s logits of `images` at the current inner step, with the batch's own statistics.
    static func logits(_ model: ConvNet, _ params: Parameters, _ images: Tensor) -> Tensor {
        model(params, images, step: model.batchNormStep(InnerStep.current))
    }

    /// Classification reports accuracy.
    public var isClassification: Bool { true }
    /// The linear head.
    public var headNames: [String] { model.headNames }

    /// Fresh network parameters.
    public func initialParameters(generator: inout SeededGenerator) -> Parameters {
        model.initialize(generator: &generator, dtype: training.dtype)
    }

    /// One episode as a task: cross-entropy on its support and query images.
    func task(_ episode: Episode) -> MetaTask {
        let problem = self
        return MetaTask(
            supportLoss: { crossEntropy(logits: problem.logits($0, episode.supportImages), labels: episode.supportLabels) },
            queryLoss: { crossEntropy(logits: problem.logits($0, episode.queryImages), labels: episode.queryLabels) })
    }

    /// A meta-batch of training episodes.
    public func trainingBatch(size: Int, generator: inout SeededGenerator) throws -> MetaBatch {
        .tasks(training.sampleBatch(count: size, generator: &generator).map(task))
    }

    /// Held-out episodes: query cross-entropy and accuracy after adaptation.
    public func evaluationTasks(count: Int, generator: inout SeededGenerator) throws -> [EvaluationTask] {
        evaluationTasks(for: validation.sampleBatch(count: count, generator: &generator))
    }

    /// Given episodes (fixed ones read from disk, say) as evaluation tasks: query cross-entropy
    /// and accuracy after adapting on each support set.
    public func evaluationTasks(for episodes: [Episode]) -> [EvaluationTask] {
        Self.evaluationTasks(for: episodes, model: model, batchNorm: batchNorm)
    }

    /// Given episodes as evaluation tasks of `model`: adapt on each support set with batch
    /// statistics, then measure the query set normalized as `batchNorm` says.
    public static func evaluationTasks(for episodes: [Episode], model: ConvNet,
                                       batchNorm: BatchNormMode = .transductive) -> [EvaluationTask] {
        episodes.map { episode in
            EvaluationTask(
                supportLoss: { params in
                    crossEntropy(logits: logits(model, params, episode.supportImages), labels: episode.supportLabels)
                },
                measure: { params in
                    let logits = batchNorm.queryLogits(model, params, episode: episode, step: model.batchNormStep(InnerStep.current))
                    return (crossEntropy(logits: logits, labels: episode.queryLabels).scalar,
                            accuracy(logits: logits, labels: episode.queryLabels))
                })
        }
    }
}

extension ClassificationProblem {
    /// Which held-out classes a problem evaluates on.
    public enum HeldOut: String, Sendable, CaseIterable {
        /// The validation alphabets (model selection during training).
        case validation
        /// The test alphabets (final numbers only).
        case test
    }

    /// An N-way K-shot problem on a data set split by alphabet (`ImageDataset.split`):
    /// training episodes from the training alphabets, held-out episodes from the validation or
    /// test alphabets. `rotations` adds each class rotated by 90°, 180° and 270° as new classes,
    /// in every split (the standard Omniglot augmentation).
    ///
    /// `groups` chooses the alphabets of each part (default: `ImageDataset.split()`'s seeded
    /// rule); `withinGroup` draws every class of an episode from one alphabet, in both parts.
    public static func episodes(from dataset: ImageDataset, name: String, ways: Int, shots: Int, queries: Int,
                                rotations: Bool = true, heldOut: HeldOut = .validation, filters: Int = 64,
                                perStepBatchNorm: Int = 0, dtype: DType = .float32, groups: GroupAssignment? = nil,
                                withinGroup: Bool = false) throws -> ClassificationProblem {
        let split = try groups.map(dataset.split) ?? dataset.split()
        let prepare = { (part: ImageDataset) in rotations ? part.addingRotations() : part }
        let held = heldOut == .validation ? split.validation : split.test
        guard !held.classes.isEmpty else {
            let alternative = heldOut == .test ? ", or evaluate on fixed episodes with --episodes-from" : " (validation needs them)"
            throw TaskDataError.invalidArgument("the split has no \(heldOut.rawValue) alphabets (\(split.assignment.summary)); "
                + "name some with --\(heldOut.rawValue)-alphabets" + alternative)
        }
        func sampler(_ part: ImageDataset) throws -> EpisodeSampler {
            try EpisodeSampler(dataset: prepare(part), ways: ways, shots: shots, queries: queries, dtype: dtype, withinGroup: withinGroup)
        }
        var problem = ClassificationProblem(name: name, training: try sampler(split.train), validation: try sampler(held),
                                            filters: filters, perStepBatchNorm: perStepBatchNorm)
        problem.groups = split.assignment
        return problem
    }
}
