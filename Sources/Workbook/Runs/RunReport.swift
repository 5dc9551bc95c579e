import Foundation
import MetaLearning
import Plots

/// What a training run leaves beside its checkpoints: `metrics.json` and the SVG plots.
///
/// `metrics.json` holds the best validation score and the iteration it was reached at
/// (`best_validation_accuracy` for classification, `best_validation_mse` for regression),
/// every hyper-parameter, the data used, and timings; the plots show the training loss and the
/// post-adaptation validation curve, each with a CSV of its data.
public struct RunReport {
    /// The run's outcome.
    public let summary: MetaTrainer.Summary
    /// The run's hyper-parameters.
    public let configuration: TrainingConfiguration
    /// The problem's name.
    public let problemName: String
    /// Whether accuracy (classification) or MSE (regression) is the score.
    public let isClassification: Bool
    /// Extra facts to record (data source, shots, ...).
    public let details: [String: String]
    /// What the run trained on (model, episode sizes, data, the alphabets of each split part).
    public let task: TaskDescription?

    /// A report of a finished (or interrupted) run.
    public init(summary: MetaTrainer.Summary, configuration: TrainingConfiguration, problemName: String,
                isClassification: Bool, details: [String: String] = [:], task: TaskDescription? = nil) {
        self.task = task
        self.summary = summary
        self.configuration = configuration
        self.problemName = problemName
        self.isClassification = isClassification
        self.details = details
    }

    /// The key of the best score in `metrics.json`.
    public var bestKey: String { isClassification ? "best_validation_accuracy" : "best_validation_mse" }

    /// The `metrics.json` object.
    public func metrics() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let hyperParameters = try JSONSerialization.jsonObject(with: encoder.encode(configuration))
        var object: [String: Any] = [
            "problem": problemName,
            "algorithm": configuration.algorithm.rawValue,
            bestKey: summary.bestValidation.isFinite ? summary.bestValidation : NSNull(),
            "best_iteration": summary.bestIteration,
            "iterations_run": summary.lastIteration,
            "interrupted": summary.interrupted,
            "seconds": summary.seconds,
            "hyper_parameters": hyperParameters,
        ]
        let final = summary.log.series("train_loss").last?.value
        object["final_train_loss"] = final.map { $0 as Any } ?? NSNull()
        for (key, value) in details { object[key] = value }
        if let task { object["task"] = try JSONSerialization.jsonObject(with: Data(task.json.utf8)) }
        return object
    }

    /// One sentence on how the run went: the best validation score and where it was reached, or
    /// that the run stopped before its first validation; then the iterations and the time.
    public var outcomeSentence: String {
        let timing = "\(summary.lastIteration) iterations in \(ProgressLine.duration(summary.seconds)) of training"
        guard summary.bestValidation.isFinite, summary.bestIteration > 0 else {
            return "no validation yet: the run stopped at iteration \(summary.lastIteration), before the first validation "
                + "(every \(configuration.validateEvery) iterations); \(timing)"
        }
        let best = isClassification ? NumberText.format(summary.bestValidation, style: .percent)
            : NumberText.format(summary.bestValidation, digits: 4)
        return "best validation \(isClassification ? "accuracy" : "MSE") \(best) at iteration \(summary.bestIteration); \(timing)"
    }

    /// Writes `metrics.json`, `training-loss.svg/.csv` and (once a validation was measured)
    /// `validation.svg/.csv` into `folder`; returns the files written.
    @discardableResult
    public func write(to folder: URL) throws -> [URL] {
        let json = try JSONSerialization.data(withJSONObject: metrics(), options: [.prettyPrinted, .sortedKeys])
        let metricsURL = folder.appendingPathComponent("metrics.json")
        try json.write(to: metricsURL, options: .atomic)

        let train = summary.log.series("train_loss")
        var plots: [String] = []
        if !train.isEmpty {
            var loss = Figure(title: "Meta-training loss (\(configuration.algorithm.rawValue), \(problemName))",
                              xLabel: "iteration", yLabel: isClassification ? "query cross-entropy" : "query MSE")
            try loss.addLine(x: train.map { Double($0.iteration) }, y: train.map(\.value), label: "training meta-batch")
            let smooth = movingAverage(train.map(\.value), window: Swift.max(1, train.count / 20))
            try loss.addLine(x: train.map { Double($0.iteration) }, y: smooth, label: "moving average", width: 3)
            try loss.write(to: folder, name: "training-loss")
            plots.append("training-loss")
        }

        let column = isClassification ? "validation_accuracy" : "validation_loss"
        let validation = summary.log.series(column)
        if !validation.isEmpty {
            var curve = Figure(title: isClassification ? "Validation accuracy after adaptation" : "Validation MSE after adaptation",
                               xLabel: "iteration", yLabel: isClassification ? "query accuracy" : "query MSE")
            try curve.addLine(x: validation.map { Double($0.iteration) }, y: validation.map(\.value),
                              label: "after \(configuration.evaluationInnerSteps) inner step\(configuration.evaluationInnerSteps == 1 ? "" : "s")")
            if isClassification { curve.addHorizontalLine(y: 0.8, label: "80%") }
            try curve.write(to: folder, name: "validation")
            plots.append("validation")
        } else {
            // A curve from an earlier run in this folder would no longer match metrics.csv.
            for file in ["validation.svg", "validation.csv"] { try? FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
        }
        return [metricsURL] + plots.flatMap {
            [folder.appendingPathComponent("\($0).svg"), folder.appendingPathComponent("\($0).csv")]
        }
    }
}
