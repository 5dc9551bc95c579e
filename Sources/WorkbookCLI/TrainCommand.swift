import ArgumentParser
import CommandLineSupport
import Foundation
import MetaLearning
import NeuralNetworks
import Workbook

/// `workbook train`: meta-train on a task family and write checkpoints, metrics and plots.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Meta-train with MAML, FO-MAML, ANIL, Meta-SGD, MAML++ or Reptile.",
        discussion: """
            Writes into --out: checkpoint.mamlckpt (resumable), best.mamlckpt, metrics.csv, \
            metrics.json, training-loss.svg and validation.svg. Ctrl-C saves a checkpoint; \
            run the same command with --resume to continue.
            Example: workbook train fomaml --tasks omniglot --omniglot-root DIR --iterations 1000 --out runs/fomaml
            """)

    @Argument(help: "The algorithm: \(MetaAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var algorithm: MetaAlgorithm

    @OptionGroup var taskOptions: TaskOptions

    @Option(parsing: .unconditional, help: "Inner gradient steps (default per task family).")
    var innerSteps: Int?
    @Option(parsing: .unconditional, help: "Inner step size α (default per task family).")
    var innerLr: Double?
    @Option(parsing: .unconditional, help: "Inner steps at validation (default: --inner-steps).")
    var evaluationInnerSteps: Int?
    @Option(parsing: .unconditional, help: "Tasks per meta-batch (default per task family).")
    var metaBatch: Int?
    @Option(parsing: .unconditional, help: "Meta-training iterations.")
    var iterations = 1000
    @Option(parsing: .unconditional, help: "Adam's outer learning rate.")
    var outerLr = 1e-3
    @Option(parsing: .unconditional, help: "Cosine-anneal the outer rate down to this value.")
    var minimumOuterLr: Double?
    @Option(parsing: .unconditional, help: "Validate every this many iterations.")
    var validateEvery = 50
    @Option(parsing: .unconditional, help: "Held-out tasks per validation (default per task family).")
    var validationTasks: Int?
    @Option(parsing: .unconditional, help: "Save a checkpoint every this many iterations.")
    var checkpointEvery = 100
    @Option(parsing: .unconditional, help: "MAML++: first-order meta-gradients up to this iteration.")
    var firstOrderIterations = 0
    @Option(parsing: .unconditional, help: "MAML++: iterations over which the multi-step loss anneals to the last step.")
    var multiStepIterations = 0
    @Flag(help: "MAML++: separate batch-norm weights for every inner step (conv net only).")
    var perStepBatchNorm = false
    @Option(parsing: .unconditional, help: "The seed of every random choice.", transform: wholeNumber)
    var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Threads that work on the tasks of a meta-batch at once (same results for any count).")
    var threads = 1
    @Option(help: "The output folder.")
    var out: String
    @Flag(help: "Continue from --out's checkpoint.")
    var resume = false
    @Flag(help: "Start over even if --out already holds a run (its files are replaced).")
    var force = false
    @Flag(help: "No progress line.")
    var quiet = false

    /// The configuration: the task family's defaults, overridden by the flags given.
    func trainingConfiguration() -> TrainingConfiguration {
        var c = (taskOptions.tasks ?? .sine).defaults.configuration
        c.algorithm = algorithm
        c.innerSteps = innerSteps ?? c.innerSteps
        c.innerLearningRate = innerLr ?? c.innerLearningRate
        c.evaluationInnerSteps = evaluationInnerSteps ?? c.innerSteps
        c.metaBatch = metaBatch ?? c.metaBatch
        c.iterations = iterations
        c.outerLearningRate = outerLr
        c.minimumOuterLearningRate = minimumOuterLr
        c.validateEvery = validateEvery
        c.validationTasks = validationTasks ?? c.validationTasks
        c.checkpointEvery = checkpointEvery
        c.firstOrderIterations = firstOrderIterations
        c.multiStepLossIterations = multiStepIterations
        c.perStepBatchNorm = perStepBatchNorm
        c.seed = seed
        return c
    }

    /// Every check that needs no data, so that a mistake stops before anything is printed or loaded.
    func validate() throws {
        guard !(resume && force) else { throw ValidationError("--resume and --force contradict each other: give one") }
        guard threads >= 1 else { throw ValidationError("--threads must be 1 or more, got \(threads)") }
        guard firstOrderIterations >= 0 else { throw ValidationError("--first-order-iterations must be 0 or more, got \(firstOrderIterations)") }
        guard multiStepIterations >= 0 else { throw ValidationError("--multi-step-iterations must be 0 or more, got \(multiStepIterations)") }
        if let minimumOuterLr, !(minimumOuterLr > 0 && minimumOuterLr <= outerLr) {
            throw ValidationError("--minimum-outer-lr must be above 0 and at most --outer-lr (\(outerLr)), got \(minimumOuterLr)")
        }
        do {
            try trainingConfiguration().validate()
        } catch {
            throw ValidationError(String(describing: error))
        }
        try PathCheck.outputFolder(out)
        if resume { try checkResumable() }
    }

    /// With --resume: the checkpoint in --out exists, and --iterations is not fewer than the
    /// iterations it has done (a resumed run never rewrites its history).
    func checkResumable() throws {
        let url = URL(fileURLWithPath: out).appendingPathComponent("checkpoint.mamlckpt")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("--resume: there is no checkpoint at \(url.path) to continue from")
        }
        let checkpoint = try Checkpoint(contentsOf: url)
        if let done = checkpoint.metadata["iteration"].flatMap({ Int($0) }), iterations < done {
            throw ValidationError("--iterations \(iterations) is fewer than the \(done) iterations the run in \(out) has done; "
                + "give \(done) or more to continue it")
        }
    }

    func run() throws {
        let configuration = trainingConfiguration()
        let settings = try taskOptions.settings()
        if settings.tasks == .omniglot && !quiet {
            print("Loading Omniglot (decoded once, then read from the cache)...")
            fflush(nil)
        }
        let (problem, data, task) = try settings.problem(batchNormSteps: configuration.batchNormSteps)
        let folder = URL(fileURLWithPath: out)
        if !quiet {
            print("\(algorithm.rawValue) on \(data): \(algorithm.summary)")
            print("tasks: \(settings.summary)")
            if let split = task.split { print("alphabets: \(split.summary)") }
            print("inner steps \(configuration.innerSteps) at α \(configuration.innerLearningRate), meta-batch \(configuration.metaBatch), "
                + "\(configuration.iterations) iterations, outer lr \(configuration.outerLearningRate), seed \(configuration.seed)")
            fflush(nil)
        }
        let summary = try MetaTrainer(configuration: configuration, problem: problem, threads: threads, task: task)
            .run(files: .init(folder: folder), resume: resume, overwrite: force, showProgress: !quiet)
        var details = ["data": data, "tasks": settings.tasks.rawValue, "shots": String(settings.shots),
                       "queries": String(settings.queries)]
        if problem.isClassification { details["ways"] = String(settings.ways) }
        let report = RunReport(summary: summary, configuration: configuration, problemName: problem.name,
                               isClassification: problem.isClassification, details: details, task: task)
        let written = try report.write(to: folder)
        print(report.outcomeSentence)
        let names = ["checkpoint.mamlckpt"] + (summary.bestIteration > 0 ? ["best.mamlckpt"] : []) + ["metrics.csv"]
            + written.map(\.lastPathComponent)
        print("wrote \(folder.path)/{\(names.joined(separator: ", "))}")
        if summary.interrupted {
            print("Continue this run with the same command and --resume.")
            throw ExitCode(130)
        }
    }
}
