/// The graph behind some outputs, laid out for a reverse sweep.
///
/// Which nodes: those reachable from the roots that can lead to a target. A path from a node to a
/// target means the node is newer (its stamp is larger, see `NodeClock`), so the walk leaves out
/// every node older than the oldest target: the history behind the targets (the earlier steps
/// of an unrolled loop, the training so far) is never visited. Inside a checkpointed segment the
/// walk stays instead among the nodes the segment recorded, and its targets are the tensors it
/// read from outside.
///
/// In what order: oldest first by stamp, so inputs come before users, and the sweep takes the
/// nodes newest first. On one thread stamps follow the order the nodes were made, so a node's
/// cotangent adds its users' contributions in the reverse of the order the users were made,
/// whichever outputs the walk started from; a segment swept on its own therefore sums exactly
/// as the whole graph would.
///
/// Each input edge is a position in that order, and which nodes lead to a target is a flag per
/// position: a node's identity is hashed when the layout is built, never during the sweep.
struct ReverseGraph {
    /// The walked nodes, oldest first.
    let order: [GraphNode]
    /// Each met node's place in discovery (-1 for those left out), and each discovery's place in `order`.
    private let discovery: [ObjectIdentifier: Int], rank: [Int]
    /// The positions of node i's walked inputs are `edges[edgeStart[i]..<edgeStart[i + 1]]`, with
    /// the input slot each came from in `edgeSlots`.
    let edgeStart: [Int], edges: [Int], edgeSlots: [Int]
    /// Whether node i is a target or depends on one (only those need cotangents).
    let relevant: [Bool]
    /// Whether node i is a target.
    let isTarget: [Bool]
    /// Whether node i was walked through (false for targets outside a segment's nodes: the
    /// sweep collects their cotangents but goes no further).
    let isWalked: [Bool]
    /// Whether a node that leads to a target reads a tracked tensor that does not: a variable of
    /// an outer differentiation, or a tracked tensor a closure captured. Then the cotangents
    /// depend on that tensor, and a pass that someone outside may differentiate must be recorded.
    let readsOtherTrackedTensors: Bool

    /// Lays out what a sweep from `roots` to `targets` needs; with `recorder`, only the nodes it
    /// recorded are walked through, and targets outside them are leaves.
    init(roots: [GraphNode], targets: [GraphNode], inside recorder: NodeRecorder? = nil) {
        var walk = Walk(targets: targets, recorder: recorder)
        for root in roots { _ = walk.visit(root) }
        walk.expandAll()
        // Oldest first; stamps tie only across threads, and then discovery decides.
        var keyed = walk.found.indices.map { (stamp: walk.found[$0].node.stamp, index: $0) }
        keyed.sort { ($0.stamp, $0.index) < ($1.stamp, $1.index) }
        var rank = [Int](repeating: 0, count: keyed.count)
        for (position, key) in keyed.enumerated() { rank[key.index] = position }
        order = keyed.map { walk.found[$0.index].node }
        isWalked = keyed.map { walk.found[$0.index].walked }
        isTarget = keyed.map { walk.found[$0.index].target }
        (discovery, self.rank) = (walk.discovery, rank)

        // Edges by position, in the sorted order; inputs come first, so a node is relevant when
        // it is a target or one of its inputs is.
        var edgeStart = [0], edges: [Int] = [], edgeSlots: [Int] = []
        edgeStart.reserveCapacity(order.count + 1)
        edges.reserveCapacity(walk.edges.count)
        edgeSlots.reserveCapacity(walk.edges.count)
        var relevant = isTarget, readsOther = false
        for (i, key) in keyed.enumerated() {
            var readsIrrelevant = walk.found[key.index].readsUnwalked
            for e in walk.found[key.index].edges {
                let (j, slot) = (rank[walk.edges[e].input], walk.edges[e].slot)
                edges.append(j)
                edgeSlots.append(slot)
                if relevant[j] { relevant[i] = true } else { readsIrrelevant = true }
            }
            edgeStart.append(edges.count)
            if relevant[i] && readsIrrelevant { readsOther = true }
        }
        (self.edgeStart, self.edges, self.edgeSlots) = (edgeStart, edges, edgeSlots)
        (self.relevant, self.readsOtherTrackedTensors) = (relevant, readsOther)
    }

    /// The search behind `init`: which nodes are found, and the edges between them by discovery index.
    private struct Walk {
        let targetIDs: Set<ObjectIdentifier>
        /// The oldest target's stamp: nothing older can lead to a target.
        let horizon: UInt64
        let recorder: NodeRecorder?
        /// Discovery index of every node met: found ones from 0, and -1 for nodes left out.
        var discovery: [ObjectIdentifier: Int] = [:]
        var found: [Found] = []
        /// Every found node's found inputs (by discovery index, with the input slot).
        var edges: [(input: Int, slot: Int)] = []
        var pending: [Int] = []

        /// A found node: whether it is walked through and a target, its range in `edges`, and
        /// whether it also reads a tracked tensor that was left out.
        struct Found {
            let node: GraphNode
            let walked: Bool, target: Bool
            var edges = 0..<0
            var readsUnwalked = false
        }

        init(targets: [GraphNode], recorder: NodeRecorder?) {
            targetIDs = Set(targets.map(ObjectIdentifier.init))
            horizon = targets.lazy.map(\.stamp).min() ?? .max
            self.recorder = recorder
        }

        /// The discovery index of `node`, finding it if it is new: nil if it is left out.
        mutating func visit(_ node: GraphNode) -> Int? {
            let id = ObjectIdentifier(node), next = found.count
            let index = Self.lookUp(&discovery[id, default: -2], assigning: next)
            guard index == -2 else { return index >= 0 ? index : nil }
            let inside = recorder.map { $0.contains(node) } ?? (node.stamp >= horizon)
            let target = targetIDs.contains(id)
            guard inside || target else {
                discovery[id] = -1
                return nil
            }
            found.append(Found(node: node, walked: inside, target: target))
            if inside { pending.append(next) }
            return next
        }

        /// Reads a dictionary slot once: a new slot (holding -2) gets `next`, and -2 comes back;
        /// an existing one returns its value.
        private static func lookUp(_ slot: inout Int, assigning next: Int) -> Int {
            guard slot == -2 else { return slot }
            slot = next
            return -2
        }

        /// Expands every pending node: records its found inputs as edges.
        mutating func expandAll() {
            while let index = pending.popLast() {
                let first = edges.count
                var unwalked = false
                // Through the buffer: only each input's node is read, not the whole tensor copied.
                found[index].node.inputs.withUnsafeBufferPointer { inputs in
                    for slot in inputs.indices {
                        guard let inputNode = inputs[slot].node else { continue }
                        if let j = visit(inputNode) { edges.append((j, slot)) } else { unwalked = true }
                    }
                }
                found[index].edges = first..<edges.count
                found[index].readsUnwalked = unwalked
            }
        }
    }

    /// The position of a walked node in `order`.
    func position(of node: GraphNode) -> Int? { position(of: ObjectIdentifier(node)) }

    /// The position of the walked node with this identity (check what it is before trusting it:
    /// a released node's identity can be reused).
    func position(of id: ObjectIdentifier) -> Int? { discovery[id].flatMap { $0 >= 0 ? rank[$0] : nil } }

    /// Walks the nodes from the newest back, accumulating each node's cotangent, and returns
    /// each target's cotangent by position (nil elsewhere).
    ///
    /// `seeds` start the sweep (added to their positions' sums); `carried` are sums begun by an
    /// enclosing sweep, which this one continues (a checkpointed segment's inputs).
    func backpropagate(seeds: [(position: Int, cotangent: Tensor)], carried: [(position: Int, cotangent: Tensor)] = []) -> [Tensor?] {
        let recording = GraphContext.current.recording
        let source = recording ? GraphContext.current.backwardSource : nil
        var cotangents = [Tensor?](repeating: nil, count: order.count)
        var results = [Tensor?](repeating: nil, count: order.count)
        for (p, sum) in carried { cotangents[p] = sum }
        for (p, seed) in seeds { accumulate(seed, into: &cotangents[p], recording: recording) }
        for i in order.indices.reversed() {
            guard relevant[i], let g = cotangents[i] else { continue }
            cotangents[i] = nil
            if isTarget[i] { results[i] = g }
            guard isWalked[i] else { continue }
            let node = order[i], inputEdges = edgeStart[i]..<edgeStart[i + 1]
            if case .checkpoint(let segment, let output) = node.primitive {
                sweepSegment(segment, reachedAt: i, output: output, cotangent: g, &cotangents, &results)
                continue
            }
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
    /// gets the ordinary (recorded) sum. Both give the same bits: slot[i] + addition[i].
    func accumulate(_ addition: Tensor, into slot: inout Tensor?, recording: Bool) {
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
