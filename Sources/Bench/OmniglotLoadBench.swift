import ArgumentParser

/// `bench omniglot-load`.
struct OmniglotLoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "omniglot-load")
    func run() throws {}
}
