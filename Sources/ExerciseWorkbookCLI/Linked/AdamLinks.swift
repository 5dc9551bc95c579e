import AdamEquivalences
import ExerciseChapters
import ScaleInvariance

extension Linked {
    /// `adam`: AdamEquivalences and ScaleInvariance.
    static var adam: AdamChapter.Functions {
        AdamChapter.Functions(
            adamEquivalentToRMSprop: { try adamEquivalentToRMSprop($0) },
            adamApproximatingMomentum: { try adamApproximatingMomentum($0) },
            adamStep: { adam, params, gradient, state in try adam.step(params, gradient: gradient, state: &state) },
            largestIterateGap: { try largestIterateGap(loss: $0, scale: $1, start: $2, optimizer: $3, steps: $4) })
    }
}
