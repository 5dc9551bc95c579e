import ArgumentParser

/// `workbook demo`: the main job on embedded defaults.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run the demo on embedded defaults.")

    func run() throws {
        print("demo")
    }
}
