import ArgumentParser
import Foundation
import Workbook

/// `workbook demo`: the main job on embedded defaults.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render the grad-of-grad and MAML diagrams and run a short sinusoid MAML; no data needed.")

    @Option(help: "The output folder.")
    var out = "out"

    @Option(help: "Meta-training iterations of the sine run.")
    var iterations = 10000

    @Flag(help: "A few hundred iterations only (seconds).")
    var quick = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive, got \(iterations)") }
    }

    func run() throws {
        try Demo(output: URL(fileURLWithPath: out), iterations: quick ? 300 : iterations).run()
    }
}
