import ArgumentParser
import Foundation
import TransferLearning

/// `swift run -c release TransferLearningTrain`: pre-trains the 4-block conv net on every
/// training class of Omniglot and, as it goes, validates transfer learning with this exercise's
/// `adaptHead` and `transferLearn` on 5-way 5-shot episodes; writes the assessment folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "TransferLearningTrain",
        abstract: "Pre-trains on every training class of Omniglot, validates transfer learning with your code on 5-way 5-shot "
            + "episodes, and writes the assessment folder.")

    @Option(help: "A folder of Omniglot alphabets (default: the OMNIGLOT_ROOT environment variable).")
    var omniglotRoot: String?
    @Option(help: "Pre-training steps (mini-batches).")
    var iterations = AssessmentSettings().pretrainingIterations
    @Option(help: "Where to write the pretrained weights, metrics.json, validation.csv and validation.svg (default: the exercise's Assessment folder).")
    var out: String?
    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 0
    @Option(help: "Validate every this many pre-training steps.")
    var validateEvery = AssessmentSettings().validateEvery
    @Option(help: "Print a progress line every this many steps (and at every validation).")
    var printEvery = 10

    func validate() throws {
        guard printEvery >= 1 else { throw ValidationError("--print-every must be at least 1, got \(printEvery)") }
    }

    func run() throws {
        var settings = AssessmentSettings()
        settings.pretrainingIterations = iterations
        settings.seed = seed
        settings.validateEvery = validateEvery
        let folder = out.map { URL(fileURLWithPath: $0) } ?? assessmentFolder
        let data = try AssessmentData.omniglot(root: omniglotRoot.map { URL(fileURLWithPath: $0) }, settings: settings)
        say("data: \(data.description)")
        say("writing to \(folder.path) at the end")
        var lastValidation: Int?
        let run = try trainTransfer(data: data, settings: settings) { progress in
            let validated = progress.validation?.iteration != lastValidation
            lastValidation = progress.validation?.iteration
            if validated || progress.iteration % printEvery == 0 || progress.iteration == progress.iterations {
                say(Self.line(progress))
            }
        }
        try run.write(to: folder)
        say(String(format: "final accuracy %.3f at iteration %d (best %.3f at %d) in %.0f s; ",
                   run.final.accuracy, run.final.iteration, run.best.accuracy, run.best.iteration, run.seconds)
            + "wrote \(folder.path)")
    }

    /// One progress line: iteration, mini-batch loss, latest validation, time left.
    static func line(_ p: AssessmentProgress) -> String {
        let validation = p.validation.map { String(format: "val %.3f @%d", $0.accuracy, $0.iteration) } ?? "val -"
        let left = p.secondsLeft.isFinite ? String(format: "%.0f s left", p.secondsLeft) : "? s left"
        return String(format: "iteration %d/%d  loss %.4f  ", p.iteration, p.iterations, p.loss) + "\(validation)  \(left)"
    }
}

/// Writes one line to standard output at once (unbuffered, so a progress line shows even when
/// the output goes to a file or a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

TrainCommand.main()
