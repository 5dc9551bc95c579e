extension Diagram {
    /// The summarised view of a big graph: one box per scope (down to `depth` levels of named
    /// scopes) and derivative order, the unscoped variables as one box, and constants left out
    /// unless they are outputs.
    ///
    /// With `splitBackwardPasses`, a backward pass recorded in one scope gets one box per
    /// top-level scope it runs back through ("through inner step 2"), drawn in that scope's
    /// column, and its arrows back to earlier columns run against the layout direction. Arrows
    /// between boxes stand for all arrows of the full graph between their members and carry
    /// that count; each box says how many operations it holds. Memory and node counts add up to
    /// the full graph's. With `splitBackwardPasses`, columns run left to right (see `ColumnLayout`).
    public func overview(depth: Int = 2, splitBackwardPasses: Bool = true) -> Diagram {
        let inputs = nodes.filter { $0.kind == .variable && $0.scopePath.isEmpty }.compactMap(\.name)
        let inputsTitle = inputs.count <= 4 ? inputs.joined(separator: ", ") : "\(inputs.count) inputs"
        let keys = Dictionary(uniqueKeysWithValues: nodes.map {
            ($0.id, Self.overviewKey($0, depth: depth, split: splitBackwardPasses, inputsTitle: inputsTitle))
        })
        // Constants are left out, except an output (a derivative that no longer depends on the inputs).
        let regrouping = Regrouping(source: self) { node in
            keys[node.id]!.map(Placement.group) ?? (node.kind == .constant && !node.outputLabels.isEmpty ? .keep : .drop)
        }
        var options = options
        options.collapseElementwiseChains = false
        // Backward passes drawn under the columns they run back through need the columns;
        // one box per pass reads best as a chain from left to right.
        if splitBackwardPasses { options.rankDirection = .topToBottom }
        return regrouping.diagram(options: options, columns: splitBackwardPasses).withDistinctGroupTitles().settled()
    }

    /// The overview, titled after this diagram ("…, overview").
    public func titledOverview(splitBackwardPasses: Bool = true) -> Diagram {
        overview(splitBackwardPasses: splitBackwardPasses).retitled(options.title.map { $0 + ", overview" })
    }

    /// The group a box belongs to in the overview, or nil for constants.
    static func overviewKey(_ node: DiagramNode, depth: Int, split: Bool, inputsTitle: String) -> GroupKey? {
        guard node.kind != .constant, let order = node.derivativeOrder else { return nil }
        if node.kind == .variable, node.scopePath.isEmpty, order == 0 {
            return GroupKey(title: inputsTitle, scopePath: [], order: 0, column: "")
        }
        let scope = Array(node.scopePath.prefix(depth))
        if split, order > 0, let source = node.differentiatedScopePath.first, source != node.scopePath.first {
            return GroupKey(title: "through\n\(source)", scopePath: scope, order: order, column: source, runsBack: true)
        }
        guard let last = scope.last else {
            return GroupKey(title: OrderStyle.passName(order), scopePath: [], order: order, column: "order \(order)")
        }
        return GroupKey(title: last, scopePath: Array(scope.dropLast()), order: order, column: scope[0])
    }

    /// One top-level scope in full (for MAML, one inner step): its boxes as they are, each part
    /// (sub-scope) a column; the boxes of backward passes that run back through it, one group per
    /// part they differentiate ("through support loss"), in a row below; and the boxes outside
    /// that feed or read either, grouped as in the overview.
    ///
    /// Throws `DiagramError.invalidSetting` when no box is in a scope of that name.
    public func detail(ofScope name: String) throws -> Diagram {
        guard nodes.contains(where: { $0.scopePath.first == name }) else {
            let names = Set(nodes.compactMap(\.scopePath.first)).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw DiagramError.invalidSetting("the diagram has no scope named \"\(name)\"; its scopes are \(names)")
        }
        let members = Set(nodes.filter { $0.scopePath.first == name }.map(\.id))
        let backward = Set(nodes.filter {
            $0.scopePath.first != name && $0.differentiatedScopePath.first == name && ($0.derivativeOrder ?? 0) > 0
        }.map(\.id))
        var neighbours: Set<String> = []
        for edge in edges {
            let (fromInside, toInside) = (members.contains(edge.from) || backward.contains(edge.from),
                                          members.contains(edge.to) || backward.contains(edge.to))
            if toInside, !fromInside { neighbours.insert(edge.from) }
            if fromInside, !toInside { neighbours.insert(edge.to) }
        }
        let inputs = nodes.filter { $0.kind == .variable && $0.scopePath.isEmpty }.compactMap(\.name)
        let inputsTitle = inputs.count <= 4 ? inputs.joined(separator: ", ") : "\(inputs.count) inputs"
        // The scope's parts become top-level clusters (the title names the scope): Graphviz keeps
        // the order of top-level columns, not of clusters nested in another.
        let flattened = Diagram(nodes: nodes.map { node in
            members.contains(node.id) && node.scopePath.count > 1 ? node.withScopePath(Array(node.scopePath.dropFirst())) : node
        }, edges: edges, options: options)
        var regrouping = Regrouping(source: flattened) { node in
            if members.contains(node.id) { return .keep }
            if backward.contains(node.id) {
                let part = node.differentiatedScopePath.dropFirst().first ?? name
                return .group(GroupKey(title: "through\n\(part)", scopePath: Array(node.scopePath.prefix(1)),
                                       order: node.derivativeOrder ?? 0, column: part, runsBack: true))
            }
            guard neighbours.contains(node.id),
                  let key = Self.overviewKey(node, depth: 2, split: true, inputsTitle: inputsTitle) else { return .drop }
            // Boxes of other scopes take no column: they sit where their arrows pull them.
            return .group(key.runsBack ? key : GroupKey(title: key.title, scopePath: key.scopePath, order: key.order, column: ""))
        }
        // Each part of the scope (support loss, gradient, update) is a column of its own, in
        // the place of the scope among the others, all in the order they were computed.
        regrouping.keptColumn = { node in node.scopePath.first ?? name }
        var order: [String] = []
        for node in nodes {
            guard let scope = node.scopePath.first else { continue }
            let column = scope == name ? (node.scopePath.count > 1 ? node.scopePath[1] : name) : scope
            if !order.contains(column) { order.append(column) }
        }
        regrouping.columnOrder = order
        var options = options
        options.rankDirection = .topToBottom
        return regrouping.diagram(options: options, columns: true).withDistinctGroupTitles().settled()
    }

    /// Groups that would read the same in the same cluster get their derivative order added.
    func withDistinctGroupTitles() -> Diagram {
        var seen: [String: Int] = [:]
        for node in nodes where node.kind == .group { seen[(node.scopePath + [node.name ?? ""]).joined(separator: "/"), default: 0] += 1 }
        let renamed = nodes.map { node -> DiagramNode in
            guard node.kind == .group, seen[(node.scopePath + [node.name ?? ""]).joined(separator: "/"), default: 0] > 1,
                  let order = node.derivativeOrder else { return node }
            return DiagramNode(id: node.id, kind: node.kind, operations: node.operations, isElementwise: node.isElementwise,
                               name: (node.name ?? "") + " (order \(order))", derivativeOrder: node.derivativeOrder,
                               scopePath: node.scopePath, shape: node.shape, outputLabels: node.outputLabels,
                               kept: node.kept, memberCount: node.memberCount)
        }
        return Diagram(nodes: renamed, edges: edges, options: options, hints: hints)
    }
}
