import Autodiff
import MetaLearning
import NeuralNetworks
import TaskData

/// One meta-training step of sinusoid MAML through the library's own path, repeatable for timing:
/// a vectorized meta-batch (`RegressionProblem`), `MAML.vectorizedMetaGradient`, and an Adam step;
/// with `replay`, the same step captured once and replayed (`CompiledMetaStep`), which gives the
/// same parameters to the bit.
struct SineMAMLWorkload {
    let problem: RegressionProblem
    let maml: MAML
    let metaBatch: Int
    let optimizer = Adam(learningRate: 1e-3)
    let compiled: CompiledMetaStep?
    var params: Parameters
    var state: Adam.State
    var generator = SeededGenerator(seed: 0)
    var lastLoss = Double.nan

    init(metaBatch: Int, innerSteps: Int, firstOrder: Bool, dtype: DType, replay: Bool = false) {
        let problem = RegressionProblem(name: "sine", family: SineAmplitudePhaseFamily(), shots: 10, queries: 10, dtype: dtype)
        self.problem = problem
        maml = MAML(innerLoop: InnerLoop(steps: innerSteps, learningRate: .fixed(0.01)), order: firstOrder ? .first : .second)
        self.metaBatch = metaBatch
        compiled = replay ? CompiledMetaStep(maml: maml, optimizer: optimizer) { data in
            problem.vectorizedTask(supportX: data[0], supportY: data[1], queryX: data[2], queryY: data[3])
        } : nil
        var initGenerator = SeededGenerator(seed: 1)
        params = problem.initialParameters(generator: &initGenerator)
        state = optimizer.initialState(for: params)
    }

    /// Samples a meta-batch and takes one Adam step on the MAML objective.
    mutating func step() {
        // The same draws as `problem.trainingBatch`, so both paths see the same tasks.
        let batch = problem.family.sampleBatch(tasks: metaBatch, support: problem.shots, query: problem.queries,
                                               generator: &generator, dtype: problem.dtype)
        let loss: Tensor
        if let compiled {
            (loss, params, state) = compiled.step(params, state, data: [batch.supportX, batch.supportY, batch.queryX, batch.queryY],
                                                  tasks: metaBatch)
        } else {
            let task = problem.vectorizedTask(supportX: batch.supportX, supportY: batch.supportY, queryX: batch.queryX, queryY: batch.queryY)
            (loss, params, state) = maml.vectorizedAdamStep(params, state, optimizer: optimizer, batch: task, tasks: metaBatch)
        }
        lastLoss = loss.scalar
    }
}
