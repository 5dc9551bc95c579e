import ArgumentParser
import CommandLineSupport
import Autodiff
import Foundation
import MetaLearning
import Notebook
import Plots
import Workbook

/// `workbook transfer`: the transfer-learning baseline, optionally beside a meta-trained checkpoint
/// on the same held-out episodes.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Pre-train a classifier on all training classes, then adapt a new head per episode; compare with MAML.",
        discussion: """
            Writes into --out: metrics.json, pretraining-loss.svg/.csv and comparison.svg/.csv \
            (query accuracy against adaptation steps).
            Example: workbook transfer --tasks omniglot --omniglot-root DIR --compare runs/fomaml/best.mamlckpt --out runs/transfer
            """)

    @OptionGroup var taskOptions: TaskOptions
    @Option(parsing: .unconditional, help: "Pre-training mini-batches.")
    var pretrainIterations = 1000
    @Option(parsing: .unconditional, help: "Images per pre-training mini-batch.")
    var batchSize = 64
    @Option(parsing: .unconditional, help: "Adam's rate during pre-training.")
    var pretrainLr = 1e-3
    @Option(parsing: .unconditional, help: "Head-training SGD steps per episode.")
    var adaptSteps = 50
    @Option(parsing: .unconditional, help: "Head-training SGD rate.")
    var adaptLr = 0.4
    @Option(parsing: .unconditional, help: "Held-out episodes to average over.")
    var episodes = 100
    @Option(help: "Which held-out alphabets: validation or test.")
    var split: ClassificationProblem.HeldOut = .test
    @Option(help: "A meta-trained checkpoint to evaluate on the same episodes.")
    var compare: String?
    @Option(parsing: .unconditional, help: "The seed of pre-training and of the episodes.", transform: wholeNumber)
    var seed: UInt64 = 0
    @Option(help: "The output folder.")
    var out: String

    func validate() throws {
        guard let tasks = taskOptions.tasks, tasks.isClassification else {
            throw ValidationError("transfer works on image tasks: --tasks omniglot or --tasks glyphs, not --tasks \(taskOptions.tasks?.rawValue ?? "sine")")
        }
        for (flag, value) in [("--pretrain-iterations", pretrainIterations), ("--batch-size", batchSize), ("--episodes", episodes)] {
            guard value > 0 else { throw ValidationError("\(flag) must be positive, got \(value)") }
        }
        guard adaptSteps >= 0 else { throw ValidationError("--adapt-steps must be 0 or more, got \(adaptSteps)") }
        for (flag, value) in [("--pretrain-lr", pretrainLr), ("--adapt-lr", adaptLr)] {
            guard value > 0, value.isFinite else { throw ValidationError("\(flag) must be positive, got \(value)") }
        }
        if let compare { try PathCheck.inputFile(compare, flag: "--compare", what: "checkpoint (.mamlckpt)") }
        try PathCheck.outputFolder(out)
    }

    func run() throws {
        let settings = try taskOptions.settings()
        let (anyProblem, data, _) = try settings.problem(heldOut: split)
        let problem = anyProblem as! ClassificationProblem
        // Load the checkpoint to compare with first, so a mismatch stops before pre-training.
        let meta = try compare.map { try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: $0)) }
        try meta?.checkFits(problem)
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let baseline = TransferLearning(pretrainIterations: pretrainIterations, batchSize: batchSize,
                                        pretrainLearningRate: pretrainLr, adaptationSteps: adaptSteps, adaptationLearningRate: adaptLr)
        let classes = problem.training.dataset.classes.count
        print("Pre-training a \(classes)-class classifier on \(data) (\(pretrainIterations) mini-batches of \(batchSize))")
        let progress = ProgressLine(total: pretrainIterations, every: 50)
        progress.begin()
        let pretrained = try baseline.pretrain(on: problem.training.dataset, seed: seed) { progress.report(iteration: $0, loss: $1) }
        progress.end()

        var generator = SeededGenerator(seed: seed &+ 1)
        let tasks = try problem.evaluationTasks(count: episodes, generator: &generator)
        var comparison = Figure(title: "\(settings.ways)-way \(settings.shots)-shot, \(split.rawValue) episodes",
                                xLabel: "adaptation steps", yLabel: "query accuracy")
        var rows: [[String: Any]] = []
        let transferSteps = Array(Set([0, 1, 5, 10, 25, adaptSteps].filter { $0 <= adaptSteps })).sorted()
        var transferCurve: [(Int, Double)] = []
        for steps in transferSteps {
            var variant = baseline
            variant.adaptationSteps = steps
            let result = variant.evaluate(pretrained, on: tasks, ways: settings.ways)
            transferCurve.append((steps, result.accuracy?.mean ?? .nan))
            if steps == adaptSteps { rows.append(row("transfer (frozen features, new head)", steps: steps, result)) }
        }
        try comparison.addLine(x: transferCurve.map { Double($0.0) }, y: transferCurve.map(\.1), label: "transfer")

        if let compare, let evaluation = meta {
            let trainedSteps = evaluation.configuration.evaluationInnerSteps
            let mamlSteps = Array(Set([0, 1, 2, 3, trainedSteps].filter { $0 <= trainedSteps })).sorted()
            var curve: [(Int, Double)] = []
            for steps in mamlSteps {
                // The same seed samples the same episodes the transfer baseline was measured on.
                let result = try evaluation.evaluate(on: problem, tasks: episodes, innerSteps: steps, seed: seed &+ 1)
                curve.append((steps, result.accuracy?.mean ?? .nan))
                if steps == trainedSteps { rows.append(row("\(evaluation.configuration.algorithm.rawValue) (\(compare))", steps: steps, result)) }
            }
            try comparison.addLine(x: curve.map { Double($0.0) }, y: curve.map(\.1), label: evaluation.configuration.algorithm.rawValue)
        }
        comparison.addHorizontalLine(y: 1 / Double(settings.ways), label: "chance")
        try comparison.write(to: folder, name: "comparison")
        var lossFigure = Figure(title: "Transfer pre-training loss (\(classes) classes)", xLabel: "iteration", yLabel: "cross-entropy")
        try lossFigure.addLine(y: pretrained.losses, label: "mini-batch")
        try lossFigure.write(to: folder, name: "pretraining-loss")

        let metrics: [String: Any] = [
            "data": data, "split": split.rawValue, "episodes": episodes, "ways": settings.ways,
            "pretrain_iterations": pretrainIterations, "batch_size": batchSize, "pretrain_lr": pretrainLr,
            "adapt_steps": adaptSteps, "adapt_lr": adaptLr, "pretraining_classes": classes,
            "pretraining_final_batch_accuracy": pretrained.finalBatchAccuracy, "results": rows,
        ]
        let json = try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: folder.appendingPathComponent("metrics.json"))
        print("\n| method | adaptation steps | query accuracy (95% CI) |\n| --- | --- | --- |")
        for row in rows {
            print(String(format: "| %@ | %d | %.4f ± %.4f |", row["method"] as! String, row["steps"] as! Int,
                         (row["accuracy"] as? Double) ?? .nan, (row["accuracy_ci95"] as? Double) ?? .nan))
        }
        print("wrote \(folder.path)/{metrics.json, comparison.svg, pretraining-loss.svg}")
    }

    private func row(_ method: String, steps: Int, _ result: EvaluationResult) -> [String: Any] {
        ["method": method, "steps": steps, "accuracy": jsonNumber(result.accuracy?.mean),
         "accuracy_ci95": jsonNumber(result.accuracy?.halfWidth), "loss": jsonNumber(result.loss.mean)]
    }
}
