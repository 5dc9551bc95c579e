#if canImport(SineMAML)
import Autodiff
import SineMAML
import Workbook

extension ExerciseCode {
    /// Sets the `adaptationLoss` entry from this program's SineMAML module. The workbook names
    /// the network's tensors `layerN.weight` and `layerN.bias` ([out]); the exercise calls them
    /// `WN` and `bN` and keeps biases as rows [1, out]. Renaming and reshaping keep the graph,
    /// so gradients reach the workbook's tensors.
    mutating func addSineMAML() {
        adaptationLoss = ExerciseEntry(exercise: "SineMAML", part: "adaptationLoss (part adaptation)") { params, support, query, stepSize in
            let renamed = Parameters(params.map { name, tensor -> (String, Tensor) in
                let parts = name.split(separator: ".")
                guard parts.count == 2, parts[0].hasPrefix("layer") else { return (name, tensor) }
                let layer = parts[0].dropFirst("layer".count)
                return parts[1] == "weight" ? ("W" + layer, tensor) : ("b" + layer, tensor.reshaped([1] + tensor.shape))
            })
            return try SineMAML.adaptationLoss(renamed, support: support, query: query, stepSize: stepSize)
        }
    }
}
#endif
