import Autodiff
import Foundation
import NeuralNetworks
import TaskData

/// Evaluates saved meta-parameters on held-out tasks: adapt on each task's support set, measure
/// its query set, and give the mean with a 95% confidence interval.
///
/// The reader needs only this module: a checkpoint written by `workbook train` describes its
/// network and tasks (`task`), so `evaluate(episodes:)` rebuilds the network from the file.
///
///     let checkpoint = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: "runs/omniglot/best.mamlckpt"))
///     let episodes = try FixedEpisodes.loadAll(URL(fileURLWithPath: "episodes"))
///     let result = try checkpoint.evaluate(episodes: episodes, innerSteps: 10, batchNorm: .support)
///     print(result.accuracy!)   // mean ± 95% half-width over the episodes
public struct CheckpointEvaluation {
    /// The parameters (model and any learned inner rates).
    public let parameters: Parameters
    /// The configuration the parameters were trained with.
    public let configuration: TrainingConfiguration
    /// What the network was trained on (nil for checkpoints written before descriptions were stored).
    public let task: TaskDescription?
    /// The meta-training iterations behind the parameters (nil when the file does not say).
    public let iteration: Int?

    /// Reads a checkpoint written by a training run (`checkpoint.mamlckpt` or `best.mamlckpt`).
    public init(contentsOf url: URL) throws {
        let checkpoint = try Checkpoint(contentsOf: url)
        guard let text = checkpoint.metadata["configuration"],
              let configuration = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(text.utf8)) else {
            throw TrainingError.badFile(url.path, "it holds no training configuration; use a checkpoint written by 'workbook train'")
        }
        parameters = checkpoint.parameters
        self.configuration = configuration
        task = try TaskDescription(checkpoint: checkpoint, file: url.path)
        iteration = checkpoint.metadata["iteration"].flatMap { Int($0) }
    }

    /// The checkpoint's classifier, rebuilt from its description; throws for a regression
    /// checkpoint or one that predates descriptions.
    public func convNet() throws -> ConvNet {
        guard let task else {
            throw TrainingError.invalidOption("the checkpoint does not describe its network (it predates task descriptions); "
                + "build a ClassificationProblem with the same --ways and use evaluate(on:episodes:)")
        }
        guard let network = task.model.convNet else {
            throw TrainingError.invalidOption("the checkpoint holds a \(task.model.summary) for \(task.family) tasks, not an image classifier")
        }
        return network
    }

    /// Throws, naming the parameter and both shapes, unless the checkpoint holds every
    /// parameter `problem`'s model needs with the right shape.
    public func checkFits(_ problem: any MetaProblem) throws {
        var shapes = SeededGenerator(seed: 0)  // only to learn the model's parameter names and shapes
        try checkFits(expected: problem.initialParameters(generator: &shapes))
    }

    /// Throws, naming the parameter and both shapes, unless the checkpoint holds every tensor of `expected` with its shape.
    private func checkFits(expected: Parameters) throws {
        for (name, tensor) in expected {
            guard let stored = parameters[name] else {
                throw TrainingError.invalidOption("the checkpoint has no parameter '\(name)': it was trained for other tasks "
                    + "(stored: \(parameters.names.prefix(4).joined(separator: ", "))...)")
            }
            guard stored.shape == tensor.shape else {
                throw TrainingError.invalidOption("parameter '\(name)' has shape \(stored.shape) in the checkpoint "
                    + "but the tasks need \(tensor.shape) (check --ways and --tasks)")
            }
        }
    }

    /// Adapts with `innerSteps` steps (default: the training run's evaluation steps) on `tasks`
    /// held-out tasks of `problem`, sampled with `seed`.
    public func evaluate(on problem: any MetaProblem, tasks: Int, innerSteps: Int? = nil, seed: UInt64 = 0) throws -> EvaluationResult {
        guard tasks > 0 else { throw TrainingError.invalidOption("--episodes must be positive, got \(tasks)") }
        try checkFits(problem)
        var generator = SeededGenerator(seed: seed)
        return try evaluate(try problem.evaluationTasks(count: tasks, generator: &generator), headNames: problem.headNames,
                            innerSteps: innerSteps)
    }

    /// Adapts to each of `episodes` (fixed episodes, `FixedEpisodes.loadAll`) with `problem`'s
    /// network and reports the query accuracy and cross-entropy. Throws when an episode's class
    /// count differs from the network's.
    public func evaluate(on problem: ClassificationProblem, episodes: [Episode], innerSteps: Int? = nil) throws -> EvaluationResult {
        try checkFits(problem)
        try checkClassCounts(episodes, ways: problem.model.ways)
        return try evaluate(problem.evaluationTasks(for: episodes), headNames: problem.headNames, innerSteps: innerSteps)
    }

    /// Adapts to each of `episodes` with the network the checkpoint describes, normalizing the
    /// query images as `batchNorm` says, and reports query accuracy and cross-entropy.
    public func evaluate(episodes: [Episode], innerSteps: Int? = nil, batchNorm: BatchNormMode = .transductive) throws -> EvaluationResult {
        let network = try convNet()
        var shapes = SeededGenerator(seed: 0)
        try checkFits(expected: network.initialize(generator: &shapes))
        try checkClassCounts(episodes, ways: network.ways)
        let tasks = ClassificationProblem.evaluationTasks(for: episodes, model: network, batchNorm: batchNorm)
        return try evaluate(tasks, headNames: network.headNames, innerSteps: innerSteps)
    }

    /// Population statistics of the meta-trained network (before adaptation) over `batches`
    /// episodes of `sampler` (support and query images of each), averaged with equal weights:
    /// the statistics for `BatchNormMode.running`.
    public func runningStatistics(sampler: EpisodeSampler, batches: Int = 100, seed: UInt64 = 0) throws -> BatchNormStatistics {
        let network = try convNet()
        guard batches > 0 else { throw TrainingError.invalidOption("running statistics need at least one batch, got \(batches)") }
        var generator = SeededGenerator(seed: seed)
        var statistics = network.initialStatistics(dtype: sampler.dtype)
        withoutRecording {
            for b in 0..<batches {
                let episode = sampler.sample(generator: &generator)
                statistics.momentum = 1 / Double(b + 1)  // the running value is the mean of the first b + 1 batches
                for images in [episode.supportImages, episode.queryImages] where images.shape[0] > 0 {
                    statistics = network(parameters, images, statistics: statistics, training: true).statistics
                }
            }
        }
        return statistics
    }

    /// Throws, naming the first episode whose class count is not the network's `ways`.
    private func checkClassCounts(_ episodes: [Episode], ways: Int) throws {
        if let index = episodes.firstIndex(where: { $0.ways != ways }) {
            throw TrainingError.invalidOption("episode \(index + 1) has \(episodes[index].ways) classes "
                + "but the network is \(ways)-way (check --ways)")
        }
    }

    /// Adapts with `innerSteps` steps (default: the run's evaluation steps) to each of `heldOut`.
    private func evaluate(_ heldOut: [EvaluationTask], headNames: [String], innerSteps: Int?) throws -> EvaluationResult {
        let loop = configuration.algorithm.innerLoop(configuration, headNames: headNames,
                                                     steps: innerSteps ?? configuration.evaluationInnerSteps)
        if case .learnedPerParameterPerStep = loop.learningRate, loop.steps > configuration.innerSteps {
            throw TrainingError.invalidOption("MAML++ learned rates for \(configuration.innerSteps) steps; "
                + "--inner-steps \(loop.steps) has no rate for the later steps")
        }
        return MetaLearning.evaluate(parameters, on: heldOut, innerLoop: loop)
    }
}
