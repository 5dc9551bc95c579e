#if canImport(MAMLTraining)
import Autodiff
import MAMLTraining
import Workbook

extension ExerciseCode {
    /// Sets the `metaTrainingStep` entry from this program's MAMLTraining module. The workbook
    /// names the network's tensors `layerN.weight`, `layerN.bias`; the exercise calls them `WN`,
    /// `bN`, so names go there and back (the tensors themselves are kept). The inner adaptation
    /// handed to the exercise is the library's, so a mistake in GDStep or MetaObjective does not
    /// show up here.
    mutating func addMAMLTraining() {
        metaTrainingStep = ExerciseEntry(exercise: "MAMLTraining", part: "metaTrainingStep (part training)") {
            params, support, query, steps, innerStepSize, metaStepSize in
            let exerciseNames = params.names.map { name -> String in
                let parts = name.split(separator: ".")
                guard parts.count == 2, parts[0].hasPrefix("layer") else { return name }
                return (parts[1] == "weight" ? "W" : "b") + parts[0].dropFirst("layer".count)
            }
            let task = try RegressionTask(supportInputs: support.inputs, supportTargets: support.targets,
                                          queryInputs: query.inputs, queryTargets: query.targets)
            let settings = try TrainingSettings(numSteps: steps, innerStepSize: innerStepSize, metaStepSize: metaStepSize, iterations: 1)
            // θ₀ = θ, θₖ₊₁ = θₖ − η ∇cost(θₖ), with the library's step.
            let adapt: InnerAdaptation = { cost, theta, count, stepSize in
                var adapted = theta
                for _ in 0..<count { adapted = try ExerciseAgreement.libraryStep(cost, adapted, stepSize) }
                return adapted
            }
            let (next, loss) = try MAMLTraining.metaTrainingStep(Parameters(names: exerciseNames, tensors: params.tensors),
                                                                 on: task, settings: settings, adapt: adapt)
            let back = Dictionary(uniqueKeysWithValues: zip(exerciseNames, params.names))
            return (Parameters(next.map { (back[$0.0] ?? $0.0, $0.1) }), loss)
        }
    }
}
#endif
