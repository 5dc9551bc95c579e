import ExerciseSupport
import Foundation
import TaskData

/// Where training and validation episodes come from: classes of disjoint alphabets, so
/// validation measures adaptation to characters the network never saw during training.
public struct TrainingData: Sendable {
    /// Samples meta-training episodes (training alphabets).
    public let training: EpisodeSampler
    /// Samples held-out episodes (validation alphabets).
    public let validation: EpisodeSampler
    /// A one-line account of the data, written into `metrics.json`.
    public let description: String

    /// Episodes from explicit samplers; they must agree on N, K and Q.
    public init(training: EpisodeSampler, validation: EpisodeSampler, description: String) throws {
        guard (training.ways, training.shots, training.queries) == (validation.ways, validation.shots, validation.queries) else {
            throw ExerciseError.invalidArgument(
                "training episodes are \(training.ways)-way \(training.shots)-shot \(training.queries)-query, validation ones "
                    + "\(validation.ways)-way \(validation.shots)-shot \(validation.queries)-query")
        }
        self.training = training
        self.validation = validation
        self.description = description
    }

    /// The course's split of a data set by alphabet (`ImageDataset.split()` with its defaults:
    /// 20% of the alphabets for validation, 20% for test, shuffled with seed 0, the rest for
    /// training), each class also rotated by 90°, 180° and 270° as three new classes. Test
    /// alphabets are not used here. Episodes are N-way K-shot with Q queries from `settings`.
    public init(splitting dataset: ImageDataset, source: String, settings: TrainingSettings) throws {
        let split = try dataset.split()
        let training = split.train.addingRotations()
        let validation = split.validation.addingRotations()
        let account = "\(source); training alphabets \(split.train.groups.joined(separator: ", ")) "
            + "(\(training.classes.count) classes with rotations), validation alphabets "
            + "\(split.validation.groups.joined(separator: ", ")) (\(validation.classes.count) classes)"
        try self.init(
            training: EpisodeSampler(dataset: training, ways: settings.ways, shots: settings.shots, queries: settings.queries),
            validation: EpisodeSampler(dataset: validation, ways: settings.ways, shots: settings.shots, queries: settings.queries),
            description: account)
    }

    /// Real Omniglot from `root` (or from `OMNIGLOT_ROOT` when nil), split as above. Throws a
    /// message naming `OMNIGLOT_ROOT` when neither is given: the assessment is on real data.
    public static func omniglot(root: URL?, settings: TrainingSettings,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrainingData {
        guard let folder = root ?? Omniglot.rootFromEnvironment(environment) else {
            throw ExerciseError.invalidArgument(
                "no Omniglot folder: pass --omniglot-root or set \(Omniglot.environmentVariable) to a folder of Omniglot alphabets")
        }
        let dataset = try Omniglot.load(roots: [folder], cache: Omniglot.defaultCacheURL)
        return try TrainingData(splitting: dataset, source: "Omniglot from \(folder.path)", settings: settings)
    }
}
