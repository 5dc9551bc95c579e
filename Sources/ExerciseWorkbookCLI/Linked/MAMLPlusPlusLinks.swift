import ExerciseChapters
import MAMLPlusPlus

extension Linked {
    /// `maml-plus-plus`: MAMLPlusPlus.
    static var mamlPlusPlus: MAMLPlusPlusChapter.Functions {
        MAMLPlusPlusChapter.Functions(
            initialInnerRates: { try initialInnerRates(for: $0, steps: $1, rate: $2) },
            adapt: { try adapt($0, supportLoss: $1, steps: $2) },
            importanceWeights: { try importanceWeights(epoch: $0, schedule: $1) },
            multiStepLoss: { try multiStepLoss(trajectory: $0, queryLoss: $1, weights: $2) },
            outerLearningRate: { try outerLearningRate(epoch: $0, schedule: $1) },
            derivativeOrder: { try derivativeOrder(epoch: $0, schedule: $1) },
            metaGradient: { try metaGradient($0, tasks: $1, epoch: $2, schedule: $3, objective: $4) })
    }
}
