import Autodiff
import Foundation
import NeuralNetworks

/// Runs meta-training: sample a meta-batch, take an outer Adam step on the meta-gradient,
/// validate on held-out tasks, save checkpoints, and stop cleanly on Ctrl-C or a NaN loss.
///
/// Everything a run writes goes to one folder:
/// - `checkpoint.mamlckpt`: meta-parameters, Adam's state, the iteration and the configuration
///   (`--resume` continues from it and gives the same numbers as an uninterrupted run);
/// - `best.mamlckpt`: the meta-parameters with the best validation score so far;
/// - `metrics.csv`: one row per iteration (training loss; validation loss/accuracy when measured).
public struct MetaTrainer {
    /// The hyper-parameters.
    public let configuration: TrainingConfiguration
    /// The tasks and model.
    public let problem: any MetaProblem
    /// Threads that differentiate the tasks of a meta-batch at once (results do not depend on it).
    public let threads: Int
    /// What the run trains on, written into every checkpoint so that readers need no flags.
    public let task: TaskDescription?

    /// A trainer for `problem` with `configuration` (validated); `task` describes the problem in
    /// the checkpoints it writes.
    public init(configuration: TrainingConfiguration, problem: any MetaProblem, threads: Int = 1,
                task: TaskDescription? = nil) throws {
        try configuration.validate()
        guard threads >= 1 else { throw TrainingError.invalidOption("--threads must be 1 or more, got \(threads)") }
        self.configuration = configuration
        self.problem = problem
        self.threads = threads
        self.task = task
    }

    /// Where the run's files go.
    public struct Files: Sendable {
        /// The output folder.
        public let folder: URL
        /// The latest checkpoint (resumable).
        public var checkpoint: URL { folder.appendingPathComponent("checkpoint.mamlckpt") }
        /// The best-so-far meta-parameters.
        public var best: URL { folder.appendingPathComponent("best.mamlckpt") }
        /// The per-iteration metrics.
        public var metrics: URL { folder.appendingPathComponent("metrics.csv") }

        /// The files of a run in `folder`.
        public init(folder: URL) { self.folder = folder }
    }

    /// The outcome of a run.
    public struct Summary: Sendable {
        /// The final meta-parameters.
        public let parameters: Parameters
        /// The per-iteration metrics.
        public let log: MetricsLog
        /// The best validation score: accuracy for classification, MSE for regression.
        public let bestValidation: Double
        /// The iteration at which the best score was reached.
        public let bestIteration: Int
        /// The last iteration run (less than planned when interrupted).
        public let lastIteration: Int
        /// Whether Ctrl-C stopped the run early.
        public let interrupted: Bool
        /// Wall-clock seconds of training, summed over the invocations of a resumed run.
        public let seconds: Double
    }

    /// The metrics columns: training loss, then validation loss and (classification) accuracy.
    var columns: [String] {
        ["train_loss", "validation_loss"] + (problem.isClassification ? ["validation_accuracy"] : []) + ["seconds"]
    }

    /// The validation score to track: accuracy (higher is better) or MSE (lower is better).
    private func score(_ result: EvaluationResult) -> Double {
        problem.isClassification ? result.accuracy?.mean ?? .nan : result.loss.mean
    }

    private func isBetter(_ a: Double, than b: Double) -> Bool {
        guard !b.isNaN else { return !a.isNaN }
        return problem.isClassification ? a > b : a < b
    }

    /// Trains, writing into `files`; `resume` continues from `files.checkpoint`.
    ///
    /// With `showProgress`, a `ProgressLine` shows iteration, loss, validation and time left.
    /// A resumed run may ask for more iterations than the original; every other option must match.
    /// A folder that already holds a run is never overwritten unless `overwrite` is set, and
    /// `resume` without a checkpoint is an error rather than a silent fresh start.
    public func run(files: Files, resume: Bool = false, overwrite: Bool = false, showProgress: Bool = true) throws -> Summary {
        let hasCheckpoint = FileManager.default.fileExists(atPath: files.checkpoint.path)
        if resume && !hasCheckpoint {
            throw TrainingError.invalidOption("--resume: there is no checkpoint at \(files.checkpoint.path) to continue from")
        }
        if !resume && !overwrite && hasCheckpoint {
            throw TrainingError.invalidOption("\(files.folder.path) already holds a training run; "
                + "continue it with --resume, start over with --force, or choose another --out folder")
        }
        try FileManager.default.createDirectory(at: files.folder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: configuration.seed)
        var validationGenerator = SeededGenerator(seed: configuration.seed &+ 0x5EED)
        let validationTasks = try problem.evaluationTasks(count: configuration.validationTasks, generator: &validationGenerator)
        let algorithm = configuration.algorithm
        let evaluationLoop = algorithm.innerLoop(configuration, headNames: problem.headNames,
                                                 steps: configuration.evaluationInnerSteps)

        var state: TrainingState
        if resume {
            state = try TrainingState.load(from: files.checkpoint, metrics: files.metrics, columns: columns)
            var extended = state.configuration
            extended.iterations = configuration.iterations  // resuming may extend a run
            guard extended == configuration else {
                throw TrainingError.invalidOption("--resume: \(files.checkpoint.path) was made with different options; "
                    + "rerun with the same options or a new --out folder")
            }
            guard configuration.iterations >= state.iteration else {
                throw TrainingError.invalidOption("--iterations \(configuration.iterations) is fewer than the \(state.iteration) "
                    + "iterations the run in \(files.folder.path) has done; give \(state.iteration) or more to continue it")
            }
            state.configuration = configuration
        } else {
            let meta = algorithm.initialParameters(problem: problem, configuration: configuration, generator: &generator)
            state = TrainingState(configuration: configuration, iteration: 0, meta: meta,
                                  optimizerState: Adam(learningRate: configuration.outerLearningRate).initialState(for: meta),
                                  generator: generator, log: MetricsLog(columns: columns),
                                  bestValidation: .nan, bestIteration: 0)
        }

        // Times accumulate over resumed runs: this invocation continues the clock of the last.
        let start = Date().addingTimeInterval(-(state.log.series("seconds").last?.value ?? 0))
        let progress = ProgressLine(total: configuration.iterations, firstIteration: state.iteration, every: configuration.validateEvery)
        Interruption.install()
        defer { Interruption.uninstall() }
        if showProgress { progress.begin() }
        defer { progress.end() }
        var interrupted = false
        var lastSaved: String? = nil
        var generatorNow = state.generator

        while state.iteration < configuration.iterations {
            if Interruption.requested { interrupted = true; break }
            let iteration = state.iteration + 1
            let batch = try problem.trainingBatch(size: configuration.metaBatch, generator: &generatorNow)
            let update = algorithm.update(state.meta, batch: batch, iteration: iteration,
                                          configuration: configuration, headNames: problem.headNames, threads: threads)
            guard update.loss.isFinite, update.gradient.tensors.allSatisfy({ $0.scalars.allSatisfy(\.isFinite) }) else {
                throw TrainingError.nonFiniteLoss(iteration: iteration, lastCheckpoint: lastSaved)
            }
            let optimizer = Adam(learningRate: configuration.outerLearningRate(at: iteration))
            let (next, nextState) = optimizer.step(state.meta, update.gradient, state.optimizerState)
            state.meta = next.detached()
            state.optimizerState = nextState
            state.iteration = iteration
            state.generator = generatorNow

            var row: [String: Double] = ["train_loss": update.loss, "seconds": Date().timeIntervalSince(start)]
            var shown: [(String, Double)] = []
            if iteration % configuration.validateEvery == 0 || iteration == configuration.iterations {
                let result = evaluate(state.meta, on: validationTasks, innerLoop: evaluationLoop)
                row["validation_loss"] = result.loss.mean
                shown.append(("val loss", result.loss.mean))
                if let accuracy = result.accuracy {
                    row["validation_accuracy"] = accuracy.mean
                    shown.append(("val acc", accuracy.mean))
                }
                let value = score(result)
                if isBetter(value, than: state.bestValidation) {
                    state.bestValidation = value
                    state.bestIteration = iteration
                    try TrainingState.saveParameters(state.meta, configuration: configuration, task: task, iteration: iteration,
                                                     to: files.best)
                }
            }
            state.log.append(iteration: iteration, row)
            if showProgress { progress.report(iteration: iteration, loss: update.loss, metrics: shown, force: !shown.isEmpty) }
            if iteration % configuration.checkpointEvery == 0 || iteration == configuration.iterations {
                try state.save(to: files.checkpoint, metrics: files.metrics, task: task)
                lastSaved = files.checkpoint.path
            }
        }
        if interrupted {
            try state.save(to: files.checkpoint, metrics: files.metrics, task: task)
            if showProgress {
                print("\nInterrupted at iteration \(state.iteration); saved \(files.checkpoint.path).")
            }
        }
        return Summary(parameters: state.meta, log: state.log, bestValidation: state.bestValidation,
                       bestIteration: state.bestIteration, lastIteration: state.iteration,
                       interrupted: interrupted, seconds: Date().timeIntervalSince(start))
    }
}
