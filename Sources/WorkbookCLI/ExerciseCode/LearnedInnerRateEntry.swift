#if canImport(LearnedInnerRate)
import Autodiff
import LearnedInnerRate
import Workbook

extension ExerciseCode {
    /// Sets the `unrolledObjective` entry from this program's LearnedInnerRate module. The
    /// workbook names the network's tensors `layerN.weight`, `layerN.bias` and the rate
    /// `inner.lr`; the exercise calls them `WN`, `bN` and `innerRate`. Renaming keeps the
    /// tensors themselves, so gradients reach the workbook's names.
    mutating func addLearnedInnerRate() {
        unrolledObjective = ExerciseEntry(exercise: "LearnedInnerRate", part: "unrolledObjective (parts objective and gradient)") {
            meta, task, innerSteps in
            let renamed = Parameters(meta.map { name, tensor -> (String, Tensor) in
                if name == "inner.lr" { return (innerRateName, tensor) }
                let parts = name.split(separator: ".")
                guard parts.count == 2, parts[0].hasPrefix("layer") else { return (name, tensor) }
                return ((parts[1] == "weight" ? "W" : "b") + parts[0].dropFirst("layer".count), tensor)
            })
            let frequencyTask = FrequencyTask(frequency: .nan, trainInputs: task.trainInputs, trainTargets: task.trainTargets,
                                              validationInputs: task.validationInputs, validationTargets: task.validationTargets)
            return try LearnedInnerRate.unrolledObjective(renamed, task: frequencyTask, innerSteps: innerSteps)
        }
    }
}
#endif
