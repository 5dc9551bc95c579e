import ExerciseChapters
import ExerciseSupport
import Notebook

/// Every chapter with functions that throw as the handouts' stubs do, and what each chapter shows
/// that needs no exercise function.
enum Unfinished {
    /// The error a stub throws.
    static func stub(_ name: String) -> ExerciseError { .notImplemented(name) }

    /// The chapters in course order, each with unfinished functions.
    static var chapters: [any Chapter] {
        [MAMLToyChapter(functions: .init(gdStep: { _, _, _ in throw stub("gdStep") }, metaObjective: { _, _, _, _, _ in throw stub("MetaObjective.callAsFunction") },
                                         metaTrainingStep: { _, _, _, _ in throw stub("metaTrainingStep") },
                                         trainMAML: { _, _, _, _, _ in throw stub("trainMAML") })),
         AdamChapter(functions: .init(adamEquivalentToRMSprop: { _ in throw stub("adamEquivalentToRMSprop") },
                                      adamApproximatingMomentum: { _ in throw stub("adamApproximatingMomentum") },
                                      adamStep: { _, _, _, _ in throw stub("Adam.step") }, largestIterateGap: { _, _, _, _, _ in throw stub("largestIterateGap") })),
         SineMAMLChapter(functions: .init(adaptationLoss: { _, _, _, _ in throw stub("adaptationLoss") },
                                          batchedAdaptationLoss: { _, _, _ in throw stub("batchedAdaptationLoss") })),
         UnrolledSGDChapter(functions: .init(unrolledObjective: { _, _, _ in throw stub("unrolledObjective") })),
         ReptileANILChapter(functions: .init(gdStep: { _, _, _ in throw stub("gdStep") }, reptileBatchedStep: { _, _, _, _ in throw stub("reptileBatchedStep") },
                                             anilAdapt: { _, _, _, _ in throw stub("anilAdapt") })),
         FOMAMLChapter(functions: .init(innerLoop: { _, _, _, _ in throw stub("innerLoop") }, outerLoop: { _, _, _, _ in throw stub("outerLoop") },
                                        train: { _, _, _ in throw stub("trainFOMAML") })),
         TransferChapter(functions: .init(adaptHead: { _, _, _, _, _ in throw stub("adaptHead") },
                                          transferLearnEpisode: { _, _, _, _ in throw stub("transferLearn") },
                                          transferLearnEpisodes: { _, _, _, _ in throw stub("transferLearn over episodes") })),
         MAMLPlusPlusChapter(functions: .init(initialInnerRates: { _, _, _ in throw stub("initialInnerRates") }, adapt: { _, _, _ in throw stub("adapt") },
                                              importanceWeights: { _, _ in throw stub("importanceWeights") },
                                              multiStepLoss: { _, _, _ in throw stub("multiStepLoss") },
                                              outerLearningRate: { _, _ in throw stub("outerLearningRate") },
                                              derivativeOrder: { _, _ in throw stub("derivativeOrder") },
                                              metaGradient: { _, _, _, _, _ in throw stub("metaGradient") }))]
    }

    /// What a chapter shows without any exercise function: the metrics and figures of its
    /// ungated parts, and the number of its sections that need one.
    static let expected: [String: (metrics: Set<String>, figures: Set<String>, gatedSections: Int)] = [
        "maml-toy": ([], [], 4),
        "adam": ([], [], 4),
        "sine-maml": ([], ["sample-tasks"], 3),
        "unrolled-sgd": ([], [], 2),
        "reptile-anil": ([], [], 3),
        "fomaml-omniglot": (["characters", "training_classes", "validation_classes"], ["episode-support", "episode-query"], 3),
        "transfer": (["characters", "training_classes", "validation_classes", "pretraining_final_loss"], ["pretraining"], 1),
        "maml-plus-plus": (["characters", "training_classes", "validation_classes"], [], 2),
    ]
}
