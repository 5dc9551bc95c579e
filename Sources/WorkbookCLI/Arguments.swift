import ArgumentParser
import CommandLineSupport
import Foundation
import MetaLearning
import Notebook
import TaskData
import Workbook

extension MetaAlgorithm: ExpressibleByArgument {}
extension TaskChoice: ExpressibleByArgument {}
extension ClassificationProblem.HeldOut: ExpressibleByArgument {}

/// The options that choose the tasks, shared by `train` and `evaluate`. Every one is optional:
/// `train` fills the gaps from the task family's defaults, `evaluate` from the checkpoint's
/// description (and refuses a flag that contradicts the network it holds).
struct TaskOptions: ParsableArguments {
    @Option(help: "The tasks (default: sine, or the checkpoint's).")
    var tasks: TaskChoice?

    @Option(help: "An Omniglot folder for --tasks omniglot (repeatable; default OMNIGLOT_ROOT, or the checkpoint's).")
    var omniglotRoot: [String] = []

    @Option(help: ArgumentHelp("The Omniglot cache file (default $XDG_CACHE_HOME/mamlworkbook/omniglot28.bin).", valueName: "file"))
    var cache: String?

    @Option(parsing: .unconditional, help: "Classes per episode (classification; default 5, or the checkpoint's).")
    var ways: Int?

    @Option(parsing: .unconditional, help: "Support examples per class (classification) or per task (regression); default per task family.")
    var shots: Int?

    @Option(parsing: .unconditional, help: "Query examples per class (classification) or per task (regression); default per task family.")
    var queries: Int?

    @Flag(inversion: .prefixedNo, help: "Add rotated copies of the characters as extra classes (default on).")
    var rotations: Bool?

    @Flag(inversion: .prefixedNo, help: "Draw all classes of an episode from one alphabet, the original one-shot benchmark's harder standard.")
    var withinAlphabet: Bool?

    @Option(help: ArgumentHelp("Alphabets to meta-train on, comma-separated (default: every alphabet no other part names).",
                               valueName: "names"))
    var trainAlphabets: String?
    @Option(help: ArgumentHelp("Alphabets for validation, comma-separated ('none' for none).", valueName: "names"))
    var validationAlphabets: String?
    @Option(help: ArgumentHelp("Alphabets held out for testing, comma-separated ('none' for none). Naming no part keeps "
                               + "the seeded 60/20/20 split of the alphabets.", valueName: "names"))
    var testAlphabets: String?

    /// The alphabet lists as given.
    var alphabets: GroupChoice {
        func names(_ text: String?) -> [String]? {
            text.map { $0 == "none" ? [] : $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        return GroupChoice(train: names(trainAlphabets), validation: names(validationAlphabets), test: names(testAlphabets))
    }

    /// The settings these options give, with the gaps filled from `stored` (a checkpoint's
    /// description) or else the defaults. Throws, naming both, when a flag contradicts `stored`'s network.
    func settings(filling stored: TaskDescription? = nil, defaultTasks: TaskChoice = .sine) throws -> TaskSettings {
        let family = try tasks ?? stored.map { description in
            guard let choice = TaskChoice(rawValue: description.family) else {
                throw ValidationError("the checkpoint was trained on '\(description.family)' tasks, which this build does not know")
            }
            return choice
        } ?? defaultTasks
        if let stored {
            if family.isClassification != (stored.ways != nil) {
                throw ValidationError("--tasks \(family.rawValue) does not fit the checkpoint's network (\(stored.model.summary), "
                    + "trained on \(stored.family))")
            }
            if let ways, let storedWays = stored.ways, ways != storedWays {
                throw ValidationError("--ways \(ways) does not fit the checkpoint's \(storedWays)-way network; leave --ways out")
            }
        }
        let sameFamily = stored?.family == family.rawValue
        let storedRoots = stored?.dataRoots.filter { FileManager.default.fileExists(atPath: $0) } ?? []
        var alphabets = self.alphabets
        if alphabets.isDefault, sameFamily, let split = stored?.split {
            alphabets = GroupChoice(train: split.train, validation: split.validation, test: split.test)
        }
        return TaskSettings(
            tasks: family, ways: ways ?? stored?.ways ?? 5,
            shots: shots ?? (sameFamily ? stored?.shots : nil) ?? family.defaults.shots,
            queries: queries ?? (sameFamily ? stored?.queries : nil) ?? family.defaults.queries,
            omniglotRoots: !omniglotRoot.isEmpty ? omniglotRoot : (sameFamily && Omniglot.rootFromEnvironment() == nil ? storedRoots : []),
            recordedRoots: sameFamily ? stored?.dataRoots ?? [] : [],
            rotations: rotations ?? (sameFamily ? stored?.rotations : nil) ?? true,
            withinAlphabet: withinAlphabet ?? (sameFamily ? stored?.withinAlphabet : nil) ?? false,
            alphabets: alphabets, cache: cache)
    }

    func validate() throws {
        if let ways, ways < 2 { throw ValidationError("--ways must be 2 or more, got \(ways)") }
        if let shots, shots < 1 { throw ValidationError("--shots must be positive, got \(shots)") }
        if let queries, queries < 1 { throw ValidationError("--queries must be positive, got \(queries)") }
        if let cache { try PathCheck.outputFile(cache, flag: "--cache") }
        if let tasks, !tasks.isClassification, withinAlphabet == true || !alphabets.isDefault {
            throw ValidationError("alphabets belong to image tasks (--tasks omniglot or glyphs), not --tasks \(tasks.rawValue)")
        }
    }
}

/// The task settings of one command, every gap filled.
struct TaskSettings {
    var tasks: TaskChoice
    var ways: Int
    var shots: Int
    var queries: Int
    var omniglotRoots: [String]
    /// The folders a checkpoint was trained from (for the error when none is found now).
    var recordedRoots: [String]
    var rotations: Bool
    var withinAlphabet: Bool
    var alphabets: GroupChoice
    var cache: String?

    /// The problem these settings describe, with its data in words and its description.
    func problem(heldOut: ClassificationProblem.HeldOut = .validation,
                 batchNormSteps: Int = 0) throws -> (problem: any MetaProblem, data: String, description: TaskDescription) {
        if tasks == .omniglot && omniglotRoots.isEmpty && Omniglot.rootFromEnvironment() == nil && !recordedRoots.isEmpty {
            throw ValidationError("the checkpoint was trained on Omniglot from \(recordedRoots.joined(separator: ", ")), "
                + "which is not there any more: give --omniglot-root DIR")
        }
        return try tasks.problem(ways: ways, shots: shots, queries: queries,
                                 omniglotRoots: omniglotRoots.map { URL(fileURLWithPath: $0) }, heldOut: heldOut,
                                 rotations: rotations, batchNormSteps: batchNormSteps, alphabets: alphabets,
                                 withinAlphabet: withinAlphabet, cache: cache.map { URL(fileURLWithPath: $0) })
    }

    /// One line for the output: `omniglot, 20-way 1-shot, 5 queries, classes from one alphabet`.
    var summary: String {
        guard tasks.isClassification else { return "\(tasks.rawValue), \(shots) shots, \(queries) queries" }
        return "\(tasks.rawValue), \(ways)-way \(shots)-shot, \(queries) queries per class"
            + (withinAlphabet ? ", classes from one alphabet" : "") + (rotations ? "" : ", no rotations")
    }
}

/// A number for `JSONSerialization`: NaN and infinities (a confidence interval of one episode,
/// a missing accuracy) become `null`, which JSON can hold, instead of failing the write.
func jsonNumber(_ value: Double?) -> Any {
    guard let value, value.isFinite else { return NSNull() }
    return value
}

/// The options of commands that measure a trained checkpoint on held-out tasks.
struct HeldOutOptions: ParsableArguments {
    @Option(help: "A checkpoint written by 'workbook train' (checkpoint.mamlckpt or best.mamlckpt).")
    var checkpoint: String
    @OptionGroup var taskOptions: TaskOptions
    @Option(parsing: .unconditional, help: "Held-out tasks (episodes) to average over (default 100).")
    var episodes: Int?
    @Option(parsing: .unconditional, help: "Inner steps (default: the training run's).")
    var innerSteps: Int?
    @Option(help: "Which held-out alphabets: validation or test (classification).")
    var split: ClassificationProblem.HeldOut = .test
    @Option(parsing: .unconditional, help: "Seed of the held-out task sample.", transform: wholeNumber)
    var seed: UInt64 = 1
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        try PathCheck.inputFile(checkpoint, flag: "--checkpoint", what: "checkpoint (.mamlckpt)")
        if let episodes, episodes <= 0 { throw ValidationError("--episodes must be positive, got \(episodes)") }
        if let innerSteps, innerSteps < 0 { throw ValidationError("--inner-steps must be 0 or more, got \(innerSteps)") }
    }

    /// The held-out tasks to average over: --episodes, or 100.
    var episodeCount: Int { episodes ?? 100 }

    /// The checkpoint, the task settings (flags, else the checkpoint's description), and the
    /// problem of its held-out tasks (built to match the checkpoint's batch-norm layout),
    /// checked to fit each other.
    func load() throws -> (evaluation: CheckpointEvaluation, settings: TaskSettings, problem: any MetaProblem, data: String) {
        let evaluation = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: checkpoint))
        let settings = try taskOptions.settings(filling: evaluation.task)
        let (problem, data, _) = try settings.problem(heldOut: split, batchNormSteps: evaluation.configuration.batchNormSteps)
        try evaluation.checkFits(problem)
        return (evaluation, settings, problem, data)
    }
}
