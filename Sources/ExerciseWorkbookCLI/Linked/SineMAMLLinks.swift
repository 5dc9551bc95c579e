import ExerciseChapters
import SineMAML

extension Linked {
    /// `sine-maml`: SineMAML.
    static var sineMAML: SineMAMLChapter.Functions {
        SineMAMLChapter.Functions(
            adaptationLoss: { try adaptationLoss($0, support: $1, query: $2, stepSize: $3) },
            batchedAdaptationLoss: { try batchedAdaptationLoss($0, tasks: $1, stepSize: $2) })
    }
}
