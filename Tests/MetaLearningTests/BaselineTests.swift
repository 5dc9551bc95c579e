import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData
import Testing

@Suite("Transfer-learning baseline and feature reuse")
struct BaselineTests {
    /// 3-way 2-shot glyph episodes on an 8-filter net: small enough for a debug build.
    static func problem() throws -> ClassificationProblem {
        try ClassificationProblem.episodes(from: SyntheticGlyphs.dataset(classes: 60, drawingsPerClass: 10, seed: 3),
                                           name: "glyphs", ways: 3, shots: 2, queries: 2, rotations: false, filters: 8)
    }

    @Test("pre-training lowers the all-class loss, and episodes adapt a fresh head on frozen features")
    func transfer() throws {
        let problem = try Self.problem()
        let baseline = TransferLearning(pretrainIterations: 25, batchSize: 12, pretrainLearningRate: 3e-3,
                                        adaptationSteps: 5, adaptationLearningRate: 0.5)
        let pretrained = try baseline.pretrain(on: problem.training.dataset, filters: 8, seed: 1)
        let first = pretrained.losses.prefix(5).reduce(0, +) / 5, last = pretrained.losses.suffix(5).reduce(0, +) / 5
        #expect(last < 0.9 * first, "pre-training loss \(first) -> \(last)")
        #expect(pretrained.model.ways == problem.training.dataset.classes.count)

        let episode = baseline.episodeParameters(pretrained, ways: 3)
        #expect(episode.require("head.weight").shape == [pretrained.model.featureCount, 3])
        #expect(episode.require("conv1.weight").scalars == pretrained.parameters.require("conv1.weight").scalars)

        var generator = SeededGenerator(seed: 5)
        let tasks = try problem.evaluationTasks(count: 4, generator: &generator)
        let result = baseline.evaluate(pretrained, on: tasks, ways: 3)
        let accuracy = try #require(result.accuracy)
        #expect(accuracy.count == 4 && (0...1).contains(accuracy.mean))
        // Zero steps leave the zero head: uniform predictions, loss exactly log 3.
        var untrained = baseline
        untrained.adaptationSteps = 0
        #expect(Swift.abs(untrained.evaluate(pretrained, on: tasks, ways: 3).loss.mean - Foundation.log(3.0)) < 1e-5)
    }

    @Test("feature reuse adapts fewer blocks as more are frozen; freezing everything but the head equals ANIL's adaptation")
    func featureReuseTable() throws {
        let problem = try Self.problem()
        var generator = SeededGenerator(seed: 2)
        let params = problem.initialParameters(generator: &generator)
        let tasks = try problem.evaluationTasks(count: 2, generator: &generator)
        let rows = featureReuse(params, model: problem.model, on: tasks, steps: 2, learningRate: 0.3)
        #expect(rows.map(\.frozenBlocks) == [0, 1, 2, 3, 4])
        #expect(rows[0].adaptedNames.count == problem.model.parameterNames.count)
        #expect(rows[4].adaptedNames == problem.model.headNames)
        #expect(!rows[1].adaptedNames.contains("conv1.weight") && rows[1].adaptedNames.contains("conv2.weight"))
        let anil = evaluate(params, on: tasks, innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.3), adaptedNames: problem.headNames))
        #expect(Swift.abs(anil.loss.mean - rows[4].result.loss.mean) < 1e-9)
    }
}
