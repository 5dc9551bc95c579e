import ExerciseChapters
import GDStep
import ReptileAndANIL

extension Linked {
    /// `reptile-anil`: GDStep (the inner step) and ReptileAndANIL.
    static var reptileANIL: ReptileANILChapter.Functions {
        ReptileANILChapter.Functions(
            gdStep: { try gdStep($0, $1, stepSize: $2) },
            reptileBatchedStep: { try reptileBatchedStep($0, taskCosts: $1, inner: $2, outerStepSize: $3) },
            anilAdapt: { try anilAdapt($0, headNames: $1, cost: $2, inner: $3) })
    }
}
