#if canImport(MetaObjective)
import Autodiff
import MetaObjective
import Workbook

extension ExerciseCode {
    /// Sets the `metaObjective` entry from this program's MetaObjective module.
    mutating func addMetaObjective() {
        metaObjective = ExerciseEntry(exercise: "MetaObjective", part: "MetaObjective (parts value and metaGradient)") {
            cost, params, steps, stepSize, step in
            try MetaObjective(innerCost: cost, numSteps: steps, stepSize: stepSize, step: step)(params)
        }
    }
}
#endif
