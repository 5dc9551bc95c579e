import ArgumentParser

/// `workbook graph`: renders differentiated computation graphs.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Render a computation-graph diagram.")

    func run() throws {
        print("graph")
    }
}
