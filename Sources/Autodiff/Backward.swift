/// Reverse-mode differentiation over the recorded graph (PyTorch's `torch.autograd.grad`).
///
/// Returns the gradient of `output` with respect to each tensor in `inputs`. `output` must be a
/// scalar unless a `seed` (the output's cotangent, same shape) is given. An input that
/// `output` does not depend on, or that is a constant, gets zeros of its shape (never a crash).
///
/// With `createGraph: true` the backward pass is itself recorded, so the gradients can be
/// differentiated again (grad of grad); inside `withFirstOrderGradients` it never is.
///
/// The pass visits only nodes made after the oldest input: the history behind the inputs (the
/// earlier steps of an unrolled loop) is never walked, so each call costs what the computation
/// from the inputs to `output` costs, however long that history is.
public func gradients(of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil, createGraph: Bool = false) -> [Tensor] {
    if let seed {
        check(seed.shape == output.shape,
              "gradients(of:wrt:): the seed has shape \(seed.shape) but the output has shape \(output.shape)")
    } else {
        check(output.scalarCount == 1,
              "gradients(of:wrt:): the output has shape \(output.shape); pass a scalar or a seed of that shape")
    }
    let seed = seed ?? Tensor.ones(output.shape, dtype: output.dtype)
    guard let root = output.node else { return inputs.map { $0.zerosLike() } }
    let graph = ReverseGraph(roots: [root], targets: inputs.compactMap(\.node))
    return graph.gradients(for: inputs, from: root, seed: seed, record: createGraph)
}

/// The recorded nodes a backward pass from `output` to `inputs` visits, oldest first.
///
/// These are the nodes made after the oldest input that `output` reaches; the pass computes
/// cotangents only for those among them that lead to an input. Useful to see what a gradient
/// call costs: in an unrolled loop the count stays the same at every step.
public func backwardPassNodes(of output: Tensor, wrt inputs: [Tensor]) -> [GraphNode] {
    guard let root = output.node else { return [] }
    return ReverseGraph(roots: [root], targets: inputs.compactMap(\.node)).order
}

extension ReverseGraph {
    /// Sweeps from the single root with `seed` in a context that records the pass when `record`
    /// is set (and higher orders are allowed), and returns each input's gradient.
    func gradients(for inputs: [Tensor], from root: GraphNode, seed: Tensor, record: Bool) -> [Tensor] {
        guard let rootPosition = position(of: root) else { return inputs.map { $0.zerosLike() } }
        // Nodes this pass records are tagged one order above the highest order they differentiate
        // through: a pass over a forward graph makes order-1 nodes, a pass over those makes order 2.
        let differentiatedOrder = order.indices.lazy.filter { relevant[$0] }.map { order[$0].derivativeOrder }.max() ?? 0
        var context = GraphContext.current
        context.recording = record && context.higherOrder
        context.derivativeOrder = max(context.derivativeOrder, differentiatedOrder + 1)
        // A recorded pass tells the nodes it makes which operation's rule made them (diagrams).
        context.backwardSource = context.recording ? BackwardSource() : nil
        let cotangents = GraphContext.$current.withValue(context) {
            backpropagate(seeds: [(rootPosition, seed)])
        }
        return inputs.map { input in
            input.node.flatMap(position(of:)).flatMap { cotangents[$0] } ?? input.zerosLike()
        }
    }
}
