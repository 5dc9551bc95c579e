import ExerciseChapters
import Notebook

/// The chapters' exercise functions as this program links them: the modules built from
/// `Solutions/` (the reference) in an ordinary course build, from `Exercises/` (the student's
/// files) in the student bundle or with `MAML_IMPLEMENTATION=exercises`. One file per chapter
/// wires its modules, so that modules with names in common never meet in one file.
enum Linked {
    /// The student workbook's chapters in course order, each running the linked functions.
    static var chapters: [any Chapter] {
        [MAMLToyChapter(functions: mamlToy), AdamChapter(functions: adam), SineMAMLChapter(functions: sineMAML),
         UnrolledSGDChapter(functions: unrolledSGD), ReptileANILChapter(functions: reptileANIL), FOMAMLChapter(functions: fomaml),
         TransferChapter(functions: transfer), MAMLPlusPlusChapter(functions: mamlPlusPlus)]
    }
}
