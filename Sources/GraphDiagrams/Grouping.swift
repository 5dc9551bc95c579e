/// Where a box of a full diagram goes in a summarised one.
enum Placement: Equatable {
    /// Drawn as itself.
    case keep
    /// Left out, with its arrows.
    case drop
    /// Merged into the group with this key.
    case group(GroupKey)
}

/// What identifies a group of boxes: its title, the clusters around it, its derivative order,
/// and the column it is drawn in (boxes of one column share a rank).
struct GroupKey: Hashable {
    let title: String
    let scopePath: [String]
    let order: Int
    let column: String
    /// Whether the group is a backward pass drawn under the column it runs back through.
    var runsBack = false
}

/// Builds a diagram in which some boxes of another are merged into groups: a group's arrows are
/// the arrows of its members, merged per pair of boxes and counted.
struct Regrouping {
    let source: Diagram
    let placement: (DiagramNode) -> Placement
    /// The column of a box kept as itself, when the result is laid out in columns.
    var keptColumn: (DiagramNode) -> String? = { _ in nil }
    /// The columns in computation order, when the layout should follow it.
    var columnOrder: [String] = []

    /// The regrouped diagram; with `columns`, laid out in columns (see `ColumnLayout`): groups
    /// by their keys, kept boxes by `keptColumn`.
    func diagram(options: DiagramOptions, columns: Bool) -> Diagram {
        var placements: [String: Placement] = [:]
        var groupOrder: [GroupKey] = []
        var members: [GroupKey: [DiagramNode]] = [:]
        for node in source.nodes {
            let place = placement(node)
            placements[node.id] = place
            if case .group(let key) = place {
                if members[key] == nil { groupOrder.append(key) }
                members[key, default: []].append(node)
            }
        }
        let groupIDs = Dictionary(uniqueKeysWithValues: groupOrder.enumerated().map { ($1, "g\($0)") })
        func target(_ id: String) -> String? {
            switch placements[id] {
            case .keep: id
            case .group(let key): groupIDs[key]
            case .drop, nil: nil
            }
        }
        var nodes: [DiagramNode] = []
        var groupsEmitted: Set<GroupKey> = []
        for node in source.nodes {
            switch placements[node.id]! {
            case .keep: nodes.append(node)
            case .drop: continue
            case .group(let key):
                guard groupsEmitted.insert(key).inserted else { continue }
                nodes.append(Self.groupNode(id: groupIDs[key]!, key: key, members: members[key]!))
            }
        }
        var edges: [DiagramEdge] = []
        var counts: [String: Int] = [:]
        var firstShape: [String: [Int]] = [:]
        var pairOrder: [(String, String)] = []
        for edge in source.edges {
            guard let from = target(edge.from), let to = target(edge.to), from != to else { continue }
            let kept = placements[edge.from] == .keep && placements[edge.to] == .keep
            if kept {
                edges.append(edge)
                continue
            }
            let pair = from + "→" + to
            if counts[pair] == nil { pairOrder.append((from, to)); firstShape[pair] = edge.shape }
            counts[pair, default: 0] += edge.count
        }
        for (from, to) in pairOrder {
            let pair = from + "→" + to
            edges.append(DiagramEdge(from: from, to: to, shape: firstShape[pair]!, count: counts[pair]!))
        }
        guard columns else { return Diagram(nodes: nodes, edges: edges, options: options) }
        var columnOf = Dictionary(uniqueKeysWithValues: groupOrder.map { (groupIDs[$0]!, $0.column) })
        for node in nodes where placements[node.id] == .keep { columnOf[node.id] = keptColumn(node) }
        var layout = ColumnLayout(nodes: nodes, edges: edges, columnOf: columnOf,
                                  backwardRow: Set(groupOrder.filter(\.runsBack).map { groupIDs[$0]! }))
        layout.preferredOrder = columnOrder
        return Diagram(nodes: layout.orderedNodes(), edges: layout.mergedEdges(), options: options, hints: layout.hints())
    }

    /// One box for a group: the members' operations, outputs and kept tensors.
    static func groupNode(id: String, key: GroupKey, members: [DiagramNode]) -> DiagramNode {
        return DiagramNode(id: id, kind: .group, operations: members.flatMap(\.operations),
                           isElementwise: members.allSatisfy(\.isElementwise), name: key.title, derivativeOrder: key.order,
                           scopePath: key.scopePath, shape: [], outputLabels: members.flatMap(\.outputLabels),
                           kept: members.flatMap(\.kept),
                           memberCount: members.reduce(0) { $0 + max($1.memberCount, 1) })
    }
}
