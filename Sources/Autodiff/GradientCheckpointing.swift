import Foundation

/// Runs `body` now, keeps only what it read from outside and what it returned, and runs it
/// again when a backward pass needs its graph (rematerialisation; `jax.checkpoint` and
/// `torch.utils.checkpoint` in other libraries).
///
/// `body`'s own recorded graph (its activations, the backward passes it recorded) is released
/// as soon as it returns; each output is tied instead to the tracked tensors `body` read from
/// outside, captured ones included. A backward pass that reaches the outputs runs `body` once
/// more with recording on, sweeps that fresh graph and releases it: memory for time. The
/// gradients equal, to the last bit, those of the same code run without the checkpoint, since
/// the second run repeats the first operation for operation and the sweep adds every
/// cotangent in the same order.
///
/// `body` must compute the same values each time (no random draws of its own, no state that
/// changes between calls). Outputs that are constants, or that are tensors `body` merely passed
/// through, come back as they are. Outside a recording context `body` just runs.
public func checkpointed(_ body: @escaping () -> [Tensor]) -> [Tensor] {
    let context = GraphContext.current
    guard context.recording else { return body() }
    let (outputs, recorder) = CheckpointedSegment.run(body, in: context)
    let boundary = recorder.boundary(of: outputs)
    let segment = CheckpointedSegment(body: body, context: context, outputCount: outputs.count)
    return outputs.enumerated().map { index, output in
        guard let node = output.node, recorder.contains(node) else { return output }
        guard !boundary.isEmpty else { return output.detached() }
        let member = GraphNode(primitive: .checkpoint(segment, output: index), inputs: boundary,
                               output: output.buffer, shape: output.shape, context: context)
        segment.members[index] = ObjectIdentifier(member)
        return Tensor(buffer: output.buffer, shape: output.shape, node: member)
    }
}

/// A checkpointed call of a function: what it needs to run again, and which nodes stand for
/// its outputs (all of them take the tensors the function read from outside as inputs).
public final class CheckpointedSegment: @unchecked Sendable {
    let body: () -> [Tensor]
    /// The recording context of the first run, restored for every later one.
    let context: GraphContext
    /// The number of outputs.
    let outputCount: Int
    /// The node standing for each output (nil for outputs returned as they were).
    var members: [ObjectIdentifier?]

    init(body: @escaping () -> [Tensor], context: GraphContext, outputCount: Int) {
        (self.body, self.context, self.outputCount) = (body, context, outputCount)
        members = Array(repeating: nil, count: outputCount)
    }

    /// Runs `body` recording in `context`, collecting the nodes it makes.
    static func run(_ body: () -> [Tensor], in context: GraphContext) -> ([Tensor], NodeRecorder) {
        let recorder = NodeRecorder()
        var inside = context
        inside.recording = true
        inside.recorder = recorder
        return (GraphContext.$current.withValue(inside, operation: body), recorder)
    }

    /// Whether `node` stands for output `index` of this segment.
    func isMember(_ node: GraphNode, _ index: Int) -> Bool {
        if case .checkpoint(let segment, let output) = node.primitive { segment === self && output == index } else { false }
    }

    /// The backward pass through the segment: runs `body` again, seeds its outputs with
    /// `seeds`, continues each wanted boundary tensor's running sum `carried` over the fresh
    /// graph, and returns the sums (nil where not wanted). Runs in the caller's context, so a
    /// recorded outer pass records this one too.
    func backward(boundary: [Tensor], seeds: [Tensor?], wanted: [Bool], carried: [Tensor?]) -> [Tensor?] {
        let (outputs, recorder) = Self.run(body, in: context)
        var roots: [(node: GraphNode, seed: Tensor)] = []
        for (output, seed) in zip(outputs, seeds) {
            if let seed, let node = output.node, recorder.contains(node) { roots.append((node, seed)) }
        }
        let targets = boundary.indices.filter { wanted[$0] }.compactMap { boundary[$0].node }
        let graph = ReverseGraph(roots: roots.map(\.node), targets: targets, inside: recorder)
        let sums = graph.backpropagate(
            seeds: roots.compactMap { root in graph.position(of: root.node).map { ($0, root.seed) } },
            carried: boundary.indices.compactMap { k in
                guard wanted[k], let sum = carried[k], let node = boundary[k].node, let p = graph.position(of: node) else { return nil }
                return (p, sum)
            })
        return boundary.indices.map { k in
            guard wanted[k], let node = boundary[k].node else { return nil }
            return graph.position(of: node).map { sums[$0] } ?? carried[k]
        }
    }
}

extension ReverseGraph {
    /// The sweep reaches a checkpointed segment at node i, the newest of the nodes standing for
    /// its outputs: their users are all done, so every output's cotangent is complete. One
    /// backward pass through the segment serves them all, and it continues the running sums of
    /// the tensors the segment read where this sweep leaves them, as the whole graph would.
    func sweepSegment(_ segment: CheckpointedSegment, reachedAt i: Int, output: Int, cotangent g: Tensor,
                      _ cotangents: inout [Tensor?], _ results: inout [Tensor?]) {
        var seeds = [Tensor?](repeating: nil, count: segment.outputCount)
        seeds[output] = g
        for (index, member) in segment.members.enumerated() where index != output {
            guard let member, let p = position(of: member), segment.isMember(order[p], index) else { continue }
            seeds[index] = cotangents[p]
            cotangents[p] = nil
            if isTarget[p], let seed = seeds[index] { results[p] = seed }
        }
        let node = order[i]
        var wanted = [Bool](repeating: false, count: node.inputs.count)
        var carried = [Tensor?](repeating: nil, count: node.inputs.count)
        var positions = [Int?](repeating: nil, count: node.inputs.count)
        for e in edgeStart[i]..<edgeStart[i + 1] where relevant[edges[e]] {
            let (slot, p) = (edgeSlots[e], edges[e])
            (wanted[slot], positions[slot], carried[slot]) = (true, p, cotangents[p])
            cotangents[p] = nil
        }
        let sums = segment.backward(boundary: node.inputs, seeds: seeds, wanted: wanted, carried: carried)
        for (slot, p) in positions.enumerated() { if let p { cotangents[p] = sums[slot] } }
    }
}

/// The nodes made while a checkpointed segment runs (possibly on several threads).
final class NodeRecorder: @unchecked Sendable {
    private var nodes: Set<ObjectIdentifier> = []
    private let lock = NSLock()

    func add(_ node: GraphNode) {
        lock.lock()
        nodes.insert(ObjectIdentifier(node))
        lock.unlock()
    }

    func contains(_ node: GraphNode) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return nodes.contains(ObjectIdentifier(node))
    }

    /// The tracked tensors from outside that `outputs` depend on through recorded nodes, each
    /// once, in the order a walk from the outputs meets them.
    func boundary(of outputs: [Tensor]) -> [Tensor] {
        var seen: Set<ObjectIdentifier> = [], boundary: [Tensor] = []
        var stack = outputs.compactMap(\.node).filter(contains)
        for node in stack { seen.insert(ObjectIdentifier(node)) }
        while let node = stack.popLast() {
            for input in node.inputs {
                guard let inputNode = input.node, seen.insert(ObjectIdentifier(inputNode)).inserted else { continue }
                if contains(inputNode) { stack.append(inputNode) } else { boundary.append(input) }
            }
        }
        return boundary
    }
}
