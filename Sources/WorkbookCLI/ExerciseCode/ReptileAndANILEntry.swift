#if canImport(ReptileAndANIL)
import Autodiff
import ReptileAndANIL
import Workbook

extension ExerciseCode {
    /// Sets the `reptileStep` and `anilAdapt` entries from this program's ReptileAndANIL module.
    /// Their inner loops take the library's gradient step, so a mistake in exercise GDStep does
    /// not show up here.
    mutating func addReptileAndANIL() {
        reptileStep = ExerciseEntry(exercise: "ReptileAndANIL", part: "reptileBatchedStep (part batched)") {
            phi, costs, steps, stepSize, outerStepSize in
            let inner = try InnerLoop(steps: steps, stepSize: stepSize, step: ExerciseAgreement.libraryStep)
            return try reptileBatchedStep(phi, taskCosts: costs, inner: inner, outerStepSize: outerStepSize)
        }
        anilAdapt = ExerciseEntry(exercise: "ReptileAndANIL", part: "anilAdapt (part anil)") { params, headNames, cost, steps, stepSize in
            let inner = try InnerLoop(steps: steps, stepSize: stepSize, step: ExerciseAgreement.libraryStep)
            return try ReptileAndANIL.anilAdapt(params, headNames: headNames, cost: cost, inner: inner)
        }
    }
}
#endif
