import ArgumentParser
import Foundation
import MetaLearning
import Notebook
import TaskData
import Workbook

/// How `evaluate` normalizes query images after adaptation (`BatchNormMode`).
enum BatchNormChoice: String, CaseIterable, ExpressibleByArgument {
    case transductive, support, running
}

/// Evaluation presets that fix the protocol of a published table.
enum EvaluationProtocol: String, CaseIterable, ExpressibleByArgument {
    /// The MAML paper's Omniglot protocol: 600 episodes, 10 adaptation steps, 95% intervals.
    case mamlPaper = "maml-paper"
}

/// `workbook evaluate`: post-adaptation accuracy (or MSE) of a checkpoint on held-out tasks.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Adapt a trained checkpoint to held-out tasks and report the mean with a 95% interval.",
        discussion: """
            The checkpoint describes its network, tasks, data and split, so no task flag is needed; \
            a flag given overrides the checkpoint (--ways and --tasks must fit its network).
            Example: workbook evaluate --checkpoint runs/omniglot/best.mamlckpt --protocol maml-paper
            """)

    @OptionGroup var options: HeldOutOptions

    @Option(help: ArgumentHelp(
        "Evaluate on the fixed episodes in this folder instead of sampled ones: one folder per episode, each with "
            + "support/<class>/*.png and query/<class>/*.png (classification).",
        valueName: "folder"))
    var episodesFrom: String?

    @Option(help: ArgumentHelp(
        "Statistics that normalize the query images after adaptation: transductive (the query batch's own), "
            + "support (the support set's) or running (the meta-trained network's over 100 training episodes).",
        valueName: "mode"))
    var batchNorm: BatchNormChoice = .transductive

    @Option(help: ArgumentHelp("A published protocol: maml-paper (600 episodes and 10 adaptation steps unless --episodes and --inner-steps say otherwise; the paper's table beside ours).",
                               valueName: "name"))
    var `protocol`: EvaluationProtocol?

    func validate() throws {
        if let episodesFrom { try PathCheck.inputFolder(episodesFrom, flag: "--episodes-from", what: "episodes") }
        if let tasks = options.taskOptions.tasks, !tasks.isClassification, batchNorm != .transductive || episodesFrom != nil {
            throw ValidationError("--batch-norm and --episodes-from need image tasks (omniglot or glyphs), not --tasks \(tasks.rawValue)")
        }
    }

    /// Episodes and adaptation steps: the flags, else the protocol's, else the defaults.
    var episodeCount: Int { options.episodes ?? (`protocol` == .mamlPaper ? 600 : 100) }
    var innerSteps: Int? { options.innerSteps ?? (`protocol` == .mamlPaper ? 10 : nil) }

    func run() throws {
        let checkpoint = options.checkpoint
        let evaluation = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: checkpoint))
        let settings = try options.taskOptions.settings(filling: evaluation.task)
        let split = options.split
        let result: EvaluationResult
        let fixed = try episodesFrom.map { try FixedEpisodes.loadAll(URL(fileURLWithPath: $0)) }
        let episodes = fixed?.count ?? episodeCount
        var source = "the \(episodes) fixed episodes in \(episodesFrom ?? "")"  // replaced for sampled episodes below
        if let fixed, evaluation.task != nil, batchNorm != .running {
            // The checkpoint describes its network: no data set is needed.
            result = try evaluation.evaluate(episodes: fixed, innerSteps: innerSteps, batchNorm: try mode(evaluation, training: nil))
        } else {
            let (anyProblem, data, _) = try settings.problem(heldOut: split, batchNormSteps: evaluation.configuration.batchNormSteps)
            try evaluation.checkFits(anyProblem)
            if var problem = anyProblem as? ClassificationProblem {
                problem.batchNorm = try mode(evaluation, training: problem.training)
                if let fixed {
                    result = try evaluation.evaluate(on: problem, episodes: fixed, innerSteps: innerSteps)
                } else {
                    result = try evaluation.evaluate(on: problem, tasks: episodeCount, innerSteps: innerSteps, seed: options.seed)
                    source = "\(data), \(split.rawValue) alphabets"
                }
            } else {
                guard fixed == nil, batchNorm == .transductive else {
                    throw ValidationError("--batch-norm and --episodes-from need an image classifier; the checkpoint holds a regression network")
                }
                result = try evaluation.evaluate(on: anyProblem, tasks: episodeCount, innerSteps: innerSteps, seed: options.seed)
                source = "\(data), held-out tasks"
            }
        }
        let steps = innerSteps ?? evaluation.configuration.evaluationInnerSteps
        if options.json {
            var object: [String: Any] = [
                "checkpoint": checkpoint, "data": source, "episodes": episodes, "split": split.rawValue,
                "algorithm": evaluation.configuration.algorithm.rawValue, "inner_steps": steps,
                "tasks": settings.tasks.rawValue, "shots": settings.shots, "queries": settings.queries,
                "loss_mean": jsonNumber(result.loss.mean), "loss_ci95": jsonNumber(result.loss.halfWidth),
            ]
            if settings.tasks.isClassification {
                object["ways"] = settings.ways
                object["within_alphabet"] = settings.withinAlphabet
                object["batch_norm"] = batchNorm.rawValue
            }
            if let accuracy = result.accuracy {
                object["accuracy_mean"] = jsonNumber(accuracy.mean)
                object["accuracy_ci95"] = jsonNumber(accuracy.halfWidth)
            }
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: text, as: UTF8.self))
            return
        }
        print("\(evaluation.configuration.algorithm.rawValue) checkpoint on \(source):")
        print("  \(settings.summary); \(steps) adaptation steps"
            + (settings.tasks.isClassification ? "; \(batchNorm.rawValue) batch norm" : ""))
        if let accuracy = result.accuracy { print("  query accuracy  \(accuracy)") }
        print("  query \(settings.tasks.isClassification ? "cross-entropy" : "MSE")  \(result.loss)")
        if `protocol` == .mamlPaper {
            print()
            print(PaperComparison(settings: settings, evaluation: evaluation, accuracy: result.accuracy,
                                  episodes: episodes, steps: steps, fixedEpisodes: episodesFrom != nil).table)
        }
    }

    /// The batch-norm mode chosen; running statistics are measured on episodes of `training`
    /// (the checkpoint's training alphabets), which that mode needs.
    func mode(_ evaluation: CheckpointEvaluation, training: EpisodeSampler?) throws -> BatchNormMode {
        switch batchNorm {
        case .transductive: return .transductive
        case .support: return .support
        case .running:
            guard let training else { throw ValidationError("--batch-norm running needs the training alphabets' episodes") }
            return .running(try evaluation.runningStatistics(sampler: training, batches: 100, seed: options.seed))
        }
    }
}
