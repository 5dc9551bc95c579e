/// The key to a diagram: one box per derivative order present, drawn exactly as that order's
/// boxes are (fill, border colour, border style), in a row above the drawing or a column
/// beside it.
struct Legend {
    let nodes: [DiagramNode]
    let edges: [DiagramEdge]
    let direction: RankDirection
    /// A column beside the drawing instead of a row above it.
    var asColumn = false

    /// The entries, each as DOT attributes: the orders present, then constants and counts when used.
    func entries() -> [String] {
        let orders = Set(nodes.compactMap(\.derivativeOrder)).sorted()
        var entries = orders.map { order in
            (["label=\(quoted(OrderStyle.legendName(order)))"] + OrderStyle(order: order).attributes(rounded: true))
                .joined(separator: ", ")
        }
        if nodes.contains(where: { $0.kind == .constant }) {
            entries.append("label=\"constant\", style=\"rounded,filled,dotted\", fillcolor=\"#ffffff\", color=\"#8a8a8a\"")
        }
        if edges.contains(where: { $0.count > 1 }) {
            entries.append("label=\"×n: stands for\\nn arrows\", shape=plaintext, style=\"\"")
        }
        return entries
    }

    /// The most entries in one row of a top-to-bottom legend.
    static let rowLength = 4

    /// The legend as DOT lines. A row runs across ranks when ranks run left to right (a chain
    /// of invisible arrows), and is rows of at most `rowLength` one-rank entries when they run
    /// downwards, kept above the drawing by invisible arrows to every box without inputs. A
    /// column is the same turned: one rank left of the drawing, or a chain down the ranks.
    func lines() -> [String] {
        let entries = entries()
        guard !entries.isEmpty else { return [] }
        var lines = ["  subgraph cluster_legend {", "    label=\"\"; style=\"invis\"; margin=4;"]
        for (i, entry) in entries.enumerated() { lines.append("    legend\(i) [\(entry)];") }
        let names = entries.indices.map { "legend\($0)" }
        let acrossRanks = (direction == .leftToRight) != asColumn
        if acrossRanks {
            if names.count > 1 { lines.append("    " + names.joined(separator: " -> ") + " [style=invis];") }
            lines.append("  }")
            return lines
        }
        let length = asColumn ? names.count : Self.rowLength
        let rows = stride(from: 0, to: names.count, by: length).map { Array(names[$0..<min($0 + length, names.count)]) }
        for row in rows where row.count > 1 {
            lines.append("    { rank=same; " + row.map { "\($0);" }.joined(separator: " ") + " }")
            // Within a rank Graphviz orders flat arrows' heads first when ranks run left to
            // right: chained backwards, the column reads downwards from order 0.
            lines.append("    " + (direction == .leftToRight ? row.reversed() : row).joined(separator: " -> ") + " [style=invis];")
        }
        for (upper, lower) in zip(rows, rows.dropFirst()) { lines.append("    \(upper[0]) -> \(lower[0]) [style=invis];") }
        lines.append("  }")
        let fed = Set(edges.map(\.to))
        let last = rows.last![0]
        lines += nodes.filter { !fed.contains($0.id) }.map { "  \(last) -> \($0.id) [style=invis];" }
        return lines
    }
}
