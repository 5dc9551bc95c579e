import ArgumentParser
import Foundation
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
        print("Exercise code: \(code.source.label)")
        fflush(nil)
        let width = "AdamEquivalences".count
        // Each line is printed as its check ends, so a crash in a check shows after which exercise it happened.
        let statuses = code.statuses { status in
            let name = status.exercise + String(repeating: " ", count: max(0, width - status.exercise.count))
            let part = status.part.isEmpty ? "" : status.part + ": "
            print("  \(name)  \(part)\(status.problem.map { "finish it (\($0))" } ?? "agrees with the library")")
            fflush(nil)
        }
        if statuses.contains(where: { $0.problem != nil }) { throw ExitCode(1) }
    }
}
