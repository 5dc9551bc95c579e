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
        check(seed.shape == output.shape,
              "gradients(of:wrt:): the seed has shape \(seed.shape) but the output has shape \(output.shape)")
    } else {
        check(output.scalarCount == 1,
              "gradients(of:wrt:): the output has shape \(output.shape); pass a scalar or a seed of that shape")
    }
    let seed = seed ?? Tensor.ones(output.shape, dtype: output.dtype)
    guard let root = output.node else { return inputs.map { $0.zerosLike() } }

    let graph = ReverseGraph(root: root, targets: inputs.compactMap(\.node))

    // Nodes this pass records are tagged one order above the highest order they differentiate
    // through: a pass over a forward graph makes order-1 nodes, a pass over those makes order 2.
    let differentiatedOrder = graph.order.indices.lazy.filter { graph.relevant[$0] }.map { graph.order[$0].derivativeOrder }.max() ?? 0
    var context = GraphContext.current
    context.recording = createGraph && context.higherOrder
    context.derivativeOrder = max(context.derivativeOrder, differentiatedOrder + 1)
    let source = context.recording ? BackwardSource() : nil
    context.backwardSource = source
    let cotangents = GraphContext.$current.withValue(context) { graph.backpropagate(seed: seed, source: source) }
    return inputs.map { input in
        input.node.flatMap { graph.position[ObjectIdentifier($0)] }.flatMap { cotangents[$0] } ?? input.zerosLike()
    }
}

/// The graph behind one output, laid out for a reverse sweep: every node reachable from the
/// root with inputs before users, each input edge as a position in that order, and which nodes
/// lead to a target. Positions replace hashed lookups in the sweep: a node's identity is hashed
/// once, when the layout is built.
private struct ReverseGraph {
    /// Reachable nodes, each after all of its inputs; the root is last.
    let order: [GraphNode]
    /// Each node's index in `order`.
    let position: [ObjectIdentifier: Int]
    /// The positions of node i's tracked inputs are `edges[edgeStart[i]..<edgeStart[i + 1]]`, with
    /// the input slot each came from in `edgeSlots`.
    let edgeStart: [Int], edges: [Int], edgeSlots: [Int]
    /// Whether node i is a target or depends on one (only those need cotangents).
    let relevant: [Bool]
    /// Whether node i is a target.
    let isTarget: [Bool]

    init(root: GraphNode, targets: [GraphNode]) {
        order = GraphNode.postOrder(from: [root])
        var position = [ObjectIdentifier: Int](minimumCapacity: order.count)
        for (i, node) in order.enumerated() { position[ObjectIdentifier(node)] = i }
        var edgeStart = [0], edges: [Int] = [], edgeSlots: [Int] = []
        var isTarget = [Bool](repeating: false, count: order.count)
        for target in targets { if let i = position[ObjectIdentifier(target)] { isTarget[i] = true } }
        var relevant = isTarget
        edgeStart.reserveCapacity(order.count + 1)
        for (i, node) in order.enumerated() {
            for (slot, input) in node.inputs.enumerated() {
                guard let inputNode = input.node, let j = position[ObjectIdentifier(inputNode)] else { continue }
                edges.append(j)
                edgeSlots.append(slot)
                // Inputs come first, so a node is relevant when it is a target or one of its inputs is.
                if relevant[j] { relevant[i] = true }
            }
            edgeStart.append(edges.count)
        }
        (self.position, self.edgeStart, self.edges, self.edgeSlots) = (position, edgeStart, edges, edgeSlots)
        (self.relevant, self.isTarget) = (relevant, isTarget)
    }

    /// Walks the nodes from the output back, accumulating each node's cotangent; returns the
    /// targets' cotangents by position (nil elsewhere). A recorded pass tells `source` whose
    /// rule is running, so the nodes it records know what they differentiate.
    func backpropagate(seed: Tensor, source: BackwardSource?) -> [Tensor?] {
        let recording = GraphContext.current.recording
        var cotangents = [Tensor?](repeating: nil, count: order.count)
        var results = [Tensor?](repeating: nil, count: order.count)
        cotangents[order.count - 1] = seed
        for i in order.indices.reversed() {
            guard relevant[i], let g = cotangents[i] else { continue }
            cotangents[i] = nil
            if isTarget[i] { results[i] = g }
            let node = order[i], inputEdges = edgeStart[i]..<edgeStart[i + 1]
            var needed = [Bool](repeating: false, count: node.inputs.count)
            for e in inputEdges where relevant[edges[e]] { needed[edgeSlots[e]] = true }
            guard needed.contains(true) else { continue }
            source?.scope = node.scope
            let inputCotangents = node.primitive.rule.vjp(node.inputs, node.value, g, needed)
            for e in inputEdges where relevant[edges[e]] {
                guard let gi = inputCotangents[edgeSlots[e]] else { continue }
                accumulate(gi, into: &cotangents[edges[e]], recording: recording)
            }
        }
        return results
    }

    /// slot ← slot + addition (or addition when the slot is empty). An unrecorded pass adds into
    /// the slot's own buffer when nothing else holds it, which is the usual case for a node with
    /// several users: no new buffer per user. Anything shared, or a pass that is being recorded,
    /// gets the ordinary (recorded) sum.
    private func accumulate(_ addition: Tensor, into slot: inout Tensor?, recording: Bool) {
        // The slot is read through `slot!` temporaries rather than a named copy, which would
        // keep a second reference to the buffer alive until the end of the function.
        guard slot != nil else { slot = addition; return }
        guard !recording, slot!.node == nil, addition.node == nil, slot!.shape == addition.shape,
              slot!.dtype == addition.dtype else {
            slot = slot! + addition
            return
        }
        var buffer = slot!.buffer
        let shape = addition.shape
        slot = nil
        guard isKnownUniquelyReferenced(&buffer) else {
            slot = Tensor(buffer: buffer, shape: shape) + addition
            return
        }
        Kernels.addInPlace(addition, into: buffer)
        slot = Tensor(buffer: buffer, shape: shape)
    }
}
