#if canImport(AdamEquivalences)
import AdamEquivalences
import Workbook

extension ExerciseCode {
    /// Sets the `rmspropAsAdam` and `momentumAsAdam` entries from this program's AdamEquivalences module.
    mutating func addAdamEquivalences() {
        rmspropAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "adamEquivalentToRMSprop (part a)") {
            learningRate, decay, epsilon in
            let adam = try adamEquivalentToRMSprop(RMSpropHyperParameters(learningRate: learningRate, decay: decay, epsilon: epsilon))
            return AdamSettings(learningRate: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon)
        }
        momentumAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "adamApproximatingMomentum (part b)") { learningRate, momentum in
            let adam = try adamApproximatingMomentum(MomentumHyperParameters(learningRate: learningRate, momentum: momentum))
            return AdamSettings(learningRate: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon)
        }
    }
}
#endif
