import Foundation
import Notebook
import TaskData

/// The images of the few-shot chapters: Omniglot from the folder `OMNIGLOT_ROOT` names, else the
/// embedded synthetic glyphs; split by alphabet, each split's characters also rotated by 90°,
/// 180° and 270° as new classes.
struct ImageSource {
    /// The training, validation and test classes, rotations included.
    let training: ImageDataset, validation: ImageDataset, test: ImageDataset
    /// Where the images came from.
    let origin: ImageDataSource
    /// The characters before the split and the rotations.
    let characters: Int

    /// Loads the images; `syntheticClasses` glyph classes when no Omniglot folder is set.
    init(syntheticClasses: Int) throws {
        let (dataset, origin) = try ImageDataset.standard(cache: Omniglot.defaultCacheURL, syntheticClasses: syntheticClasses)
        let split = try dataset.split()
        (training, validation, test) = (split.train.addingRotations(), split.validation.addingRotations(), split.test.addingRotations())
        self.origin = origin
        characters = dataset.classes.count
    }

    /// "Omniglot" or "synthetic glyphs".
    var name: String {
        if case .omniglot = origin { "Omniglot" } else { "synthetic glyphs" }
    }

    /// Records the class counts and says on the page which images it uses.
    func describe(in book: Notebook) throws {
        try book.record("characters", Double(characters), style: .count)
        try book.record("training_classes", Double(training.classes.count), style: .count)
        try book.record("validation_classes", Double(validation.classes.count), style: .count)
        let source = switch origin {
        case .omniglot(let roots): "This page uses *Omniglot* from `\(roots.map(\.path).joined(separator: "`, `"))`: @{characters} characters."
        case .syntheticGlyphs:
            "No Omniglot folder is set, so this page uses the embedded *synthetic glyphs*, @{characters} procedurally drawn characters; "
                + "set `\(Omniglot.environmentVariable)` to a folder of Omniglot alphabets to use the real data."
        }
        try book.paragraph(source + " Characters are split by alphabet, and each rotation by 90°, 180° or 270° counts as a new class: "
            + "@{training_classes} classes to train on and @{validation_classes} held out for validation.")
    }
}
