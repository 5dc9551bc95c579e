import ExerciseChapters
import GDStep
import MAMLTraining
import MetaObjective

extension Linked {
    /// `maml-toy`: GDStep, MetaObjective and MAMLTraining.
    static var mamlToy: MAMLToyChapter.Functions {
        MAMLToyChapter.Functions(
            gdStep: { try gdStep($0, $1, stepSize: $2) },
            metaObjective: { cost, params, steps, stepSize, step in
                try MetaObjective(innerCost: cost, numSteps: steps, stepSize: stepSize, step: step)(params)
            },
            metaTrainingStep: { try metaTrainingStep($0, on: $1, settings: $2, adapt: $3) },
            trainMAML: { try trainMAML(from: $0, tasks: $1, settings: $2, adapt: $3, using: &$4) })
    }
}
