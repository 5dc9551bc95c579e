import Testing
import Autodiff
import MetaLearning
import NeuralNetworks
import TaskData

/// Sinusoid MAML meta-steps run twice from the same start, on the same sampled tasks: the
/// dynamic path and a `CompiledMetaStep`.
private struct SineRun {
    let problem = RegressionProblem(name: "sine", family: SineAmplitudePhaseFamily(), shots: 10, queries: 10)
    let maml: MAML
    let optimizer = Adam(learningRate: 1e-3)

    init(order: GradientOrder, innerSteps: Int) {
        maml = MAML(innerLoop: InnerLoop(steps: innerSteps, learningRate: .fixed(0.01)), order: order)
    }

    /// The bits of every tensor of the parameters and the moments.
    func bits(_ p: Parameters, _ s: Adam.State) -> [[UInt32]] {
        (p.tensors + s.firstMoment.tensors + s.secondMoment.tensors).map { $0.floats.map(\.bitPattern) }
    }

    /// Runs `metaBatches.count` steps both ways and checks the bits agree after each; returns the compiled step.
    @discardableResult
    func compare(metaBatches: [Int]) -> CompiledMetaStep {
        let compiled = CompiledMetaStep(maml: maml, optimizer: optimizer) { [problem] data in
            problem.vectorizedTask(supportX: data[0], supportY: data[1], queryX: data[2], queryY: data[3])
        }
        var g = SeededGenerator(seed: 1)
        var dynamic = problem.initialParameters(generator: &g)
        var dynamicState = optimizer.initialState(for: dynamic)
        var (replayed, replayedState) = (dynamic, dynamicState)
        var tasks = SeededGenerator(seed: 0)
        for (step, size) in metaBatches.enumerated() {
            let batch = problem.family.sampleBatch(tasks: size, support: 10, query: 10, generator: &tasks, dtype: .float32)
            let task = problem.vectorizedTask(supportX: batch.supportX, supportY: batch.supportY, queryX: batch.queryX, queryY: batch.queryY)
            let before = maml.vectorizedAdamStep(dynamic, dynamicState, optimizer: optimizer, batch: task, tasks: size)
            (dynamic, dynamicState) = (before.parameters, before.state)
            let after = compiled.step(replayed, replayedState, data: [batch.supportX, batch.supportY, batch.queryX, batch.queryY], tasks: size)
            (replayed, replayedState) = (after.parameters, after.state)
            #expect(before.loss.floats.map(\.bitPattern) == after.loss.floats.map(\.bitPattern), "loss at step \(step)")
            #expect(bits(dynamic, dynamicState) == bits(replayed, replayedState), "parameters after step \(step)")
            #expect(dynamicState.step == replayedState.step)
        }
        return compiled
    }
}

@Suite struct CompiledMetaStepTests {
    @Test(arguments: [(GradientOrder.second, 25), (.first, 25), (.second, 1), (.first, 1)])
    func replayedSineStepsMatchTheDynamicPathBitForBit(order: GradientOrder, metaBatch: Int) {
        let compiled = SineRun(order: order, innerSteps: 2).compare(metaBatches: Array(repeating: metaBatch, count: 20))
        #expect(compiled.statistics == .init(captures: 1, replays: 19, dynamicRuns: 0))
    }

    @Test func aNewMetaBatchSizeCapturesAgainAndStillAgrees() {
        let compiled = SineRun(order: .second, innerSteps: 1).compare(metaBatches: [4, 4, 3, 3, 4, 2])
        #expect(compiled.statistics == .init(captures: 3, replays: 3, dynamicRuns: 0))
    }
}
