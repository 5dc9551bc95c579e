import ExerciseChapters
import LearnedInnerRate

extension Linked {
    /// `unrolled-sgd`: LearnedInnerRate.
    static var unrolledSGD: UnrolledSGDChapter.Functions {
        UnrolledSGDChapter.Functions(unrolledObjective: { try unrolledObjective($0, task: $1, innerSteps: $2) })
    }
}
