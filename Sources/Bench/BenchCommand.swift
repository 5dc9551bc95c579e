import ArgumentParser

/// The `bench` command: speed and memory measurements, printed as JSON.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and memory; each subcommand prints one JSON object.",
        subcommands: [SineMAMLBench.self, OmniglotFOMAMLBench.self, OmniglotLoadBench.self, UnrollBench.self, DeepGraphBench.self, CheckpointCurveBench.self,
                      GradeBench.self])
}
