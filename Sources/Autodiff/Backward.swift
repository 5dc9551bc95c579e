/// Reverse-mode differentiation over the recorded graph (PyTorch's `torch.autograd.grad`).
///
/// Returns the gradient of `output` with respect to each tensor in `inputs`. `output` must be a
/// scalar unless a `seed` (the output's cotangent, same shape) is given. An input that
/// `output` does not depend on, or that is a constant, gets zeros of its shape (never a crash).
///
/// With `createGraph: true` the backward pass is itself recorded, so the gradients can be
/// differentiated again (grad of grad); inside `withFirstOrderGradients` it never is.
public func gradients(of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil, createGraph: Bool = false) -> [Tensor] {
    if let seed {
        precondition(seed.shape == output.shape,
                     "gradients(of:wrt:): the seed has shape \(seed.shape) but the output has shape \(output.shape)")
    } else {
        precondition(output.scalarCount == 1,
                     "gradients(of:wrt:): the output has shape \(output.shape); pass a scalar or a seed of that shape")
    }
    let seed = seed ?? Tensor.ones(output.shape, dtype: output.dtype)
    guard let root = output.node else { return inputs.map { $0.zerosLike() } }

    let targets = Set(inputs.compactMap { $0.node.map(ObjectIdentifier.init) })
    let (order, relevant) = topologicalOrder(from: root, targets: targets)

    // Nodes this pass records are tagged one order above the highest order they differentiate
    // through: a pass over a forward graph makes order-1 nodes, a pass over those makes order 2.
    let differentiatedOrder = order.lazy.filter { relevant.contains(ObjectIdentifier($0)) }.map(\.derivativeOrder).max() ?? 0
    var context = GraphContext.current
    context.recording = createGraph && context.higherOrder
    context.derivativeOrder = max(context.derivativeOrder, differentiatedOrder + 1)
    let cotangents = GraphContext.$current.withValue(context) {
        backpropagate(seed: seed, root: root, order: order, relevant: relevant, targets: targets)
    }
    return inputs.map { input in
        input.node.flatMap { cotangents[ObjectIdentifier($0)] } ?? input.zerosLike()
    }
}

/// Nodes reachable from `root` with inputs before users, and which of them lead to a target.
private func topologicalOrder(from root: GraphNode, targets: Set<ObjectIdentifier>)
    -> (order: [GraphNode], relevant: Set<ObjectIdentifier>) {
    let order = GraphNode.postOrder(from: [root])
    var relevant: Set<ObjectIdentifier> = []
    // Inputs come first, so a node is relevant when it is a target or one of its inputs is.
    for node in order {
        let id = ObjectIdentifier(node)
        if targets.contains(id) || node.inputs.contains(where: { $0.node.map { relevant.contains(ObjectIdentifier($0)) } ?? false }) {
            relevant.insert(id)
        }
    }
    return (order, relevant)
}

/// Walks the nodes from the output back, accumulating each node's cotangent.
private func backpropagate(seed: Tensor, root: GraphNode, order: [GraphNode],
                           relevant: Set<ObjectIdentifier>, targets: Set<ObjectIdentifier>) -> [ObjectIdentifier: Tensor] {
    var cotangents: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
    var results: [ObjectIdentifier: Tensor] = [:]
    for node in order.reversed() {
        let id = ObjectIdentifier(node)
        guard relevant.contains(id), let g = cotangents.removeValue(forKey: id) else { continue }
        if targets.contains(id) { results[id] = g }
        let needed = node.inputs.map { $0.node.map { relevant.contains(ObjectIdentifier($0)) } ?? false }
        guard needed.contains(true) else { continue }
        let inputCotangents = node.primitive.rule.vjp(node.inputs, node.value, g, needed)
        for (i, input) in node.inputs.enumerated() where needed[i] {
            guard let inputNode = input.node, let gi = inputCotangents[i] else { continue }
            let key = ObjectIdentifier(inputNode)
            if let existing = cotangents[key] {
                cotangents[key] = existing + gi
            } else {
                cotangents[key] = gi
            }
        }
    }
    return results
}
