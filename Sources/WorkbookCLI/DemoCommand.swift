import ArgumentParser
import Foundation
import Notebook
import Workbook

/// `workbook demo`: the main job on embedded defaults.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render the grad-of-grad and MAML diagrams and run a short sinusoid MAML; no data needed.")

    @Option(help: "The output folder.")
    var out = "out"

    @Option(parsing: .unconditional, help: "Meta-training iterations of the sine run.")
    var iterations = 10000

    @Flag(help: "A few hundred iterations only (seconds).")
    var quick = false

    @Flag(help: "Continue the sine run an interrupted demo left in --out (give the same --iterations).")
    var resume = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive, got \(iterations)") }
        try PathCheck.outputFolder(out)
        let checkpoint = URL(fileURLWithPath: out).appendingPathComponent("sine-maml/checkpoint.mamlckpt")
        if resume && !FileManager.default.fileExists(atPath: checkpoint.path) {
            throw ValidationError("--resume: there is no interrupted demo in \(out) to continue (no \(checkpoint.path)); run 'workbook demo' without --resume")
        }
    }

    func run() throws {
        do {
            try Demo(output: URL(fileURLWithPath: out), iterations: quick ? 300 : iterations, resume: resume).run()
        } catch is Demo.Interrupted {
            throw ExitCode(130)
        }
    }
}
