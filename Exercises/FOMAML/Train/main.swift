import ArgumentParser
import FOMAML
import Foundation

/// `swift run -c release FOMAMLTrain`: meta-trains the 4-block conv net with this exercise's
/// `innerLoop` and `outerLoop` on 5-way 5-shot Omniglot and writes the assessment folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "FOMAMLTrain",
        abstract: "Trains FO-MAML on 5-way 5-shot Omniglot with your inner and outer loops and writes the assessment folder.")

    @Option(help: "A folder of Omniglot alphabets (default: the OMNIGLOT_ROOT environment variable).")
    var omniglotRoot: String?
    @Option(help: "Outer iterations (meta-batches); the assessment allows at most 1000.")
    var iterations = TrainingSettings().iterations
    @Option(help: "Where to write the weights, metrics.json, validation.csv and validation.svg (default: the exercise's Assessment folder).")
    var out: String?
    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 0
    @Option(help: "Validate every this many iterations.")
    var validateEvery = TrainingSettings().validateEvery
    @Option(help: "Threads that evaluate parts of a meta-batch at once (the result is the same up to rounding).")
    var threads = 1

    func run() throws {
        var settings = TrainingSettings()
        settings.iterations = iterations
        settings.seed = seed
        settings.validateEvery = validateEvery
        let folder = out.map { URL(fileURLWithPath: $0) } ?? assessmentFolder
        let data = try TrainingData.omniglot(root: omniglotRoot.map { URL(fileURLWithPath: $0) }, settings: settings)
        say("data: \(data.description)")
        say("writing to \(folder.path) at the end")
        let run = try trainFOMAML(data: data, settings: settings, threads: threads) { progress in
            say(Self.line(progress))
        }
        try run.write(to: folder, threads: threads)
        say(String(format: "final accuracy %.3f at iteration %d (best %.3f at %d) in %.0f s; ",
                     run.final.accuracy, run.final.iteration, run.best.accuracy, run.best.iteration, run.seconds)
            + "wrote \(folder.path)")
    }

    /// One progress line: iteration, meta-batch loss and accuracy, latest validation, time left.
    static func line(_ p: TrainingProgress) -> String {
        let validation = p.validation.map { String(format: "val %.3f @%d", $0.accuracy, $0.iteration) } ?? "val -"
        let left = p.secondsLeft.isFinite ? String(format: "%.0f s left", p.secondsLeft) : "? s left"
        return String(format: "iteration %d/%d  loss %.4f  query acc %.3f  ", p.iteration, p.iterations, p.loss, p.queryAccuracy)
            + "\(validation)  \(left)"
    }
}

/// Writes one line to standard output at once (unbuffered, so a progress line shows even when
/// the output goes to a file or a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

TrainCommand.main()
