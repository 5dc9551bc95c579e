import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData

/// Evaluates saved meta-parameters on held-out tasks: adapt on each task's support set, measure
/// its query set, and give the mean with a 95% confidence interval.
public struct CheckpointEvaluation {
    /// The parameters (model and any learned inner rates).
    public let parameters: Parameters
    /// The configuration the parameters were trained with.
    public let configuration: TrainingConfiguration

    /// Reads a checkpoint written by a training run (`checkpoint.mamlckpt` or `best.mamlckpt`).
    public init(contentsOf url: URL) throws {
        let checkpoint = try Checkpoint(contentsOf: url)
        guard let text = checkpoint.metadata["configuration"],
              let configuration = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(text.utf8)) else {
            throw TrainingError.badFile(url.path, "it holds no training configuration; use a checkpoint written by 'workbook train'")
        }
        parameters = checkpoint.parameters
        self.configuration = configuration
    }

    /// Throws, naming the parameter and both shapes, unless the checkpoint holds every
    /// parameter `problem`'s model needs with the right shape.
    public func checkFits(_ problem: any MetaProblem) throws {
        var shapes = SeededGenerator(seed: 0)  // only to learn the model's parameter names and shapes
        let expected = problem.initialParameters(generator: &shapes)
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
        return try evaluate(try problem.evaluationTasks(count: tasks, generator: &generator), problem: problem, innerSteps: innerSteps)
    }

    /// Adapts to each of `episodes` (fixed episodes, `FixedEpisodes.loadAll`) with `problem`'s
    /// network and reports the query accuracy and cross-entropy. Throws when an episode's class
    /// count differs from the network's.
    public func evaluate(on problem: ClassificationProblem, episodes: [Episode], innerSteps: Int? = nil) throws -> EvaluationResult {
        try checkFits(problem)
        let ways = problem.model.ways
        if let index = episodes.firstIndex(where: { $0.classNames.count != ways }) {
            throw TrainingError.invalidOption("episode \(index + 1) has \(episodes[index].classNames.count) classes "
                + "but the network is \(ways)-way (check --ways)")
        }
        return try evaluate(problem.evaluationTasks(for: episodes), problem: problem, innerSteps: innerSteps)
    }

    /// Adapts with `innerSteps` steps (default: the run's evaluation steps) to each of `heldOut`.
    private func evaluate(_ heldOut: [EvaluationTask], problem: any MetaProblem, innerSteps: Int?) throws -> EvaluationResult {
        let loop = configuration.algorithm.innerLoop(configuration, headNames: problem.headNames,
                                                     steps: innerSteps ?? configuration.evaluationInnerSteps)
        if case .learnedPerParameterPerStep = loop.learningRate, loop.steps > configuration.innerSteps {
            throw TrainingError.invalidOption("MAML++ learned rates for \(configuration.innerSteps) steps; "
                + "--inner-steps \(loop.steps) has no rate for the later steps")
        }
        return MetaLearning.evaluate(parameters, on: heldOut, innerLoop: loop)
    }
}
