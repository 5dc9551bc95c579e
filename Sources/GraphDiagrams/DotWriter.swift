/// Writes diagram nodes and edges as DOT text for Graphviz's `dot` layout.
///
/// Only plain (string) labels are used: record- and HTML-shaped labels leak memory in libgvc.
/// Edge shapes are external labels (`xlabel` with `forcelabels=true`), which lay out safely
/// together with clusters.
struct DotWriter {
    let nodes: [DiagramNode]
    let edges: [DiagramEdge]
    let options: DiagramOptions

    func text() -> String {
        var lines = ["digraph computation {"]
        lines.append("  graph [" + graphAttributes() + "];")
        lines.append("  node [fontname=\"Helvetica\", fontsize=12, style=\"filled\", penwidth=1.3, margin=\"0.12,0.05\"];")
        lines.append("  edge [fontname=\"Helvetica\", fontsize=9, fontcolor=\"#555555\", color=\"#666666\", arrowsize=0.7];")
        lines += clusterLines(tree: ScopeTree(nodes), depth: 1)
        for edge in edges {
            lines.append("  \(edge.from) -> \(edge.to) [xlabel=\(quoted(shapeText(edge.shape)))];")
        }
        lines += legendLines()
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    func graphAttributes() -> String {
        var attributes = ["rankdir=\(options.rankDirection.rawValue)", "fontname=\"Helvetica\"", "forcelabels=true",
                          "nodesep=0.35", "ranksep=0.5", "pad=0.25", "bgcolor=\"white\"", "newrank=true"]
        if let title = options.title {
            attributes += ["label=\(quoted(title))", "labelloc=t", "fontsize=22"]
        }
        return attributes.joined(separator: ", ")
    }

    /// The nodes of one scope (and, nested inside, its sub-scopes) as DOT clusters.
    func clusterLines(tree: ScopeTree, depth: Int) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        var lines = tree.nodes.map { indent + nodeLine($0) }
        for child in tree.children {
            lines.append(indent + "subgraph cluster_\(child.index) {")
            lines.append(indent + "  label=\(quoted(child.name)); fontsize=14; style=\"rounded,dashed\"; color=\"#7a7a7a\"; fontcolor=\"#333333\";")
            lines += clusterLines(tree: child, depth: depth + 1)
            lines.append(indent + "}")
        }
        return lines
    }

    func nodeLine(_ node: DiagramNode) -> String {
        var attributes = ["label=\(quoted(label(node)))"]
        switch node.kind {
        case .constant:
            attributes += ["shape=box", "style=\"rounded,filled\"", "fillcolor=\"#f2f2f2\"", "color=\"#a0a0a0\"",
                           "fontcolor=\"#555555\"", "fontsize=10"]
        case .variable:
            let colours = OrderColours(order: node.derivativeOrder ?? 0)
            attributes += ["shape=box", "style=\"rounded,filled,bold\"", "fillcolor=\"\(colours.fill)\"", "color=\"\(colours.border)\""]
        case .operation:
            let colours = OrderColours(order: node.derivativeOrder ?? 0)
            attributes += ["shape=ellipse", "fillcolor=\"\(colours.fill)\"", "color=\"\(colours.border)\""]
        }
        if !node.outputLabels.isEmpty { attributes += ["peripheries=2", "fontsize=13"] }
        return "\(node.id) [\(attributes.joined(separator: ", "))];"
    }

    /// The text in a box: output names, then the variable name or operations, then value or shape.
    func label(_ node: DiagramNode) -> String {
        var lines = node.outputLabels
        switch node.kind {
        case .constant:
            lines.append(node.shownValue.map(valuesText) ?? "constant \(shapeText(node.shape))")
        case .variable:
            lines.append(node.name ?? (node.operations == ["identity"] ? "variable (tracked input)" : "variable"))
            lines.append(shapeText(node.shape))
        case .operation:
            lines.append(node.operations.count > 3
                ? "\(node.operations.first!) → … → \(node.operations.last!) (\(node.operations.count) ops)"
                : node.operations.joined(separator: " → "))
        }
        if node.kind != .constant, let value = node.shownValue { lines.append("= " + valuesText(value)) }
        return lines.joined(separator: "\n")
    }

    /// A key to the colours, one box per pass present, stacked in a cluster of its own.
    func legendLines() -> [String] {
        let orders = Set(nodes.compactMap(\.derivativeOrder)).sorted()
        var entries = orders.map { order -> String in
            let colours = OrderColours(order: order)
            return "label=\(quoted(OrderColours.passName(order))), fillcolor=\"\(colours.fill)\", color=\"\(colours.border)\""
        }
        if nodes.contains(where: { $0.kind == .constant }) {
            entries.append("label=\"constant\", fillcolor=\"#f2f2f2\", color=\"#a0a0a0\", fontcolor=\"#555555\"")
        }
        guard !entries.isEmpty else { return [] }
        var lines = ["  subgraph cluster_legend {",
                     "    label=\"derivative order\"; fontsize=13; style=\"rounded\"; color=\"#b0b0b0\"; fontcolor=\"#333333\";"]
        for (i, entry) in entries.enumerated() {
            lines.append("    legend\(i) [shape=box, style=\"rounded,filled\", fontsize=11, \(entry)];")
        }
        for i in entries.indices.dropLast() {
            lines.append("    legend\(i) -> legend\(i + 1) [style=invis];")
        }
        lines.append("  }")
        return lines
    }
}

/// DOT string literal: quotes and backslashes escaped, line breaks as `\n`.
func quoted(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n")
    return "\"" + escaped + "\""
}

/// Fill and border colours of one derivative order (colour-blind-friendly hues).
struct OrderColours {
    let fill: String
    let border: String

    init(order: Int) {
        (fill, border) = switch order {
        case 0: ("#dbe9f6", "#2f6ea5")
        case 1: ("#fde3c8", "#c76a12")
        case 2: ("#f6d0dc", "#a8234f")
        case 3: ("#dcefd6", "#3b7d2a")
        default: ("#e6dcf2", "#6a3d9a")
        }
    }

    /// "forward pass (order 0)", "first backward pass (order 1)", ...
    static func passName(_ order: Int) -> String {
        let ordinals = ["first", "second", "third"]
        switch order {
        case 0: return "forward pass (order 0)"
        case 1...3: return "\(ordinals[order - 1]) backward pass (order \(order))"
        default: return "backward pass \(order) (order \(order))"
        }
    }
}

/// Nodes grouped by scope path: the nodes outside any scope, and one child per scope name.
struct ScopeTree {
    var name = ""
    var index = 0
    var nodes: [DiagramNode] = []
    var children: [ScopeTree] = []

    /// Builds the tree; clusters are numbered in order of first appearance.
    init(_ all: [DiagramNode]) {
        var counter = 0
        for node in all { insert(node, remaining: node.scopePath[...], counter: &counter) }
    }

    private init(name: String, index: Int) {
        self.name = name
        self.index = index
    }

    private mutating func insert(_ node: DiagramNode, remaining: ArraySlice<String>, counter: inout Int) {
        guard let first = remaining.first else {
            nodes.append(node)
            return
        }
        if let i = children.firstIndex(where: { $0.name == first }) {
            children[i].insert(node, remaining: remaining.dropFirst(), counter: &counter)
        } else {
            var child = ScopeTree(name: first, index: counter)
            counter += 1
            child.insert(node, remaining: remaining.dropFirst(), counter: &counter)
            children.append(child)
        }
    }
}
