import ArgumentParser
import Foundation
import MetaLearning
import Workbook

/// `workbook evaluate`: post-adaptation accuracy (or MSE) of a checkpoint on held-out tasks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Adapt a trained checkpoint to held-out tasks and report the mean with a 95% interval.")

    @Option(help: "A checkpoint written by 'workbook train' (checkpoint.mamlckpt or best.mamlckpt).")
    var checkpoint: String
    @OptionGroup var taskOptions: TaskOptions
    @Option(help: "Held-out tasks (episodes) to average over.")
    var episodes = 100
    @Option(help: "Inner steps (default: the training run's).")
    var innerSteps: Int?
    @Option(help: "Which held-out alphabets: validation or test (classification).")
    var split: ClassificationProblem.HeldOut = .test
    @Option(help: "Seed of the held-out task sample.")
    var seed: UInt64 = 1
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let evaluation = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: checkpoint))
        let (problem, data) = try taskOptions.problem(heldOut: split, batchNormSteps: evaluation.configuration.batchNormSteps)
        let result = try evaluation.evaluate(on: problem, tasks: episodes, innerSteps: innerSteps, seed: seed)
        if json {
            var object: [String: Any] = [
                "checkpoint": checkpoint, "data": data, "episodes": episodes, "split": split.rawValue,
                "algorithm": evaluation.configuration.algorithm.rawValue,
                "loss_mean": jsonNumber(result.loss.mean), "loss_ci95": jsonNumber(result.loss.halfWidth),
            ]
            if let accuracy = result.accuracy {
                object["accuracy_mean"] = jsonNumber(accuracy.mean)
                object["accuracy_ci95"] = jsonNumber(accuracy.halfWidth)
            }
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: text, as: UTF8.self))
        } else {
            print("\(evaluation.configuration.algorithm.rawValue) checkpoint on \(data), \(split.rawValue) tasks:")
            if let accuracy = result.accuracy { print("  query accuracy  \(accuracy)") }
            print("  query \(problem.isClassification ? "cross-entropy" : "MSE")  \(result.loss)")
        }
    }
}
