#if canImport(FOMAML)
import Autodiff
import FOMAML
import TaskData
import Workbook

extension ExerciseCode {
    /// Sets the `fomamlInnerLoop` and `fomamlOuterLoop` entries from this program's FOMAML module.
    mutating func addFOMAML() {
        fomamlInnerLoop = ExerciseEntry(exercise: "FOMAML", part: "innerLoop (parts adaptation and fresh)") {
            theta, episode, model, steps, stepSize in
            let adaptation = try FOMAML.innerLoop(theta, episode: episode, model: model,
                                                  settings: try InnerLoopSettings(steps: steps, stepSize: stepSize))
            return EpisodeAdaptation(parameters: adaptation.parameters, supportAccuracies: adaptation.supportAccuracies)
        }
        fomamlOuterLoop = ExerciseEntry(exercise: "FOMAML", part: "outerLoop (parts gradient and objective)") {
            theta, episodes, model, adapt in
            let result = try FOMAML.outerLoop(theta, episodes: episodes, model: model) { parameters, episode in
                let adaptation = try adapt(parameters, episode)
                return Adaptation(parameters: adaptation.parameters, supportAccuracies: adaptation.supportAccuracies)
            }
            return MetaBatchOutcome(loss: result.loss, gradient: result.gradient, queryAccuracy: result.queryAccuracy,
                                    supportAccuracies: result.supportAccuracies)
        }
    }
}
#endif
