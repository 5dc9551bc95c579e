import ArgumentParser
import Foundation
import MetaLearning
import Notebook
import TaskData
import Workbook

/// `workbook evaluate`: post-adaptation accuracy (or MSE) of a checkpoint on held-out tasks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Adapt a trained checkpoint to held-out tasks and report the mean with a 95% interval.")

    @OptionGroup var options: HeldOutOptions

    @Option(help: ArgumentHelp(
        "Evaluate on the fixed episodes in this folder instead of sampled ones: one folder per episode, each with "
            + "support/<class>/*.png and query/<class>/*.png (classification; --ways must match).",
        valueName: "folder"))
    var episodesFrom: String?

    func validate() throws {
        if let episodesFrom { try PathCheck.inputFolder(episodesFrom, flag: "--episodes-from", what: "episodes") }
    }

    func run() throws {
        let (evaluation, problem, data) = try options.load()
        let (checkpoint, split) = (options.checkpoint, options.split)
        let result: EvaluationResult, episodes: Int, source: String
        if let episodesFrom {
            guard let classification = problem as? ClassificationProblem else {
                throw ValidationError("--episodes-from needs classification tasks (--tasks omniglot or glyphs), not --tasks \(options.taskOptions.tasks.rawValue)")
            }
            let fixed = try FixedEpisodes.loadAll(URL(fileURLWithPath: episodesFrom), dtype: classification.validation.dtype)
            result = try evaluation.evaluate(on: classification, episodes: fixed, innerSteps: options.innerSteps)
            (episodes, source) = (fixed.count, "the \(fixed.count) fixed episodes in \(episodesFrom)")
        } else {
            result = try evaluation.evaluate(on: problem, tasks: options.episodes, innerSteps: options.innerSteps, seed: options.seed)
            (episodes, source) = (options.episodes, "\(data), \(split.rawValue) tasks")
        }
        if options.json {
            var object: [String: Any] = [
                "checkpoint": checkpoint, "data": episodesFrom == nil ? data : source, "episodes": episodes, "split": split.rawValue,
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
            print("\(evaluation.configuration.algorithm.rawValue) checkpoint on \(source):")
            if let accuracy = result.accuracy { print("  query accuracy  \(accuracy)") }
            print("  query \(problem.isClassification ? "cross-entropy" : "MSE")  \(result.loss)")
        }
    }
}
