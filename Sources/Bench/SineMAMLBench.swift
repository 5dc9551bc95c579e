import ArgumentParser

/// `bench sine-maml`.
struct SineMAMLBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sine-maml")
    func run() throws {}
}
