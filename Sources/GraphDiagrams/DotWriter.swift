import Foundation

/// Writes diagram nodes and edges as DOT text for Graphviz's `dot` layout.
///
/// Only plain (string) labels are used: record- and HTML-shaped labels leak memory in libgvc.
/// Every text is at least `DotWriter.textSize` points before any scaling, so the smallest text
/// on a slide is that size times the slide's scale. Arrows carry no label unless they stand for
/// several arrows of the full graph (a count) or shapes are asked for (non-scalar shapes only).
struct DotWriter {
    let nodes: [DiagramNode]
    let edges: [DiagramEdge]
    let options: DiagramOptions
    /// Rows, orderings and arrow kinds of an overview (empty for a full graph).
    var hints = LayoutHints()

    /// The size of every text but the title, in points.
    static let textSize = 14
    /// The title's size, in points.
    static let titleSize = 20

    func text() -> String {
        var lines = ["digraph computation {"]
        lines.append("  graph [" + graphAttributes() + "];")
        lines.append("  node [fontname=\"Helvetica\", fontsize=\(Self.textSize), shape=box, style=\"rounded,filled\", "
            + "margin=\"0.09,0.03\", width=0.3, height=0.3];")
        lines.append("  edge [fontname=\"Helvetica\", fontsize=\(Self.textSize), fontcolor=\"#333333\", color=\"#555555\", "
            + "arrowsize=0.7, penwidth=1.2];")
        // The legend comes first: Graphviz orders each rank from the declarations, and a legend
        // declared last can pull the inputs out of their place.
        lines += Legend(nodes: nodes, edges: edges, direction: options.rankDirection, asColumn: hints.legendAsColumn).lines()
        let tree = ScopeTree(nodes)
        lines += clusterLines(tree: tree, depth: 1)
        let rankOf = Dictionary(hints.sameRank.enumerated().flatMap { rank, ids in ids.map { ($0, rank) } }) { first, _ in first }
        let orders = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.derivativeOrder ?? 0) })
        let inputs = Set(nodes.filter { $0.kind == .group && $0.scopePath.isEmpty && $0.operations.allSatisfy { $0 == "variable" } }.map(\.id))
        for (index, edge) in edges.enumerated() {
            var arrow = EdgeStyle(edge: edge, headOrder: orders[edge.to] ?? 0)
            arrow.fromInputs = inputs.contains(edge.from)
            arrow.backward = hints.backwardEdges.contains(index)
            arrow.loose = hints.looseEdges.contains(index)
            arrow.flat = rankOf[edge.from] != nil && rankOf[edge.from] == rankOf[edge.to]
            arrow.clusterHead = hints.clusterHeads[index].flatMap(tree.index(of:))
            arrow.clusterTail = hints.clusterTails[index].flatMap(tree.index(of:))
            lines.append("  " + edgeLine(arrow))
        }
        for group in hints.sameRank where group.count > 1 {
            lines.append("  { rank=same; " + group.map { "\($0);" }.joined(separator: " ") + " }")
        }
        for stack in hints.stacks where stack.count > 1 {
            lines.append("  " + stack.joined(separator: " -> ") + " [style=invis];")
        }
        for chain in hints.orderingChains where chain.count > 1 {
            lines.append("  " + chain.joined(separator: " -> ") + " [style=invis];")
        }
        if !hints.spine.isEmpty {
            let points = hints.spine.indices.map { "spine\($0)" }
            lines += points.map { "  \($0) [shape=point, style=invis, width=0, height=0, label=\"\"];" }
            lines.append("  { rank=same; " + points.map { "\($0);" }.joined(separator: " ") + " }")
            lines.append("  " + points.joined(separator: " -> ") + " [style=invis];")
            lines += zip(points, hints.spine).map { "  \($0) -> \($1) [style=invis, weight=20];" }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    func graphAttributes() -> String {
        var attributes = ["rankdir=\(options.rankDirection.rawValue)", "fontname=\"Helvetica\"", "nodesep=0.18",
                          "ranksep=0.25", "pad=0.15", "bgcolor=\"white\"", "newrank=true", "forcelabels=true"]
        if !hints.clusterHeads.isEmpty || !hints.clusterTails.isEmpty { attributes.append("compound=true") }
        // Keep the declared column order: a second crossing-minimisation pass over the
        // clusters would shuffle the columns of an overview.
        if !hints.orderingChains.isEmpty || !hints.spine.isEmpty { attributes.append("remincross=false") }
        if hints.variant & 2 != 0 { attributes.append("mclimit=0.01") }
        if let title = options.title {
            attributes += ["label=\(quoted(title))", "labelloc=t", "fontsize=\(Self.titleSize)"]
        }
        return attributes.joined(separator: ", ")
    }

    /// The nodes of one scope (and, nested inside, its sub-scopes) as DOT clusters, in order of
    /// first appearance: Graphviz starts its ordering from the order of declaration.
    func clusterLines(tree: ScopeTree, depth: Int) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        var lines: [String] = []
        // Variant 1 declares the top-level entries last to first (see `Diagram.settled()`).
        for entry in depth == 1 && hints.variant & 1 != 0 ? tree.entries.reversed() : tree.entries {
            switch entry {
            case .node(let node):
                lines.append(indent + nodeLine(node))
            case .child(let index):
                let child = tree.children[index]
                var title = child.name
                if options.showMemory {
                    let bytes = child.allNodes.reduce(0) { $0 + $1.keptBytes }
                    if bytes > 0 { title += " · keeps \(byteText(bytes))" }
                }
                lines.append(indent + "subgraph cluster_\(child.index) {")
                lines.append(indent + "  label=\(quoted(title)); fontsize=\(Self.textSize); style=\"rounded,filled\"; "
                    + "fillcolor=\"#f6f6f4\"; color=\"#9a9a9a\"; fontcolor=\"#222222\"; penwidth=1;")
                lines += clusterLines(tree: child, depth: depth + 1)
                lines.append(indent + "}")
            }
        }
        return lines
    }

    func nodeLine(_ node: DiagramNode) -> String {
        var attributes = ["label=\(quoted(label(node)))"]
        switch node.kind {
        case .constant:
            attributes += ["style=\"rounded,filled,dotted\"", "fillcolor=\"#ffffff\"", "color=\"#8a8a8a\"", "fontcolor=\"#444444\""]
        case .variable:
            attributes += OrderStyle(order: node.derivativeOrder ?? 0).attributes(rounded: false)
        case .operation, .group:
            attributes += OrderStyle(order: node.derivativeOrder ?? 0).attributes(rounded: true)
        }
        if !node.outputLabels.isEmpty { attributes.append("peripheries=2") }
        return "\(node.id) [\(attributes.joined(separator: ", "))];"
    }

    /// An arrow. Counts label arrows into a backward pass (what it reads of the computation,
    /// leaving out the many reads of the inputs, which the arrows' widths show); shapes, when asked,
    /// label arrows carrying more than a number. A label on an arrow that sets no rank (flat
    /// or loose) is placed after layout (`xlabel`): libgvc 2.42 corrupts its heap when it
    /// frees the layout of labelled flat edges.
    func edgeLine(_ arrow: EdgeStyle) -> String {
        let edge = arrow.edge
        var attributes: [String] = []
        let label = arrow.flat || arrow.loose ? "xlabel" : "label"
        if edge.count > 1 {
            if arrow.headOrder > 0, !arrow.fromInputs { attributes.append("\(label)=\(quoted("×\(edge.count)"))") }
            attributes.append("penwidth=\((1.2 + min(Double(edge.count), 40).squareRoot() / 2).formattedForDOT)")
        } else if options.showShapes, !edge.shape.isEmpty {
            attributes.append("\(label)=\(quoted("[" + shapeText(edge.shape) + "]"))")
        }
        let (tail, head) = arrow.backward ? (edge.to, edge.from) : (edge.from, edge.to)
        if arrow.backward { attributes.append("dir=back") }
        if arrow.loose { attributes.append("constraint=false") }
        if let cluster = arrow.clusterHead { attributes.append(arrow.backward ? "ltail=cluster_\(cluster)" : "lhead=cluster_\(cluster)") }
        if let cluster = arrow.clusterTail { attributes.append(arrow.backward ? "lhead=cluster_\(cluster)" : "ltail=cluster_\(cluster)") }
        return "\(tail) -> \(head)" + (attributes.isEmpty ? ";" : " [\(attributes.joined(separator: ", "))];")
    }

    /// The text in a box: output names, then what the box is, then values and memory.
    func label(_ node: DiagramNode) -> String {
        // A group names its output when it has one, and counts them when it has several.
        let manyOutputs = node.kind == .group && node.outputLabels.count > 1
        let namedByOutput = node.kind == .group && node.outputLabels.count == 1
        var lines = manyOutputs ? [] : node.outputLabels
        switch node.kind {
        case .constant:
            lines.append(node.shownValue.map(valuesText) ?? "constant \(shapeText(node.shape))")
        case .variable:
            let name = node.name ?? (node.operations == ["identity"] ? "tracked input" : "variable")
            lines.append(node.shape.isEmpty ? name : "\(name) (\(shapeText(node.shape)))")
        case .operation:
            lines.append(node.operations.count > 3
                ? "\(node.operations.first!) → … → \(node.operations.last!) (\(node.operations.count) ops)"
                : node.operations.joined(separator: " → "))
        case .group:
            if !namedByOutput { lines.append(node.name ?? "operations") }
            var counts: [String] = []
            let operations = node.operations.count(where: { $0 != "variable" && $0 != "identity" })
            if operations > 0 { counts.append(operations == 1 ? "1 op" : "\(operations) ops") }
            if manyOutputs { counts.append("\(node.outputLabels.count) outputs") }
            let count = counts.joined(separator: ", ")
            // A short title and its count share a line ("f″ · 15 ops"): flatter boxes.
            if !count.isEmpty, let title = lines.last, lines.count == 1, title.count + count.count <= 11 {
                lines[0] = title + " · " + count
            } else if !count.isEmpty {
                lines.append(count)
            }
        }
        if node.kind != .constant, let value = node.shownValue {
            lines.append(node.shownGradient.map { "data \(valuesText(value)) │ grad \(valuesText($0))" } ?? "= " + valuesText(value))
        }
        if options.showMemory, node.kind != .constant, node.keptBytes > 0 { lines.append("keeps \(byteText(node.keptBytes))") }
        return lines.joined(separator: "\n")
    }
}

/// DOT string literal: quotes and backslashes escaped, line breaks as `\n`.
func quoted(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n")
    return "\"" + escaped + "\""
}

/// How one arrow is drawn.
struct EdgeStyle {
    let edge: DiagramEdge
    /// The derivative order of the box it points into.
    let headOrder: Int
    /// Whether it starts at the group of unscoped inputs.
    var fromInputs = false
    /// Drawn head-first, against the layout direction.
    var backward = false
    /// Sets no rank (`constraint=false`).
    var loose = false
    /// Both ends in one rank.
    var flat = false
    /// The cluster whose border it ends at, if any.
    var clusterHead: Int?
    /// The cluster whose border it starts at, if any.
    var clusterTail: Int?
}
