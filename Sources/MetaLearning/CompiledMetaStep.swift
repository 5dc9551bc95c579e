import Autodiff
import NeuralNetworks

extension MAML {
    /// One meta-training step on the dynamic path: the vectorized meta-gradient of `batch`
    /// (`vectorizedMetaGradient`) and an Adam step on it, with the new parameters as constants.
    public func vectorizedAdamStep(_ params: Parameters, _ state: Adam.State, optimizer: Adam, batch: MetaTask,
                                   tasks: Int) -> (loss: Tensor, parameters: Parameters, state: Adam.State) {
        let (loss, gradient) = vectorizedMetaGradient(params, batch: batch, tasks: tasks)
        let (updated, newState) = optimizer.step(params, gradient, state)
        return (loss, updated.detached(), newState)
    }
}

/// `MAML.vectorizedAdamStep` captured once per meta-batch shape and replayed afterwards
/// (`CompiledFunction`): the same numbers to the bit, without building and walking the graph.
///
/// The task data (support and query tensors) are inputs, so sampling the tasks stays outside:
/// `task` turns the data of one meta-batch into its vectorized `MetaTask`, and must build the
/// losses from those tensors only. Parameters, Adam's moments and the data are the program's
/// inputs; the new parameters, moments and the loss its outputs. Adam's step count enters the
/// kernels only through the bias corrections, so an optimizer with bias correction runs every
/// step dynamically. A new meta-batch size or parameter set captures a new program.
///
/// One instance serves one thread at a time.
public final class CompiledMetaStep {
    /// The learner.
    public let maml: MAML
    /// The outer optimizer.
    public let optimizer: Adam
    private let task: ([Tensor]) -> MetaTask
    private var compiled: [Key: CompiledFunction] = [:]

    private struct Key: Hashable {
        let tasks: Int
        let names: [String]
    }

    /// A compiled meta-step of `maml` with `optimizer`; `task` makes a meta-batch's vectorized task from its data.
    public init(maml: MAML, optimizer: Adam, task: @escaping (_ data: [Tensor]) -> MetaTask) {
        self.maml = maml
        self.optimizer = optimizer
        self.task = task
    }

    /// How the steps so far were served (captured, replayed or run dynamically), over all shapes.
    public var statistics: CompiledFunction.Statistics {
        compiled.values.reduce(into: CompiledFunction.Statistics()) { total, function in
            total.captures += function.statistics.captures
            total.replays += function.statistics.replays
            total.dynamicRuns += function.statistics.dynamicRuns
        }
    }

    /// One meta-step from `params` and `state` on the meta-batch `data` of `tasks` tasks:
    /// the meta-loss before the step, the new parameters and the new optimizer state.
    public func step(_ params: Parameters, _ state: Adam.State, data: [Tensor],
                     tasks: Int) -> (loss: Tensor, parameters: Parameters, state: Adam.State) {
        let names = params.names
        guard !optimizer.biasCorrection, state.firstMoment.names == names, state.secondMoment.names == names else {
            return maml.vectorizedAdamStep(params, state, optimizer: optimizer, batch: task(data), tasks: tasks)
        }
        let function = compiled[Key(tasks: tasks, names: names)] ?? makeFunction(names: names, tasks: tasks, step: state.step)
        compiled[Key(tasks: tasks, names: names)] = function
        let outputs = function([params.tensors, state.firstMoment.tensors, state.secondMoment.tensors, data].flatMap { $0 })
        let n = names.count
        let part = { (i: Int) in Parameters(names: names, tensors: Array(outputs[(1 + i * n)..<(1 + (i + 1) * n)])) }
        return (outputs[0], part(0), Adam.State(firstMoment: part(1), secondMoment: part(2), step: state.step + 1))
    }

    /// The step as a function of [θ..., m..., v..., data...] returning [loss, θ′..., m′..., v′...].
    private func makeFunction(names: [String], tasks: Int, step: Int) -> CompiledFunction {
        let (maml, optimizer, task) = (maml, optimizer, task)
        let n = names.count
        return CompiledFunction { inputs in
            let part = { (i: Int) in Parameters(names: names, tensors: Array(inputs[(i * n)..<((i + 1) * n)])) }
            // Without bias correction the step count does not reach the kernels.
            let state = Adam.State(firstMoment: part(1), secondMoment: part(2), step: step)
            let result = maml.vectorizedAdamStep(part(0), state, optimizer: optimizer, batch: task(Array(inputs[(3 * n)...])),
                                                 tasks: tasks)
            return [result.loss] + result.parameters.tensors + result.state.firstMoment.tensors + result.state.secondMoment.tensors
        }
    }
}
