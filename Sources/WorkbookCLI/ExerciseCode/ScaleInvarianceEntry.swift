#if canImport(ScaleInvariance)
import Autodiff
import ScaleInvariance
import Workbook

extension ExerciseCode {
    /// Sets the `iterateGap` entry from this program's ScaleInvariance module.
    mutating func addScaleInvariance() {
        iterateGap = ExerciseEntry(exercise: "ScaleInvariance", part: "Adam.step and largestIterateGap (parts update and demonstration)") {
            loss, scale, start, settings, steps in
            let optimizer = try ScaleInvariance.Adam(learningRate: settings.learningRate, beta1: settings.beta1,
                                                     beta2: settings.beta2, epsilon: settings.epsilon)
            return try largestIterateGap(loss: loss, scale: scale, start: start, optimizer: optimizer, steps: steps)
        }
    }
}
#endif
