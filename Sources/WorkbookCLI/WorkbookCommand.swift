import ArgumentParser

/// The `workbook` command: the course's notebook-style chapters, diagrams and training runs.
@main
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "Learn and teach Model-Agnostic Meta-Learning: chapters, diagrams and training runs.",
        subcommands: [
            DemoCommand.self, ListCommand.self, RunCommand.self, GraphCommand.self, TrainCommand.self,
            EvaluateCommand.self, TransferCommand.self, FeatureReuseCommand.self,
        ],
        defaultSubcommand: DemoCommand.self)
}
