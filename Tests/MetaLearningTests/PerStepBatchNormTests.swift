import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData
import Testing

@Suite("MAML++ per-step batch normalization")
struct PerStepBatchNormTests {
    /// 3-way 1-shot glyph episodes on a 4-filter net with batch-norm weights for steps 0 and 1.
    static func problem() throws -> ClassificationProblem {
        try ClassificationProblem.episodes(from: SyntheticGlyphs.dataset(classes: 60, drawingsPerClass: 6, seed: 4),
                                           name: "glyphs", ways: 3, shots: 1, queries: 2, rotations: false,
                                           filters: 4, perStepBatchNorm: 2, dtype: .float64)
    }

    /// The largest |gradient| of the named parameter.
    static func size(_ gradient: Parameters, _ name: String) -> Double {
        gradient.require(name).scalars.map { Swift.abs($0) }.max() ?? 0
    }

    @Test("step 0's weights serve the support loss and step 1's the query loss, in both orders")
    func weightsPerStep() throws {
        let problem = try Self.problem()
        #expect(problem.model.parameterNames.contains("bn1.scale.step1"))
        var generator = SeededGenerator(seed: 9)
        let meta = problem.initialParameters(generator: &generator)
        let tasks = try problem.trainingBatch(size: 2, generator: &generator).separateTasks
        let loop = InnerLoop(steps: 1, learningRate: .fixed(0.1))
        let second = MAML(innerLoop: loop, order: .second).metaGradient(meta, tasks: tasks).gradient
        let first = MAML(innerLoop: loop, order: .first).metaGradient(meta, tasks: tasks).gradient
        // The query loss after one step reads only step 1's batch norm.
        #expect(Self.size(first, "bn1.scale.step1") > 1e-6)
        // First order sees step 0's weights only through the query loss, which does not use them;
        // second order reaches them through the inner step, whose support loss does.
        #expect(Self.size(first, "bn1.scale.step0") == 0)
        #expect(Self.size(second, "bn1.scale.step0") > 1e-6)
    }

    @Test("the configuration asks for one weight set per inner step plus the query's, and old files still load")
    func configuration() throws {
        var c = TrainingConfiguration()
        c.innerSteps = 5
        c.evaluationInnerSteps = 3
        #expect(c.batchNormSteps == 0)
        c.perStepBatchNorm = true
        #expect(c.batchNormSteps == 6)
        let old = Data(#"{"algorithm":"fomaml","innerSteps":2}"#.utf8)
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: old)
        #expect(decoded.algorithm == .fomaml && decoded.innerSteps == 2 && !decoded.perStepBatchNorm)
        #expect(decoded.metaBatch == TrainingConfiguration().metaBatch)
    }
}
