import ArgumentParser
import Foundation
import MetaLearning
import Notebook
import Workbook

extension MetaAlgorithm: ExpressibleByArgument {}
extension TaskChoice: ExpressibleByArgument {}
extension ClassificationProblem.HeldOut: ExpressibleByArgument {}

/// The options that choose the tasks, shared by `train` and `evaluate`.
struct TaskOptions: ParsableArguments {
    @Option(help: "The tasks: \(TaskChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var tasks: TaskChoice = .sine

    @Option(help: "An Omniglot folder for --tasks omniglot (repeatable; default OMNIGLOT_ROOT).")
    var omniglotRoot: [String] = []

    @Option(parsing: .unconditional, help: "Classes per episode (classification).")
    var ways = 5

    @Option(parsing: .unconditional, help: "Support examples per class (classification) or per task (regression); default per task family.")
    var shots: Int?

    @Option(parsing: .unconditional, help: "Query examples per class (classification) or per task (regression); default per task family.")
    var queries: Int?

    @Flag(help: "Do not add rotated copies of the characters as extra classes.")
    var noRotations = false

    /// Support and query sizes: the flags, or the task family's defaults.
    var sizes: (shots: Int, queries: Int) {
        (shots ?? tasks.defaults.shots, queries ?? tasks.defaults.queries)
    }

    /// The problem these options describe, with its data source in words.
    func problem(heldOut: ClassificationProblem.HeldOut = .validation,
                 batchNormSteps: Int = 0) throws -> (problem: any MetaProblem, data: String) {
        try tasks.problem(ways: ways, shots: sizes.shots, queries: sizes.queries,
                          omniglotRoots: omniglotRoot.map { URL(fileURLWithPath: $0) }, heldOut: heldOut,
                          rotations: !noRotations, batchNormSteps: batchNormSteps)
    }

    func validate() throws {
        guard ways >= 2 else { throw ValidationError("--ways must be 2 or more, got \(ways)") }
        if let shots, shots < 1 { throw ValidationError("--shots must be positive, got \(shots)") }
        if let queries, queries < 1 { throw ValidationError("--queries must be positive, got \(queries)") }
    }
}

/// A number for `JSONSerialization`: NaN and infinities (a confidence interval of one episode,
/// a missing accuracy) become `null`, which JSON can hold, instead of failing the write.
func jsonNumber(_ value: Double?) -> Any {
    guard let value, value.isFinite else { return NSNull() }
    return value
}

/// The options of commands that measure a trained checkpoint on held-out tasks.
struct HeldOutOptions: ParsableArguments {
    @Option(help: "A checkpoint written by 'workbook train' (checkpoint.mamlckpt or best.mamlckpt).")
    var checkpoint: String
    @OptionGroup var taskOptions: TaskOptions
    @Option(parsing: .unconditional, help: "Held-out tasks (episodes) to average over.")
    var episodes = 100
    @Option(parsing: .unconditional, help: "Inner steps (default: the training run's).")
    var innerSteps: Int?
    @Option(help: "Which held-out alphabets: validation or test (classification).")
    var split: ClassificationProblem.HeldOut = .test
    @Option(parsing: .unconditional, help: "Seed of the held-out task sample.", transform: wholeNumber)
    var seed: UInt64 = 1
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        try PathCheck.inputFile(checkpoint, flag: "--checkpoint", what: "checkpoint (.mamlckpt)")
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, got \(episodes)") }
        if let innerSteps, innerSteps < 0 { throw ValidationError("--inner-steps must be 0 or more, got \(innerSteps)") }
    }

    /// The checkpoint and the problem of its held-out tasks (built to match the checkpoint's
    /// batch-norm layout), checked to fit each other.
    func load() throws -> (evaluation: CheckpointEvaluation, problem: any MetaProblem, data: String) {
        let evaluation = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: checkpoint))
        let (problem, data) = try taskOptions.problem(heldOut: split, batchNormSteps: evaluation.configuration.batchNormSteps)
        try evaluation.checkFits(problem)
        return (evaluation, problem, data)
    }
}
