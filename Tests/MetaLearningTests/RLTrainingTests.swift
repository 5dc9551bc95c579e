import Testing
import Foundation
import Autodiff
import MetaLearning

@Suite("MAML-RL meta-training")
struct RLTrainingTests {
    @Test("a short meta-training run raises the return after one adaptation step well beyond the noise")
    func trainingImprovesAdaptedReturn() throws {
        var configuration = MAMLRLConfiguration()
        configuration.hiddenSizes = [16, 16]
        configuration.horizon = 10
        configuration.trajectoriesPerTask = 10
        configuration.metaBatch = 8
        configuration.iterations = 60
        configuration.outerLearningRate = 0.01
        let learner = try MAMLRL(configuration: configuration)
        var generator = SeededGenerator(seed: 1)
        let initial = learner.initialParameters(generator: &generator)
        var records: [MAMLRL.IterationRecord] = []
        let (trained, history) = try learner.train(from: initial, generator: &generator) { records.append($0) }
        #expect(history.count == 60 && records.map(\.iteration) == Array(1...60))

        // The same 120 held-out tasks and the same random numbers for both evaluations.
        var taskGenerator = SeededGenerator(seed: 99)
        let tasks = NavigationTask.sample(count: 120, generator: &taskGenerator)
        func adaptedReturns(_ theta: Parameters) -> [Double] {
            var evaluation = SeededGenerator(seed: 100)
            let query = learner.evaluate(theta, tasks: tasks, generator: &evaluation).rollouts.query
            return (0..<tasks.count).map { task in
                query.returns[(task * 10)..<(task * 10 + 10)].reduce(0, +) / 10
            }
        }
        let gains = zip(adaptedReturns(trained), adaptedReturns(initial)).map { $0 - $1 }
        let meanGain = gains.reduce(0, +) / Double(gains.count)
        let standardError = (gains.reduce(0) { $0 + ($1 - meanGain) * ($1 - meanGain) } / Double(gains.count - 1) / Double(gains.count)).squareRoot()
        #expect(meanGain > 4 * standardError, "gain \(meanGain) ± \(standardError)")
        #expect(meanGain > 0.3, "the adapted return should rise by a visible amount, got \(meanGain)")
    }

    @Test("a non-finite meta-loss stops training with a message naming the iteration")
    func nonFiniteLoss() throws {
        var configuration = MAMLRLConfiguration()
        configuration.hiddenSizes = [4]
        configuration.horizon = 3
        configuration.trajectoriesPerTask = 2
        configuration.metaBatch = 1
        configuration.iterations = 2
        let learner = try MAMLRL(configuration: configuration)
        var generator = SeededGenerator(seed: 1)
        var theta = learner.initialParameters(generator: &generator)
        theta["log_std"] = Tensor.full(.nan, shape: [2], dtype: .float32)
        #expect(throws: MAMLRLError.nonFiniteLoss(iteration: 1)) {
            try learner.train(from: theta, generator: &generator)
        }
        #expect(MAMLRLError.nonFiniteLoss(iteration: 1).description.contains("iteration 1"))
    }
}
