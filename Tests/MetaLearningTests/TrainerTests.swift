import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData
import Testing

/// A small sine problem that trains in a fraction of a second.
private func tinySine() -> RegressionProblem {
    RegressionProblem(name: "sine", family: SineAmplitudePhaseFamily(), model: MLP(sizes: [1, 16, 1], activation: .tanh),
                      shots: 5, queries: 5, dtype: .float64)
}

private func configuration(_ algorithm: MetaAlgorithm, iterations: Int) -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.algorithm = algorithm
    c.innerSteps = 1
    c.evaluationInnerSteps = 1
    c.innerLearningRate = 0.02
    c.metaBatch = 4
    c.iterations = iterations
    c.outerLearningRate = 0.01
    c.validateEvery = 10
    c.validationTasks = 20
    c.checkpointEvery = 10
    c.seed = 7
    return c
}

private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
}

@Suite("Meta-training runs")
struct TrainerTests {
    @Test("a resumed run reproduces the uninterrupted run bit for bit", arguments: [MetaAlgorithm.maml, .reptile])
    func resumeContinuesTheSameRun(algorithm: MetaAlgorithm) throws {
        let straight = temporaryFolder(), split = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: split) }
        let full = try MetaTrainer(configuration: configuration(algorithm, iterations: 20), problem: tinySine())
            .run(files: .init(folder: straight), showProgress: false)
        _ = try MetaTrainer(configuration: configuration(algorithm, iterations: 10), problem: tinySine())
            .run(files: .init(folder: split), showProgress: false)
        let resumed = try MetaTrainer(configuration: configuration(algorithm, iterations: 20), problem: tinySine())
            .run(files: .init(folder: split), resume: true, showProgress: false)
        #expect(resumed.lastIteration == 20)
        for (a, b) in zip(full.parameters.tensors, resumed.parameters.tensors) {
            #expect(a.scalars == b.scalars)
        }
        #expect(full.log.rows.count == 20 && resumed.log.rows.count == 20)
        #expect(full.log.series("validation_loss").map(\.value) == resumed.log.series("validation_loss").map(\.value))
    }

    @Test("resuming with different options is refused with a message naming the file")
    func resumeWithOtherOptionsFails() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try MetaTrainer(configuration: configuration(.maml, iterations: 10), problem: tinySine())
            .run(files: .init(folder: folder), showProgress: false)
        var other = configuration(.maml, iterations: 20)
        other.innerLearningRate = 0.5
        #expect {
            try MetaTrainer(configuration: other, problem: tinySine()).run(files: .init(folder: folder), resume: true, showProgress: false)
        } throws: { error in
            "\(error)".contains("checkpoint.mamlckpt") && "\(error)".contains("different options")
        }
    }

    @Test("a folder holding a run is not overwritten by accident, and --resume needs a checkpoint")
    func nothingIsLost() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = try MetaTrainer(configuration: configuration(.fomaml, iterations: 10), problem: tinySine())
        #expect { try trainer.run(files: .init(folder: folder), resume: true, showProgress: false) } throws: { error in
            "\(error)".contains("no checkpoint")
        }
        let first = try trainer.run(files: .init(folder: folder), showProgress: false)
        #expect { try trainer.run(files: .init(folder: folder), showProgress: false) } throws: { error in
            "\(error)".contains("already holds a training run") && "\(error)".contains("--force")
        }
        let again = try trainer.run(files: .init(folder: folder), overwrite: true, showProgress: false)
        #expect(zip(first.parameters.tensors, again.parameters.tensors).allSatisfy { $0.scalars == $1.scalars })
    }

    @Test("a diverging run stops with the iteration and the last checkpoint")
    func nonFiniteLossStops() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var c = configuration(.fomaml, iterations: 50)
        c.innerLearningRate = 1e30  // the adapted weights overflow Float: the query loss is infinite
        let problem = RegressionProblem(name: "sine", family: SineAmplitudePhaseFamily(),
                                        model: MLP(sizes: [1, 16, 1], activation: .tanh), shots: 5, queries: 5, dtype: .float32)
        #expect {
            try MetaTrainer(configuration: c, problem: problem).run(files: .init(folder: folder), showProgress: false)
        } throws: { error in
            guard case TrainingError.nonFiniteLoss(let iteration, _) = error else { return false }
            return iteration >= 1 && "\(error)".contains("iteration \(iteration)")
        }
    }

    @Test("meta-training lowers the post-adaptation validation MSE", arguments: MetaAlgorithm.allCases)
    func trainingImproves(algorithm: MetaAlgorithm) throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A large inner rate: from a random init one step overshoots badly; a meta-learned init
        // must learn where one such step lands well.
        var c = configuration(algorithm, iterations: 100)
        c.innerLearningRate = 0.2
        c.validateEvery = c.iterations
        let problem = tinySine()
        var generator = SeededGenerator(seed: c.seed &+ 0x5EED)
        let tasks = try problem.evaluationTasks(count: c.validationTasks, generator: &generator)
        var initGenerator = SeededGenerator(seed: c.seed)
        let initial = algorithm.initialParameters(problem: problem, configuration: c, generator: &initGenerator)
        let loop = InnerLoop(steps: 1, learningRate: .fixed(c.innerLearningRate), adaptedNames: algorithm == .anil ? problem.headNames : nil)
        let before = evaluate(initial, on: tasks, innerLoop: loop).loss.mean
        let summary = try MetaTrainer(configuration: c, problem: problem).run(files: .init(folder: folder), showProgress: false)
        #expect(summary.bestValidation < 0.5 * before, "\(algorithm): \(before) -> \(summary.bestValidation)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("best.mamlckpt").path))
    }

    @Test("the 95% interval of a known sample")
    func meanWithInterval() {
        let m = MeanWithInterval([1, 2, 3, 4])
        #expect(m.mean == 2.5)
        #expect(Swift.abs(m.halfWidth - 1.96 * (5.0 / 3).squareRoot() / 2) < 1e-12)
    }
}
