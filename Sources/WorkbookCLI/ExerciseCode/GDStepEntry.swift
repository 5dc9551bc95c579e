#if canImport(GDStep)
import Autodiff
import GDStep
import Workbook

extension ExerciseCode {
    /// Sets the `gdStep` entry from this program's GDStep module.
    mutating func addGDStep() {
        gdStep = ExerciseEntry(exercise: "GDStep", part: "gdStep (parts update and differentiable)") { cost, params, stepSize in
            try GDStep.gdStep(cost, params, stepSize: stepSize)
        }
    }
}
#endif
