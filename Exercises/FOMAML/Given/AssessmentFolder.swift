import ExerciseSupport
import Foundation
import NeuralNetworks
import Plots

/// The folder of the assessment's artefacts, `Assessment/` beside this module's source files:
/// what a training run writes and what is handed in and graded.
public let assessmentFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Assessment")

/// The files of an assessment folder.
public enum AssessmentFile {
    /// The final weights θ, in the `Checkpoint` format of NeuralNetworks (parameters only).
    public static let checkpoint = "weights.checkpoint"
    /// Every hyper-parameter, the data, the best and the final validation accuracy (`AssessmentMetrics`).
    public static let metrics = "metrics.json"
    /// The validation curve: a header `iteration,accuracy`, then one line per validation.
    public static let curve = "validation.csv"
    /// The validation curve drawn as an SVG chart.
    public static let plot = "validation.svg"
}

/// What `metrics.json` holds: the run's hyper-parameters and data, and its validation summary.
public struct AssessmentMetrics: Codable, Sendable, Equatable {
    /// Every hyper-parameter of the run (N, K, Q, L, η, n, Adam's β, β₁, β₂, ε, seed, ...).
    public var hyperparameters: TrainingSettings
    /// The data set and its split into training and validation alphabets.
    public var data: String
    /// The outer-loop optimizer, in words.
    public var optimizer: String
    /// The network, in words.
    public var network: String
    /// The highest validation accuracy of the curve.
    public var bestValidationAccuracy: Double
    /// The iteration of that accuracy.
    public var bestIteration: Int
    /// The validation accuracy of the final weights (the checkpoint).
    public var finalValidationAccuracy: Double
    /// The iteration of the final weights: the outer steps taken.
    public var finalIteration: Int
    /// The first validated iteration with at least 80% accuracy (nil when none reached it).
    public var firstIterationAtLeast80Percent: Int?
    /// The seed of the run (the same as `hyperparameters.seed`).
    public var seed: UInt64
    /// Threads used (they change the speed, not the result beyond rounding).
    public var threads: Int
    /// Wall-clock seconds of the run.
    public var seconds: Double

    /// The summary of a finished run.
    public init(run: TrainingRun, threads: Int) {
        hyperparameters = run.settings
        data = run.dataDescription
        optimizer = "Adam(learning rate \(run.settings.outerLearningRate), β₁ \(run.settings.adamBeta1), β₂ \(run.settings.adamBeta2), "
            + "ε \(run.settings.adamEpsilon), bias correction \(run.settings.adamBiasCorrection ? "on" : "off")) on the FO-MAML gradient"
        network = "\(run.network.blocks) blocks of 3×3 conv (\(run.network.filters) filters), batch norm with batch statistics, "
            + "ReLU, 2×2 max-pool; linear head to \(run.network.ways) logits"
        bestValidationAccuracy = run.best.accuracy
        bestIteration = run.best.iteration
        finalValidationAccuracy = run.final.accuracy
        finalIteration = run.final.iteration
        firstIterationAtLeast80Percent = run.curve.first { $0.accuracy >= 0.8 }?.iteration
        seed = run.settings.seed
        self.threads = threads
        seconds = run.seconds
    }

    /// Reads `metrics.json` from `folder`.
    public static func read(from folder: URL) throws -> AssessmentMetrics {
        let file = folder.appendingPathComponent(AssessmentFile.metrics)
        return try JSONDecoder().decode(AssessmentMetrics.self, from: Data(contentsOf: file))
    }
}

extension TrainingRun {
    /// Writes the four artefacts into `folder` (created if needed): the final weights, the
    /// metrics, the validation curve as CSV and as an SVG chart.
    public func write(to folder: URL, threads: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let metadata = ["iteration": "\(final.iteration)", "ways": "\(settings.ways)", "filters": "\(settings.filters)",
                        "blocks": "\(settings.blocks)", "seed": "\(settings.seed)", "algorithm": "FO-MAML"]
        try Checkpoint(parameters: parameters, metadata: metadata).write(to: folder.appendingPathComponent(AssessmentFile.checkpoint))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(AssessmentMetrics(run: self, threads: threads))
            .write(to: folder.appendingPathComponent(AssessmentFile.metrics), options: .atomic)
        let lines = ["iteration,accuracy"] + curve.map { "\($0.iteration),\($0.accuracy)" }
        try (lines.joined(separator: "\n") + "\n")
            .write(to: folder.appendingPathComponent(AssessmentFile.curve), atomically: true, encoding: .utf8)
        try validationFigure().svg().write(to: folder.appendingPathComponent(AssessmentFile.plot), atomically: true, encoding: .utf8)
    }

    /// The validation accuracy against the iteration, with the 80% target drawn across.
    func validationFigure() throws -> Figure {
        var figure = Figure(title: "FO-MAML, \(settings.ways)-way \(settings.shots)-shot: validation after adaptation",
                            xLabel: "outer iteration", yLabel: "post-adaptation query accuracy")
        figure.yLimits = 0...1
        try figure.addLine(x: curve.map { Double($0.iteration) }, y: curve.map(\.accuracy), label: "validation accuracy")
        figure.addHorizontalLine(y: 0.8, label: "80% target")
        return figure
    }
}

/// Reads `validation.csv` from `folder`: one point per line after the header `iteration,accuracy`
/// (the loss is not stored there and reads as NaN). Throws naming the line that does not parse.
public func readValidationCurve(from folder: URL) throws -> [ValidationPoint] {
    let file = folder.appendingPathComponent(AssessmentFile.curve)
    let lines = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline)
    guard lines.first == "iteration,accuracy" else {
        throw ExerciseError.invalidArgument("\(file.path) must start with the header line iteration,accuracy")
    }
    return try lines.dropFirst().enumerated().map { number, line in
        let fields = line.split(separator: ",")
        guard fields.count == 2, let iteration = Int(fields[0]), let accuracy = Double(fields[1]) else {
            throw ExerciseError.invalidArgument("\(file.path), line \(number + 2): expected <iteration>,<accuracy>, got \"\(line)\"")
        }
        return ValidationPoint(iteration: iteration, accuracy: accuracy, loss: .nan)
    }
}
