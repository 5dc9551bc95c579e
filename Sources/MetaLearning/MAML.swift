import Autodiff

/// Model-Agnostic Meta-Learning: find θ such that a few inner gradient steps on a new task's
/// support set give low loss on its query set.
///
/// Meta-objective over a batch of tasks 𝒯ᵢ:  L(θ) = (1/n) Σᵢ L_query,i(θ_K,i), where θ_K,i is the
/// inner loop's result from θ on task i. With `order == .second` the meta-gradient is exact
/// (it differentiates through the inner gradients); `.first` gives FO-MAML. `ANIL` is MAML with
/// an inner loop restricted to the head (`InnerLoop.adaptedNames`).
public struct MAML: Sendable {
    /// The inner loop (steps, step sizes, which parameters adapt).
    public var innerLoop: InnerLoop
    /// First- or second-order meta-gradients.
    public var order: GradientOrder
    /// Per-step weights of the query loss (MAML++'s multi-step loss); nil uses the last step only.
    public var stepWeights: [Double]?

    /// A MAML learner.
    public init(innerLoop: InnerLoop, order: GradientOrder = .second, stepWeights: [Double]? = nil) {
        if let stepWeights {
            check(stepWeights.count == innerLoop.steps + 1,
                  "MAML: \(stepWeights.count) step weights for \(innerLoop.steps) inner steps (need steps + 1)")
        }
        self.innerLoop = innerLoop
        self.order = order
        self.stepWeights = stepWeights
    }

    /// The query loss of one task after adaptation: L_query(θ_K), or Σₖ wₖ L_query(θₖ) with step weights.
    public func taskObjective(_ meta: Parameters, task: MetaTask) -> Tensor {
        let path = innerLoop.trajectory(from: meta, supportLoss: task.supportLoss)
        // The query loss of θₖ is evaluated at inner step k (per-step weights of MAML++).
        let query = { (k: Int) in InnerStep.$current.withValue(k) { task.queryLoss(path[k]) } }
        return withScope("query loss") {
            guard let weights = stepWeights else { return query(path.count - 1) }
            return weights.enumerated().filter { $0.element != 0 }.map { query($0.offset) * $0.element }
                .reduce(Tensor(0, dtype: meta.tensors[0].dtype), +)
        }
    }

    /// The meta-objective: the mean over tasks of the adapted query loss.
    public func metaObjective(_ meta: Parameters, tasks: [MetaTask]) -> Tensor {
        check(!tasks.isEmpty, "MAML.metaObjective: no tasks given")
        let total = tasks.map { taskObjective(meta, task: $0) }.reduce(Tensor(0, dtype: meta.tensors[0].dtype), +)
        return total / Double(tasks.count)
    }

    /// The meta-objective and its gradient with respect to every meta-parameter.
    ///
    /// The objective is a mean over tasks, so its gradient is the mean of the tasks' own
    /// gradients: ∇L = (1/n) Σᵢ ∇L_query,i. Differentiating one task at a time keeps only that
    /// task's graph (its activations and im2col matrices) alive instead of the whole batch's.
    /// With `threads > 1` the tasks are differentiated on that many threads at once (`parallelMap`).
    public func metaGradient(_ meta: Parameters, tasks: [MetaTask], threads: Int = 1) -> (loss: Tensor, gradient: Parameters) {
        check(!tasks.isEmpty, "MAML.metaGradient: no tasks given")
        let perTask = parallelMap(tasks.count, threads: threads) { index in
            let objective = { (p: Parameters) in taskObjective(p, task: tasks[index]) }
            return switch order {
            case .second: valueAndGrad(objective)(meta)
            case .first: withFirstOrderGradients { valueAndGrad(objective)(meta) }
            }
        }
        // Summed in task order whatever the thread count, so results do not depend on it.
        var loss = perTask[0].value, gradient = perTask[0].gradient
        for (taskLoss, taskGradient) in perTask.dropFirst() {
            loss = loss + taskLoss
            gradient = gradient + taskGradient
        }
        let n = Double(tasks.count)
        return (loss / n, gradient / n)
    }
}

extension MAML {
    /// The meta-objective of `tasks` tasks run together as one vectorized task (what `vmap` does).
    ///
    /// `batch`'s losses take parameters with a leading task axis (`Parameters.tiled(for:)`): its
    /// support loss must be the SUM over tasks of each task's loss (so each slice's gradient is
    /// that task's own gradient) and its query loss the MEAN over tasks. Only the model
    /// parameters are tiled; learned inner rates stay shared. The tiling's adjoint sums the
    /// tasks' meta-gradients back onto θ, so the result equals `metaObjective` over the tasks
    /// one by one, in one pass of batched tensor operations.
    public func vectorizedMetaObjective(_ meta: Parameters, batch: MetaTask, tasks: Int) -> Tensor {
        let rates = Parameters(meta.filter { $0.0.hasPrefix("inner.lr") })
        return taskObjective(InnerLoop.modelParameters(meta).tiled(for: tasks).merging(rates), task: batch)
    }

    /// The vectorized meta-objective and its gradient with respect to every meta-parameter.
    public func vectorizedMetaGradient(_ meta: Parameters, batch: MetaTask, tasks: Int) -> (loss: Tensor, gradient: Parameters) {
        let objective = { (p: Parameters) in vectorizedMetaObjective(p, batch: batch, tasks: tasks) }
        let (loss, gradient) = switch order {
        case .second: valueAndGrad(objective)(meta)
        case .first: withFirstOrderGradients { valueAndGrad(objective)(meta) }
        }
        return (loss, gradient)
    }
}

/// MAML++'s multi-step loss weights (Antoniou et al. 2018): start uniform over the K + 1
/// parameter sets θ₀..θ_K and move linearly toward putting all weight on θ_K by `annealEpoch`.
/// Weight 0 is never used for θ₀ here, so the vector has K + 1 entries with w₀ = 0.
public func multiStepLossWeights(steps: Int, epoch: Int, annealEpochs: Int) -> [Double] {
    check(steps > 0, "multiStepLossWeights: steps must be positive")
    let progress = annealEpochs > 0 ? Swift.min(1, Double(epoch) / Double(annealEpochs)) : 1
    let uniform = 1 / Double(steps)
    var weights = [0.0] + Array(repeating: uniform * (1 - progress), count: steps)
    weights[steps] += progress
    return weights
}

/// Cosine annealing of the outer learning rate from `initial` to `minimum` over `total` iterations.
public func cosineAnnealedRate(initial: Double, minimum: Double, iteration: Int, total: Int) -> Double {
    let t = Double(Swift.min(Swift.max(iteration, 0), total)) / Double(Swift.max(total, 1))
    return minimum + (initial - minimum) * (1 + _cosine(Double.pi * t)) / 2
}

@inline(__always) private func _cosine(_ x: Double) -> Double { Double.cos(x) }
