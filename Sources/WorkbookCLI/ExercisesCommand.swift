import ArgumentParser
import Workbook

/// `workbook exercises`: checks each exercise function the chapters use against the library.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "Check the exercise functions the chapters use against the library, on small inputs.",
        discussion: "Exits with status 1 when any exercise is missing, unfinished or disagrees with the library.")

    @OptionGroup var implementation: ImplementationOption

    func run() throws {
        let code = try implementation.exerciseCode()
        let statuses = code.statuses()
        print("Exercise code: \(code.source.label)")
        let width = statuses.map(\.exercise.count).max() ?? 0
        for status in statuses {
            let name = status.exercise + String(repeating: " ", count: width - status.exercise.count)
            let part = status.part.isEmpty ? "" : status.part + ": "
            print("  \(name)  \(part)\(status.problem.map { "finish it (\($0))" } ?? "agrees with the library")")
        }
        if statuses.contains(where: { $0.problem != nil }) { throw ExitCode(1) }
    }
}
