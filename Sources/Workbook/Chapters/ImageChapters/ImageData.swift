import Autodiff
import Foundation
import MetaLearning
import TaskData

/// The images a chapter works on: Omniglot when a folder is set (`OMNIGLOT_ROOT`), otherwise
/// the embedded synthetic glyphs, split by alphabet into training, validation and test classes.
struct ImageData {
    /// Every class, before the split and the rotations.
    let dataset: ImageDataset
    /// Where the images came from.
    let source: ImageDataSource
    /// The budget's episode sizes.
    let budget: ImageBudget

    /// Loads the images for `budget`: Omniglot from the folder `environment` names in
    /// `OMNIGLOT_ROOT` (a named folder that cannot be read is an error), else synthetic glyphs.
    init(budget: ImageBudget, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let (dataset, source) = try ImageDataset.standard(cache: Omniglot.defaultCacheURL, environment: environment,
                                                          syntheticClasses: budget.syntheticClasses)
        self.dataset = dataset
        self.source = source
        self.budget = budget
    }

    /// Whether the images are real Omniglot.
    var isOmniglot: Bool {
        if case .omniglot = source { true } else { false }
    }

    /// A short name of the data for titles.
    var shortName: String { isOmniglot ? "Omniglot" : "synthetic glyphs" }

    /// The episode problem on the training classes, evaluated on the validation or test classes;
    /// `shots` overrides the budget's support size.
    func problem(heldOut: ClassificationProblem.HeldOut = .validation, shots: Int? = nil) throws -> ClassificationProblem {
        try ClassificationProblem.episodes(from: dataset, name: shortName, ways: budget.ways, shots: shots ?? budget.shots,
                                           queries: budget.queries, rotations: true, heldOut: heldOut,
                                           filters: budget.filters)
    }

    /// Records the class counts and writes the paragraph that says which data the page used.
    func describe(in book: Notebook) throws {
        let split = try dataset.split()
        try book.record("data_characters", Double(dataset.classes.count), style: .count)
        try book.record("data_images", Double(dataset.imageCount), style: .count)
        try book.record("training_classes", Double(split.train.classes.count * 4), style: .count)
        try book.record("validation_classes", Double(split.validation.classes.count * 4), style: .count)
        try book.record("test_classes", Double(split.test.classes.count * 4), style: .count)
        let origin = switch source {
        case .omniglot(let roots):
            "This page uses *real Omniglot*, read from `\(roots.map(\.path).joined(separator: "`, `"))`: @{data_characters} "
                + "handwritten characters, @{data_images} drawings, each shrunk to 28 × 28 pixels."
        case .syntheticGlyphs:
            "No Omniglot folder was set, so this page uses the embedded *synthetic glyphs*: @{data_characters} procedurally "
                + "drawn characters of 20 drawings each (@{data_images} images of 28 × 28 pixels), made so that a pixel "
                + "nearest-neighbour classifier finds them about as hard as Omniglot. Set `\(Omniglot.environmentVariable)` "
                + "to a folder of Omniglot alphabets to run the page on the real data."
        }
        try book.paragraph(origin + " The characters are split by alphabet, and every character rotated by 90°, 180° and "
            + "270° counts as a new class: @{training_classes} classes to meta-train on, @{validation_classes} for validation "
            + "and @{test_classes} for the final test, none shared.")
    }
}
