import ArgumentParser
import Foundation

/// The student workbook: the course's chapters run on the exercise functions (`workbook` in the
/// student bundle, `exercise-workbook` in the course repository).
@main
struct ExerciseWorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: programName,
        abstract: "Run the course's chapters on your exercise code and write their pages.",
        subcommands: [ListCommand.self, RunCommand.self],
        defaultSubcommand: ListCommand.self)

    /// The name this program was started under, for help texts.
    static var programName: String {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent
        return ["workbook", "exercise-workbook"].contains(name) ? name : "exercise-workbook"
    }
}
