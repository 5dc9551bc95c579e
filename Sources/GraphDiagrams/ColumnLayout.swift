/// Layout requests beyond the nodes and edges: where the legend goes, and for overviews drawn
/// in columns, their rows, orderings and arrow kinds.
struct LayoutHints: Sendable, Equatable {
    /// Node identifiers placed in one rank (a row, top to bottom), per set.
    var sameRank: [[String]] = []
    /// Node identifiers kept in this order within their rank, by invisible edges.
    var orderingChains: [[String]] = []
    /// The first box of each column, left to right: held in place by a row of invisible points
    /// above them (Graphviz keeps the order of a chain of plain nodes, not of nodes in clusters).
    var spine: [String] = []
    /// Boxes kept one under the other in this order, by invisible arrows (a column whose boxes
    /// do not feed each other, as in first-order MAML, still stacks).
    var stacks: [[String]] = []
    /// Indices into the edges of those drawn head-first (against the layout direction).
    var backwardEdges: Set<Int> = []
    /// Indices into the edges of those that do not push their head a rank further.
    var looseEdges: Set<Int> = []
    /// Edges that end at the border of a cluster, by edge index: the cluster's scope path.
    var clusterHeads: [Int: [String]] = [:]
    /// Edges that start at the border of a cluster, by edge index: the cluster's scope path.
    var clusterTails: [Int: [String]] = [:]
    /// The legend as a column beside the drawing rather than a row above it.
    var legendAsColumn = false
    /// How the DOT text is declared (0...3): Graphviz's crossing minimisation starts from the
    /// declaration order and may leave columns out of order; `Diagram.settled()` picks one that
    /// keeps them in order.
    var variant = 0
}

/// An overview's groups in columns, one per top-level scope in order of computation: each
/// column's own boxes stack downwards in the order they feed each other, the first box of every
/// column sits in the top row (under the unscoped inputs, which take no column), and boxes of a backward pass that runs back through a column
/// ("through inner step 2") sit in one row below everything, under the column they
/// differentiate, with their arrows running right to left.
///
/// Arrows from one box into several boxes of a one-column cluster merge into one arrow to the
/// cluster's border (an inner step reads θ), and arrows from several boxes of such a cluster
/// into one backward box merge into one arrow from its border (what the meta-gradient reads
/// of an inner step), counted.
struct ColumnLayout {
    let nodes: [DiagramNode]
    var edges: [DiagramEdge]
    /// Each group's column key (its top-level scope, or the scope it runs back through).
    let columnOf: [String: String]
    /// The groups of backward passes drawn in the bottom row.
    let backwardRow: Set<String>
    /// Columns in the order they are computed, when known (the rest follow as they appear).
    var preferredOrder: [String] = []
    private(set) var clusterHeads: [Int: [String]] = [:]
    private(set) var clusterTails: [Int: [String]] = [:]

    init(nodes: [DiagramNode], edges: [DiagramEdge], columnOf: [String: String], backwardRow: Set<String>) {
        self.nodes = nodes
        self.edges = edges
        self.columnOf = columnOf
        self.backwardRow = backwardRow
    }

    /// Whether a box is a backward pass drawn under the column it runs back through.
    func isBackwardRow(_ node: DiagramNode) -> Bool { backwardRow.contains(node.id) }

    /// The columns left to right: `preferredOrder` first, then the others as they appear.
    var columnOrder: [String] {
        var order = preferredOrder.filter { column in nodes.contains { columnOf[$0.id] == column } }
        for node in nodes { if let column = columnOf[node.id], !order.contains(column) { order.append(column) } }
        return order
    }

    /// Each column's own boxes, top to bottom.
    var stacks: [String: [String]] {
        var stacks: [String: [String]] = [:]
        for node in nodes where !isBackwardRow(node) { if let column = columnOf[node.id] { stacks[column, default: []].append(node.id) } }
        return stacks
    }

    /// The edges, with arrows between a box and several boxes of a one-column cluster merged.
    /// An arrow into a cluster points at the box level with its tail (θ from one update to the
    /// next runs straight across); an arrow out of one leaves from its last box.
    mutating func mergedEdges() -> [DiagramEdge] {
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        let stacks = self.stacks
        var clusterColumns: [[String]: Set<String>] = [:]
        var members: [[String]: [String]] = [:]
        for node in nodes where !node.scopePath.isEmpty {
            clusterColumns[node.scopePath, default: []].insert(columnOf[node.id] ?? "")
            if !isBackwardRow(node) { members[node.scopePath, default: []].append(node.id) }
        }
        let oneColumn = { (path: [String]) in !path.isEmpty && clusterColumns[path]?.count == 1 }
        func level(_ id: String) -> Int? { columnOf[id].flatMap { stacks[$0]?.firstIndex(of: id) } }
        var merged: [DiagramEdge] = []
        var mergedIndex: [String: Int] = [:]
        for edge in edges {
            guard let tail = byID[edge.from], let head = byID[edge.to], tail.scopePath != head.scopePath else {
                merged.append(edge)
                continue
            }
            let key: String, replacement: DiagramEdge
            if oneColumn(head.scopePath), !isBackwardRow(tail), !isBackwardRow(head), let inside = members[head.scopePath] {
                key = edge.from + "→[" + head.scopePath.joined(separator: "/")
                let target = level(edge.from).flatMap { inside.indices.contains($0) ? inside[$0] : nil } ?? inside[0]
                replacement = DiagramEdge(from: edge.from, to: target, shape: edge.shape, count: edge.count)
            } else if oneColumn(tail.scopePath), isBackwardRow(head), let inside = members[tail.scopePath] {
                key = "[" + tail.scopePath.joined(separator: "/") + "]→" + edge.to
                replacement = DiagramEdge(from: inside[inside.count - 1], to: edge.to, shape: edge.shape, count: edge.count)
            } else {
                merged.append(edge)
                continue
            }
            if let index = mergedIndex[key] {
                let old = merged[index]
                merged[index] = DiagramEdge(from: old.from, to: old.to, shape: old.shape, count: old.count + edge.count)
            } else {
                mergedIndex[key] = merged.count
                if key.hasPrefix("[") { clusterTails[merged.count] = tail.scopePath } else { clusterHeads[merged.count] = head.scopePath }
                merged.append(replacement)
            }
        }
        edges = merged
        return merged
    }

    /// The boxes in drawing order: each column's own boxes, column by column, then the boxes
    /// that run back through a column, in column order (Graphviz orders from declarations).
    func orderedNodes() -> [DiagramNode] {
        let columns = columnOrder
        let forward = columns.flatMap { column in nodes.filter { columnOf[$0.id] == column && !isBackwardRow($0) } }
        let backward = columns.flatMap { column in nodes.filter { columnOf[$0.id] == column && isBackwardRow($0) } }
        let placed = Set((forward + backward).map(\.id))
        return forward + backward + nodes.filter { !placed.contains($0.id) }
    }

    /// Rows, orderings, loose and reversed arrows for `edges`.
    func hints() -> LayoutHints {
        var hints = LayoutHints()
        hints.clusterHeads = clusterHeads
        hints.clusterTails = clusterTails
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        let columns = columnOrder
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        var heads: [String] = []
        for column in columns where !column.isEmpty {
            if let first = nodes.first(where: { columnOf[$0.id] == column && !isBackwardRow($0) }) { heads.append(first.id) }
        }
        let backward = columns.flatMap { column in nodes.filter { columnOf[$0.id] == column && isBackwardRow($0) }.map(\.id) }
        hints.sameRank = [heads, backward].filter { $0.count > 1 }
        hints.spine = heads.count > 1 ? heads : []
        // Groups stack by invisible arrows; boxes drawn in full stack by their own arrows.
        let groups = Set(nodes.filter { $0.kind == .group }.map(\.id))
        hints.stacks = columns.filter { !$0.isEmpty }.compactMap { stacks[$0]?.filter(groups.contains) }.filter { $0.count > 1 }
        hints.orderingChains = backward.count > 1 ? [backward] : []
        for (index, edge) in edges.enumerated() {
            guard let tail = byID[edge.from], let head = byID[edge.to],
                  let from = columnOf[edge.from].flatMap({ position[$0] }), let to = columnOf[edge.to].flatMap({ position[$0] }) else { continue }
            let (tailBackward, headBackward) = (isBackwardRow(tail), isBackwardRow(head))
            if tailBackward && headBackward {
                if from > to { hints.backwardEdges.insert(index) }
            } else if (from != to && !(columnOf[edge.from] ?? "").isEmpty) || tailBackward {
                // Between columns, arrows do not set ranks: each column stacks on its own.
                if !(headBackward && !tailBackward) { hints.looseEdges.insert(index) }
            }
        }
        return hints
    }
}

extension Diagram {
    /// This diagram declared so that Graphviz keeps its columns in order, left to right: of the
    /// four declaration variants, the first whose layout puts the first box of each column (and
    /// the backward row) in order, else the one with the fewest pairs out of order; this one
    /// when layout fails.
    func settled() -> Diagram {
        let rows = ([hints.spine] + hints.orderingChains).filter { $0.count > 1 }
        guard !rows.isEmpty else { return self }
        var best: (diagram: Diagram, inversions: Int)?
        for variant in 0..<4 {
            var changed = hints
            changed.variant = variant
            let candidate = Diagram(nodes: nodes, edges: edges, options: options, hints: changed)
            guard let layout = try? candidate.layout() else { return self }
            let inversions = rows.reduce(0) { total, row in
                // Along a rank: left to right, or (ranks running left to right) top to bottom.
                let xs = row.map { id in layout.centres[id].map { options.rankDirection == .topToBottom ? $0.x : -$0.y } ?? 0 }
                return total + xs.indices.reduce(0) { sum, i in sum + xs[(i + 1)...].count(where: { $0 < xs[i] }) }
            }
            if inversions == 0 { return candidate }
            if best == nil || inversions < best!.inversions { best = (candidate, inversions) }
        }
        return best?.diagram ?? self
    }
}
