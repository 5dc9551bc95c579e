import ArgumentParser
import CommandLineSupport
import Workbook

/// The `workbook` command: the course's notebook-style chapters, diagrams and training runs.
@main
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "Learn and teach Model-Agnostic Meta-Learning: chapters, diagrams and training runs.",
        subcommands: [
            DemoCommand.self, ListCommand.self, RunCommand.self, GraphCommand.self, TrainCommand.self,
            EvaluateCommand.self, EpisodesCommand.self, TransferCommand.self, FeatureReuseCommand.self,
        ])

    /// Parses and runs, every mistake reported in one line.
    static func main() { runReportingErrorsInOneLine() }

    /// Without a subcommand: the help and the chapter list, and nothing is run.
    func run() throws {
        print(Self.helpMessage())
        print("")
        print("CHAPTERS (workbook run <chapter> [--quick] --out DIR):")
        ListCommand.printChapters(indent: "  ")
        print("")
        print("Start with 'workbook demo --quick' (seconds) or 'workbook run sine-maml --quick'.")
    }
}
