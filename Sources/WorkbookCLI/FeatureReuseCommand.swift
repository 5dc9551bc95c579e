import ArgumentParser
import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import Workbook

/// `workbook feature-reuse`: how much a meta-trained conv net needs to adapt its lower blocks.
struct FeatureReuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feature-reuse",
        abstract: "Evaluate a meta-trained checkpoint with conv blocks 1..k frozen at test time, k = 0..4.")

    @OptionGroup var options: HeldOutOptions

    func validate() throws {
        if let tasks = options.taskOptions.tasks, !tasks.isClassification {
            throw ValidationError("feature reuse is measured on the conv net: --tasks omniglot or --tasks glyphs")
        }
    }

    func run() throws {
        let (evaluation, _, anyProblem, data) = try options.load()
        guard let problem = anyProblem as? ClassificationProblem else {
            throw ValidationError("feature reuse is measured on the conv net; the checkpoint holds a regression network")
        }
        let (checkpoint, episodes, split) = (options.checkpoint, options.episodeCount, options.split)
        var generator = SeededGenerator(seed: options.seed)
        let tasks = try problem.evaluationTasks(count: episodes, generator: &generator)
        let steps = options.innerSteps ?? evaluation.configuration.evaluationInnerSteps
        let rows = featureReuse(evaluation.parameters, model: problem.model, on: tasks, steps: steps,
                                learningRate: evaluation.configuration.innerLearningRate)
        if options.json {
            let object: [String: Any] = [
                "checkpoint": checkpoint, "data": data, "episodes": episodes, "inner_steps": steps,
                "rows": rows.map { ["frozen_blocks": $0.frozenBlocks, "accuracy": jsonNumber($0.result.accuracy?.mean),
                                    "accuracy_ci95": jsonNumber($0.result.accuracy?.halfWidth)] },
            ]
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: text, as: UTF8.self))
            return
        }
        print("Feature reuse of \(checkpoint) on \(data), \(episodes) \(split.rawValue) episodes, \(steps) inner steps:")
        print("| frozen blocks | adapted | query accuracy (95% CI) |\n| --- | --- | --- |")
        for row in rows {
            let blocks = problem.model.blocks
            let adapted = row.frozenBlocks == 0 ? "everything"
                : row.frozenBlocks == blocks ? "head only"
                : row.frozenBlocks == blocks - 1 ? "block \(blocks) + head"
                : "blocks \(row.frozenBlocks + 1)-\(blocks) + head"
            print("| \(row.frozenBlocks) | \(adapted) | \(row.result.accuracy.map { "\($0)" } ?? "-") |")
        }
    }
}
