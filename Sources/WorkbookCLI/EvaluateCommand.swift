import ArgumentParser
import Foundation
import MetaLearning
import Workbook

/// `workbook evaluate`: post-adaptation accuracy (or MSE) of a checkpoint on held-out tasks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Adapt a trained checkpoint to held-out tasks and report the mean with a 95% interval.")

    @OptionGroup var options: HeldOutOptions

    func run() throws {
        let (evaluation, problem, data) = try options.load()
        let (checkpoint, episodes, split) = (options.checkpoint, options.episodes, options.split)
        let result = try evaluation.evaluate(on: problem, tasks: episodes, innerSteps: options.innerSteps, seed: options.seed)
        if options.json {
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
