import Autodiff

/// Turns the recorded graph behind some tensors into diagram nodes and edges.
///
/// Nodes are numbered in a depth-first post-order from the outputs (inputs before users), or
/// from `traversal` when given (a figure can list its outputs in computation order there while
/// its first output stays the one whose gradients `showGradients` prints), so the same
/// computation always gives the same DOT text. An output that is a constant (a derivative that
/// no longer depends on the variables) is drawn in `constantScopes[i]` when given.
struct GraphWalk {
    var nodes: [DiagramNode] = []
    var edges: [DiagramEdge] = []
    let options: DiagramOptions

    init(outputs: [Tensor], labels: [String], options: DiagramOptions, traversal: [Tensor]? = nil,
         constantScopes: [[String]]? = nil) {
        self.options = options
        let order = GraphNode.postOrder(from: (traversal ?? outputs).compactMap(\.node))
        var ids: [ObjectIdentifier: String] = [:]
        for (index, node) in order.enumerated() { ids[ObjectIdentifier(node)] = "n\(index)" }
        var outputLabels: [ObjectIdentifier: [String]] = [:]
        for (index, (tensor, label)) in zip(outputs, labels).enumerated() {
            if let node = tensor.node {
                outputLabels[ObjectIdentifier(node), default: []].append(label)
            } else {
                addConstant(tensor, outputLabels: [label], scopePath: constantScopes?[index] ?? [])
            }
        }
        let gradientsShown = options.showGradients ? Self.gradientsOfFirstOutput(outputs.first) : [:]
        var memory = MemoryLedger()
        for node in order {
            let id = ids[ObjectIdentifier(node)]!
            var kept = [memory.keep(node.value, role: "output")]
            var inputs: [String] = []
            for (slot, input) in node.inputs.enumerated() {
                if let producer = input.node {
                    let producerID = ids[ObjectIdentifier(producer)]!
                    edges.append(DiagramEdge(from: producerID, to: id, shape: input.shape))
                    kept.append(memory.keep(input, role: "input \(slot + 1)"))
                    inputs.append(producerID)
                } else {
                    kept.append(memory.keep(input, role: "constant \(slot + 1)"))
                    inputs.append(input.scalarCount == 1 ? valuesText(input.scalars) : "constant \(shapeText(input.shape))")
                    if options.showConstants {
                        let constant = addConstant(input, outputLabels: [])
                        edges.append(DiagramEdge(from: constant, to: id, shape: input.shape))
                    }
                }
            }
            nodes.append(DiagramNode(
                id: id, kind: Self.kind(of: node), operations: [node.primitive.description],
                isElementwise: node.primitive.isElementwise, name: node.name, derivativeOrder: node.derivativeOrder,
                scopePath: node.scope?.path ?? [],
                differentiatedScopePath: node.derivativeOrder > 0 ? node.differentiatedScope?.path ?? [] : [],
                shape: node.shape, shownValue: shownValue(node.value),
                shownGradient: gradientsShown[ObjectIdentifier(node)].flatMap(shownValue),
                outputLabels: outputLabels[ObjectIdentifier(node)] ?? [], inputs: inputs, kept: kept))
        }
        if options.collapseElementwiseChains { collapseChains() }
    }

    static func kind(of node: GraphNode) -> DiagramNodeKind {
        switch node.primitive {
        case .variable, .identity: .variable
        default: .operation
        }
    }

    func shownValue(_ tensor: Tensor) -> [Double]? {
        options.showValues && tensor.scalarCount <= options.maxShownValues ? tensor.scalars : nil
    }

    /// The gradient of `output` with respect to every node it depends on (one unrecorded
    /// backward pass); nodes it does not depend on are left out.
    static func gradientsOfFirstOutput(_ output: Tensor?) -> [ObjectIdentifier: Tensor] {
        guard let output, let root = output.node else { return [:] }
        let reached = GraphNode.postOrder(from: [root])
        let seed = Tensor.ones(output.shape, dtype: output.dtype)
        let values = Autodiff.gradients(of: output, wrt: reached.map(\.value), seed: seed)
        return Dictionary(uniqueKeysWithValues: zip(reached.map(ObjectIdentifier.init), values))
    }

    /// Adds a node for an untracked operand; small constants always show their value.
    @discardableResult
    mutating func addConstant(_ tensor: Tensor, outputLabels: [String], scopePath: [String] = []) -> String {
        let id = "c\(nodes.count(where: { $0.kind == .constant }))"
        let small = tensor.scalarCount <= options.maxShownValues
        nodes.append(DiagramNode(id: id, kind: .constant, operations: [], derivativeOrder: nil, scopePath: scopePath,
                                 shape: tensor.shape, shownValue: small ? tensor.scalars : nil,
                                 outputLabels: outputLabels, memberCount: 0))
        return id
    }

    /// Merges each element-wise operation into its only user when that user is element-wise too,
    /// was recorded by the same pass in the same scope, and has not already taken in another
    /// operand: so only straight chains merge, never whole trees.
    mutating func collapseChains() {
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        var users: [String: Set<String>] = [:]
        for edge in edges { users[edge.from, default: []].insert(edge.to) }
        var representative: [String: String] = [:]
        var absorbedOne: Set<String> = []
        for node in nodes.reversed() {
            representative[node.id] = node.id
            guard Self.collapsible(node), node.outputLabels.isEmpty,
                  let onlyUser = users[node.id], onlyUser.count == 1,
                  let user = byID[onlyUser.first!], Self.collapsible(user),
                  user.derivativeOrder == node.derivativeOrder, user.scopePath == node.scopePath,
                  absorbedOne.insert(user.id).inserted
            else { continue }
            representative[node.id] = representative[user.id]!
        }
        var members: [String: [DiagramNode]] = [:]
        for node in nodes { members[representative[node.id]!, default: []].append(node) }
        nodes = nodes.compactMap { node in
            guard representative[node.id] == node.id else { return nil }
            let group = members[node.id]!
            return DiagramNode(id: node.id, kind: node.kind, operations: group.flatMap(\.operations),
                               isElementwise: group.allSatisfy(\.isElementwise), name: node.name,
                               derivativeOrder: node.derivativeOrder, scopePath: node.scopePath,
                               differentiatedScopePath: node.differentiatedScopePath, shape: node.shape,
                               shownValue: node.shownValue, shownGradient: node.shownGradient,
                               outputLabels: node.outputLabels,
                               inputs: group.flatMap(\.inputs).filter { input in !group.contains { $0.id == input } },
                               kept: group.flatMap(\.kept),
                               memberCount: group.count)
        }
        edges = edges.compactMap { edge in
            let (from, to) = (representative[edge.from]!, representative[edge.to]!)
            return from == to ? nil : DiagramEdge(from: from, to: to, shape: edge.shape)
        }
    }

    static func collapsible(_ node: DiagramNode) -> Bool {
        node.kind == .operation && node.isElementwise
    }
}

/// Counts each piece of tensor memory once: at the first node (in inputs-first order) that holds it.
struct MemoryLedger {
    private var seen: Set<ObjectIdentifier> = []

    /// The kept tensor, counted here when no earlier node holds the same memory.
    mutating func keep(_ tensor: Tensor, role: String) -> KeptTensor {
        let first = seen.insert(tensor.storageIdentifier).inserted
        return KeptTensor(role: role, shape: tensor.shape, bytes: tensor.storageByteCount, isCounted: first)
    }
}
