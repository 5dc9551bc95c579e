import ArgumentParser
import Foundation
import MetaLearning
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

    @Option(help: "Inner gradient steps (default per task family).")
    var innerSteps: Int?
    @Option(help: "Inner step size α (default per task family).")
    var innerLr: Double?
    @Option(help: "Inner steps at validation (default: --inner-steps).")
    var evaluationInnerSteps: Int?
    @Option(help: "Tasks per meta-batch (default per task family).")
    var metaBatch: Int?
    @Option(help: "Meta-training iterations.")
    var iterations = 1000
    @Option(help: "Adam's outer learning rate.")
    var outerLr = 1e-3
    @Option(help: "Cosine-anneal the outer rate down to this value.")
    var minimumOuterLr: Double?
    @Option(help: "Validate every this many iterations.")
    var validateEvery = 50
    @Option(help: "Held-out tasks per validation (default per task family).")
    var validationTasks: Int?
    @Option(help: "Save a checkpoint every this many iterations.")
    var checkpointEvery = 100
    @Option(help: "MAML++: first-order meta-gradients up to this iteration.")
    var firstOrderIterations = 0
    @Option(help: "MAML++: iterations over which the multi-step loss anneals to the last step.")
    var multiStepIterations = 0
    @Flag(help: "MAML++: separate batch-norm weights for every inner step (conv net only).")
    var perStepBatchNorm = false
    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 0
    @Option(help: "Threads that work on the tasks of a meta-batch at once (same results for any count).")
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
        var c = taskOptions.tasks.defaults.configuration
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

    func validate() throws {
        guard !(resume && force) else { throw ValidationError("--resume and --force contradict each other: give one") }
    }

    func run() throws {
        let configuration = trainingConfiguration()
        let (shots, queries) = taskOptions.sizes
        try configuration.validate()
        let (problem, data) = try taskOptions.problem(batchNormSteps: configuration.batchNormSteps)
        let folder = URL(fileURLWithPath: out)
        if !quiet {
            print("\(algorithm.rawValue) on \(data): \(algorithm.summary)")
            print("inner steps \(configuration.innerSteps) at α \(configuration.innerLearningRate), meta-batch \(configuration.metaBatch), "
                + "\(configuration.iterations) iterations, outer lr \(configuration.outerLearningRate), seed \(configuration.seed)")
            fflush(nil)
        }
        let summary = try MetaTrainer(configuration: configuration, problem: problem, threads: threads)
            .run(files: .init(folder: folder), resume: resume, overwrite: force, showProgress: !quiet)
        var details = ["data": data, "tasks": taskOptions.tasks.rawValue, "shots": String(shots), "queries": String(queries)]
        if problem.isClassification { details["ways"] = String(taskOptions.ways) }
        let report = RunReport(summary: summary, configuration: configuration, problemName: problem.name,
                               isClassification: problem.isClassification, details: details)
        try report.write(to: folder)
        let score = problem.isClassification ? "accuracy" : "MSE"
        print(String(format: "best validation %@ %.4f at iteration %d; %d iterations in %.1f s",
                     score, summary.bestValidation, summary.bestIteration, summary.lastIteration, summary.seconds))
        print("wrote \(folder.path)/{checkpoint.mamlckpt, best.mamlckpt, metrics.csv, metrics.json, training-loss.svg, validation.svg}")
        if summary.interrupted { throw ExitCode(130) }
    }
}
