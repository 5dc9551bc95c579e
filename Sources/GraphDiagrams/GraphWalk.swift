import Autodiff

/// Turns the recorded graph behind some tensors into diagram nodes and edges.
///
/// Nodes are numbered in a depth-first post-order from the outputs (inputs before users), so
/// the same computation always gives the same DOT text.
struct GraphWalk {
    var nodes: [DiagramNode] = []
    var edges: [DiagramEdge] = []
    let options: DiagramOptions

    init(outputs: [Tensor], labels: [String], options: DiagramOptions) {
        self.options = options
        let order = GraphNode.postOrder(from: outputs.compactMap(\.node))
        var ids: [ObjectIdentifier: String] = [:]
        for (index, node) in order.enumerated() { ids[ObjectIdentifier(node)] = "n\(index)" }
        var outputLabels: [ObjectIdentifier: [String]] = [:]
        for (tensor, label) in zip(outputs, labels) {
            if let node = tensor.node {
                outputLabels[ObjectIdentifier(node), default: []].append(label)
            } else {
                addConstant(tensor, outputLabels: [label])
            }
        }
        for node in order {
            let id = ids[ObjectIdentifier(node)]!
            for input in node.inputs {
                if let producer = input.node {
                    edges.append(DiagramEdge(from: ids[ObjectIdentifier(producer)]!, to: id, shape: input.shape))
                } else if options.showConstants {
                    let constant = addConstant(input, outputLabels: [])
                    edges.append(DiagramEdge(from: constant, to: id, shape: input.shape))
                }
            }
            nodes.append(DiagramNode(
                id: id, kind: Self.kind(of: node), operations: [node.primitive.description],
                isElementwise: node.primitive.isElementwise, name: node.name,
                derivativeOrder: node.derivativeOrder, scopePath: node.scope?.path ?? [], shape: node.shape,
                shownValue: shownValue(node.value), outputLabels: outputLabels[ObjectIdentifier(node)] ?? []))
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

    /// Adds a node for an untracked operand; small constants always show their value.
    @discardableResult
    mutating func addConstant(_ tensor: Tensor, outputLabels: [String]) -> String {
        let id = "c\(nodes.count(where: { $0.kind == .constant }))"
        let small = tensor.scalarCount <= options.maxShownValues
        nodes.append(DiagramNode(id: id, kind: .constant, operations: [], isElementwise: false, name: nil, derivativeOrder: nil,
                                 scopePath: [], shape: tensor.shape, shownValue: small ? tensor.scalars : nil,
                                 outputLabels: outputLabels))
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
                               derivativeOrder: node.derivativeOrder, scopePath: node.scopePath, shape: node.shape,
                               shownValue: node.shownValue, outputLabels: node.outputLabels)
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
