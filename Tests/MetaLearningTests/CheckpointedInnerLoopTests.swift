import Autodiff
import MetaLearning
import NeuralNetworks
import TaskData
import Testing

/// Checkpointed inner loops keep only segment boundaries and run each segment again during the
/// outer pass; their meta-gradients must be the stored loop's, bit for bit.
@Suite("Checkpointed inner loops")
struct CheckpointedInnerLoopTests {
    /// Both meta-gradients, stored and checkpointed in segments of `every` steps, must agree exactly.
    static func expectIdentical(_ maml: MAML, every: Int, _ meta: Parameters, _ tasks: [MetaTask], threads: Int = 1,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        var checkpointedMAML = maml
        checkpointedMAML.innerLoop.memory = .checkpointed(every: every)
        let stored = maml.metaGradient(meta, tasks: tasks)
        let rematerialized = checkpointedMAML.metaGradient(meta, tasks: tasks, threads: threads)
        #expect(rematerialized.loss.scalars == stored.loss.scalars, sourceLocation: sourceLocation)
        #expect(rematerialized.gradient.names == stored.gradient.names, sourceLocation: sourceLocation)
        for (name, tensor) in stored.gradient {
            #expect(rematerialized.gradient.require(name).scalars == tensor.scalars, "\(name), segments of \(every)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("MAML on the tiny tanh network, 5 steps, segments of 1, 2, 3, 5 and 7 steps", arguments: [1, 2, 3, 5, 7])
    func tinyNetwork(every: Int) {
        let maml = MAML(innerLoop: InnerLoop(steps: 5, learningRate: .fixed(0.1)))
        Self.expectIdentical(maml, every: every, Tiny.initial(), Tiny.tasks)
    }

    @Test("learned per-step rates with the multi-step loss, ANIL, first order, and two threads")
    func variants() {
        let theta = Tiny.initial()
        let policy = InnerLearningRate.learnedPerParameterPerStep
        let meta = theta.merging(policy.initialRates(for: theta, steps: 3, alpha: 0.1))
        let mamlPlusPlus = MAML(innerLoop: InnerLoop(steps: 3, learningRate: policy), stepWeights: [0, 0.2, 0.3, 0.5])
        Self.expectIdentical(mamlPlusPlus, every: 2, meta, Tiny.tasks)
        let anil = MAML(innerLoop: InnerLoop(steps: 3, learningRate: .fixed(0.2), adaptedNames: ["w2", "b2"]))
        Self.expectIdentical(anil, every: 1, theta, Tiny.tasks)
        let firstOrder = MAML(innerLoop: InnerLoop(steps: 3, learningRate: .fixed(0.1)), order: .first)
        Self.expectIdentical(firstOrder, every: 2, theta, Tiny.tasks)
        Self.expectIdentical(MAML(innerLoop: InnerLoop(steps: 4, learningRate: .learnedScalar)), every: 3,
                             theta.merging(["inner.lr": Tensor(0.1)]), Tiny.tasks, threads: 2)
    }

    @Test("a Float convolutional net with batch norm and max-pooling, second and first order")
    func convolutionalNet() throws {
        let problem = try ClassificationProblem.episodes(
            from: SyntheticGlyphs.dataset(classes: 60, drawingsPerClass: 5, seed: 6), name: "glyphs",
            ways: 3, shots: 1, queries: 2, rotations: false, filters: 4)
        var generator = SeededGenerator(seed: 3)
        let meta = problem.initialParameters(generator: &generator)
        let tasks = try problem.trainingBatch(size: 2, generator: &generator).separateTasks
        for order in GradientOrder.allCases {
            Self.expectIdentical(MAML(innerLoop: InnerLoop(steps: 3, learningRate: .fixed(0.4)), order: order), every: 1, meta, tasks)
        }
    }

    @Test("the checkpointed meta-gradient matches finite differences of the meta-objective")
    func finiteDifferences() throws {
        let maml = MAML(innerLoop: InnerLoop(steps: 4, learningRate: .fixed(0.1), memory: .checkpointed(every: 2)))
        try checkGradients({ maml.metaObjective($0, tasks: Tiny.tasks) }, at: Tiny.initial(), order: 1)
    }
}
