import Autodiff
import MetaLearning
import NeuralNetworks
import TaskData

/// One meta-training step of sinusoid MAML through the library's own path, repeatable for timing:
/// a vectorized meta-batch (`RegressionProblem`), `MAML.vectorizedMetaGradient`, and an Adam step.
struct SineMAMLWorkload {
    let problem: RegressionProblem
    let maml: MAML
    let metaBatch: Int
    let optimizer = Adam(learningRate: 1e-3)
    var params: Parameters
    var state: Adam.State
    var generator = SeededGenerator(seed: 0)
    var lastLoss = Double.nan

    init(metaBatch: Int, innerSteps: Int, firstOrder: Bool, dtype: DType) {
        problem = RegressionProblem(name: "sine", family: SineAmplitudePhaseFamily(), shots: 10, queries: 10, dtype: dtype)
        maml = MAML(innerLoop: InnerLoop(steps: innerSteps, learningRate: .fixed(0.01)), order: firstOrder ? .first : .second)
        self.metaBatch = metaBatch
        var initGenerator = SeededGenerator(seed: 1)
        params = problem.initialParameters(generator: &initGenerator)
        state = optimizer.initialState(for: params)
    }

    /// Samples a meta-batch and takes one Adam step on the MAML objective.
    mutating func step() {
        guard case .vectorized(let task, let count, _) = try! problem.trainingBatch(size: metaBatch, generator: &generator) else {
            fatalError("sine batches are vectorized")
        }
        let (loss, gradient) = maml.vectorizedMetaGradient(params, batch: task, tasks: count)
        (params, state) = optimizer.step(params, gradient, state)
        params = params.detached()
        lastLoss = loss.scalar
    }
}
