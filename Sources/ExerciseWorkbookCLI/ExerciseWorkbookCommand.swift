import ArgumentParser
import CommandLineSupport
import Foundation

/// The student workbook: the course's chapters run on the exercise functions (`workbook` in the
/// student bundle, `exercise-workbook` in the course repository).
@main
struct ExerciseWorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: programName,
        abstract: "Run the course's chapters on your exercise code and write their pages.",
        subcommands: [ListCommand.self, RunCommand.self])

    /// Parses and runs, every mistake reported in one line.
    static func main() { runReportingErrorsInOneLine() }

    /// Without a subcommand: the help and the chapter list.
    func run() throws {
        print(Self.helpMessage())
        print("")
        print("CHAPTERS (\(Self.programName) run <chapter> [--quick] --out DIR):")
        ListCommand.printChapters(indent: "  ")
    }

    /// The name this program was started under, for help texts.
    static var programName: String {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent
        return ["workbook", "exercise-workbook"].contains(name) ? name : "exercise-workbook"
    }
}
