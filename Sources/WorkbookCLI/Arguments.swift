import ArgumentParser
import Foundation
import MetaLearning
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

    @Option(help: "Classes per episode (classification).")
    var ways = 5

    @Option(help: "Support examples per class (classification) or per task (regression); default per task family.")
    var shots: Int?

    @Option(help: "Query examples per class (classification) or per task (regression); default per task family.")
    var queries: Int?

    @Flag(help: "Do not add rotated copies of the characters as extra classes.")
    var noRotations = false

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
