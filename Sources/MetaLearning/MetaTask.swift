import Autodiff

/// One task as a meta-learner sees it: a loss on its support set (used to adapt) and a loss
/// on its query set (used to judge the adapted parameters).
///
/// The losses are closures over the task's data, so every algorithm here works for any model
/// and any data: regression, classification, or a batch of tasks run together as one
/// vectorized task (see `Parameters.tiled(for:)`).
public struct MetaTask {
    /// The loss on the support (training) examples, as a function of the parameters.
    public let supportLoss: (Parameters) -> Tensor
    /// The loss on the query (validation) examples, as a function of the parameters.
    public let queryLoss: (Parameters) -> Tensor

    /// A task from its two losses.
    public init(supportLoss: @escaping (Parameters) -> Tensor, queryLoss: @escaping (Parameters) -> Tensor) {
        self.supportLoss = supportLoss
        self.queryLoss = queryLoss
    }
}

extension Parameters {
    /// One copy of every tensor per task, stacked on a new leading axis: `[tasks] + shape`
    /// (vectors become `[tasks, 1, n]` so they broadcast over a task's rows).
    ///
    /// Differentiating a sum of per-task losses with respect to tiled parameters gives each
    /// task its own gradient in its own slice, which is how a whole meta-batch adapts at once;
    /// the tiling's own adjoint sums the tasks' meta-gradients back onto the shared θ.
    public func tiled(for tasks: Int) -> Parameters {
        map { t in
            let perTask = t.rank == 1 ? t.reshaped([1, t.shape[0]]) : t
            return perTask.expandingShape(at: 0).broadcast(to: [tasks] + perTask.shape)
        }
    }
}
