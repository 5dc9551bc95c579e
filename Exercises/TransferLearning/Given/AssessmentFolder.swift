import ExerciseSupport
import Foundation
import NeuralNetworks
import Plots

/// The folder of the assessment's artefacts, `Assessment/` beside this module's source files:
/// what a training run writes and what is handed in and graded.
public let assessmentFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Assessment")

/// The files of an assessment folder.
public enum AssessmentFile {
    /// The final pretrained weights (body and all-class head), in the `Checkpoint` format of NeuralNetworks.
    public static let checkpoint = "pretrained.checkpoint"
    /// Every hyper-parameter, the data, the best and the final validation accuracy (`AssessmentMetrics`).
    public static let metrics = "metrics.json"
    /// The validation curve: a header `iteration,accuracy`, then one line per validation.
    public static let curve = "validation.csv"
    /// The validation curve drawn as an SVG chart.
    public static let plot = "validation.svg"
}

/// What `metrics.json` holds: the run's hyper-parameters and data, and its validation summary.
public struct AssessmentMetrics: Codable, Sendable, Equatable {
    /// Every hyper-parameter of the run (N, K, Q, S, α, T, B, Adam's rate, seed, ...).
    public var hyperparameters: AssessmentSettings
    /// The data set, its split into training and validation alphabets, and the class counts.
    public var data: String
    /// The pre-training classes C: the width of the all-class head.
    public var pretrainingClasses: Int
    /// Pre-training, in words.
    public var pretraining: String
    /// Head training on each validation episode, in words.
    public var headTraining: String
    /// The network, in words.
    public var network: String
    /// The mean cross-entropy of the last (up to 100) pre-training mini-batches (nil without any).
    public var finalPretrainingLoss: Double?
    /// The highest validation accuracy of the curve.
    public var bestValidationAccuracy: Double
    /// The iteration of that accuracy.
    public var bestIteration: Int
    /// The validation accuracy of the final weights (the checkpoint).
    public var finalValidationAccuracy: Double
    /// The iteration of the final weights: the pre-training steps taken.
    public var finalIteration: Int
    /// The seed of the run (the same as `hyperparameters.seed`).
    public var seed: UInt64
    /// Wall-clock seconds of the run.
    public var seconds: Double

    /// The summary of a finished run.
    public init(run: AssessmentRun) {
        let settings = run.settings
        let network = run.pretrained.network
        hyperparameters = settings
        data = run.dataDescription
        pretrainingClasses = network.ways
        // `pretrain` uses Adam's defaults apart from the learning rate; read them from the optimizer itself.
        let adam = Adam(learningRate: settings.learningRate)
        pretraining = "\(settings.pretrainingIterations) steps of Adam (learning rate \(adam.learningRate), β₁ \(adam.beta1), "
            + "β₂ \(adam.beta2), ε \(adam.epsilon), bias correction \(adam.biasCorrection ? "on" : "off")) on the cross-entropy "
            + "of mini-batches of \(settings.batchSize) images drawn uniformly over the \(network.ways) classes"
        headTraining = "per episode a fresh \(settings.ways)-way head (Glorot uniform, zero bias) on the frozen body, "
            + "\(settings.headSteps) gradient steps of size \(settings.headStepSize) on the support cross-entropy"
        self.network = "\(network.blocks) blocks of 3×3 conv (\(network.filters) filters), batch norm with batch statistics, "
            + "ReLU, 2×2 max-pool; linear head to \(network.ways) logits in pre-training, \(settings.ways) in each episode"
        let recent = run.losses.suffix(100)
        finalPretrainingLoss = recent.isEmpty ? nil : recent.reduce(0, +) / Double(recent.count)
        bestValidationAccuracy = run.best.accuracy
        bestIteration = run.best.iteration
        finalValidationAccuracy = run.final.accuracy
        finalIteration = run.final.iteration
        seed = settings.seed
        seconds = run.seconds
    }

    /// Reads `metrics.json` from `folder`.
    public static func read(from folder: URL) throws -> AssessmentMetrics {
        let file = folder.appendingPathComponent(AssessmentFile.metrics)
        return try JSONDecoder().decode(AssessmentMetrics.self, from: Data(contentsOf: file))
    }
}

extension AssessmentRun {
    /// Writes the four artefacts into `folder` (created if needed): the final pretrained
    /// weights, the metrics, the validation curve as CSV and as an SVG chart.
    public func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let network = pretrained.network
        let metadata = ["iteration": "\(final.iteration)", "classes": "\(network.ways)", "filters": "\(network.filters)",
                        "blocks": "\(network.blocks)", "seed": "\(settings.seed)", "algorithm": "pre-training on all training classes"]
        try Checkpoint(parameters: pretrained.parameters, metadata: metadata)
            .write(to: folder.appendingPathComponent(AssessmentFile.checkpoint))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(AssessmentMetrics(run: self)).write(to: folder.appendingPathComponent(AssessmentFile.metrics), options: .atomic)
        let lines = ["iteration,accuracy"] + curve.map { "\($0.iteration),\($0.accuracy)" }
        try (lines.joined(separator: "\n") + "\n")
            .write(to: folder.appendingPathComponent(AssessmentFile.curve), atomically: true, encoding: .utf8)
        try validationFigure().svg().write(to: folder.appendingPathComponent(AssessmentFile.plot), atomically: true, encoding: .utf8)
    }

    /// The validation accuracy against the pre-training step, with the grading bar drawn across
    /// (the pretrained body must reach 85% when the grader re-evaluates it on its own episodes).
    func validationFigure() throws -> Figure {
        var figure = Figure(title: "Transfer learning, \(settings.ways)-way \(settings.shots)-shot: validation after head training",
                            xLabel: "pre-training iteration", yLabel: "post-adaptation query accuracy")
        figure.yLimits = 0...1
        figure.legendPlacement = .bottomRight
        try figure.addLine(x: curve.map { Double($0.iteration) }, y: curve.map(\.accuracy), label: "validation accuracy")
        figure.addHorizontalLine(y: 0.85, label: "85% grading bar")
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
