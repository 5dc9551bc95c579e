import Autodiff
import NeuralNetworks
import TaskData

/// The MAML paper's regression baseline: one network trained on all tasks at once, as if they
/// were a single data set, then fine-tuned on a new task's few points like MAML's init.
///
/// Each iteration samples a meta-batch of tasks and takes an Adam step on the MSE over every
/// point of every task, min_θ Σ_τ Σ_(x,y)∈τ (f_θ(x) − y)²; with tasks whose mean is zero the
/// result is close to the average function, which is exactly why fine-tuning it works poorly.
public func pretrainJointly(_ problem: RegressionProblem, iterations: Int, tasksPerBatch: Int,
                            learningRate: Double = 1e-3, seed: UInt64 = 0) -> Parameters {
    var generator = SeededGenerator(seed: seed)
    var params = problem.initialParameters(generator: &generator)
    let optimizer = Adam(learningRate: learningRate)
    var state = optimizer.initialState(for: params)
    let model = problem.model
    for _ in 0..<iterations {
        let batch = problem.family.sampleBatch(tasks: tasksPerBatch, support: problem.shots, query: problem.queries,
                                               generator: &generator, dtype: problem.dtype)
        let points = tasksPerBatch * (problem.shots + problem.queries)
        let x = concat([batch.supportX, batch.queryX], axis: 1).reshaped([points, 1])
        let y = concat([batch.supportY, batch.queryY], axis: 1).reshaped([points, 1])
        let gradient = grad { (p: Parameters) in meanSquaredError(model(p, x), y) }(params)
        (params, state) = optimizer.step(params, gradient, state)
        params = params.detached()
    }
    return params
}
