import ExerciseSupport
import Foundation
import TaskData

/// The data of the assessment: every class of the training alphabets for pre-training, and
/// episodes of disjoint validation alphabets, so validation measures transfer to characters the
/// network never saw.
public struct AssessmentData: Sendable {
    /// The pre-training classes (training alphabets, rotations included).
    public let pretraining: ImageDataset
    /// Samples the held-out validation episodes (validation alphabets).
    public let validation: EpisodeSampler
    /// A one-line account of the data, written into `metrics.json`.
    public let description: String

    /// Pre-training classes and validation episodes given explicitly.
    public init(pretraining: ImageDataset, validation: EpisodeSampler, description: String) {
        self.pretraining = pretraining
        self.validation = validation
        self.description = description
    }

    /// The course's split of a data set by alphabet (`ImageDataset.split()` with its defaults:
    /// 20% of the alphabets for validation, 20% for test, shuffled with seed 0, the rest for
    /// training), each class also rotated by 90°, 180° and 270° as three new classes, as in the
    /// FO-MAML assessment. Test alphabets are not used. Validation episodes are N-way K-shot
    /// with Q queries from `settings`.
    public init(splitting dataset: ImageDataset, source: String, settings: AssessmentSettings) throws {
        let split = try dataset.split()
        let training = split.train.addingRotations()
        let validation = split.validation.addingRotations()
        let account = "\(source); pre-training on every class of the training alphabets "
            + "\(split.train.groups.joined(separator: ", ")) (\(training.classes.count) classes with rotations), validation "
            + "alphabets \(split.validation.groups.joined(separator: ", ")) (\(validation.classes.count) classes)"
        self.init(pretraining: training,
                  validation: try EpisodeSampler(dataset: validation, ways: settings.ways, shots: settings.shots,
                                                 queries: settings.queries),
                  description: account)
    }

    /// Real Omniglot from `root` (or from `OMNIGLOT_ROOT` when nil), split as above. Throws a
    /// message naming `OMNIGLOT_ROOT` when neither is given: the assessment is on real data.
    public static func omniglot(root: URL?, settings: AssessmentSettings,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AssessmentData {
        guard let folder = root ?? Omniglot.rootFromEnvironment(environment) else {
            throw ExerciseError.invalidArgument(
                "no Omniglot folder: pass --omniglot-root or set \(Omniglot.environmentVariable) to a folder of Omniglot alphabets")
        }
        let dataset = try Omniglot.load(roots: [folder], cache: Omniglot.defaultCacheURL)
        return try AssessmentData(splitting: dataset, source: "Omniglot from \(folder.path)", settings: settings)
    }
}
