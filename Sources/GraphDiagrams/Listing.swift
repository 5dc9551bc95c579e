extension Diagram {
    /// The diagram as text, one line per box, inputs before users (like `jax.make_jaxpr`):
    ///
    /// ```
    /// n6 = multiply(n4, n5) | scalar | order 1 | f′(x) | differentiates f(x) = sin(x)·x
    /// ```
    ///
    /// Each line gives the box's id, its operation (or variable name), its operands (other ids,
    /// or constants), the shape it produces, its derivative order and scope, what a backward
    /// box differentiates, the outputs it is, and, with `showMemory`, the bytes it keeps.
    /// Lines depend only on the recorded computation, so two graphs compare with `diff`.
    public func listing() -> String {
        var lines: [String] = []
        if let title = options.title { lines.append("# \(title)") }
        for node in nodes { lines.append(listingLine(node)) }
        if options.showMemory { lines.append("# kept for the backward passes: \(byteText(keptBytes))") }
        return lines.joined(separator: "\n") + "\n"
    }

    func listingLine(_ node: DiagramNode) -> String {
        let what: String = switch node.kind {
        case .variable: node.operations == ["identity"] ? "identity(\(node.inputs.joined(separator: ", ")))" : "variable"
        case .operation: node.operations.joined(separator: " → ") + "(\(node.inputs.joined(separator: ", ")))"
        case .constant: "constant " + (node.shownValue.map(valuesText) ?? "")
        case .group: "group \"\(node.name ?? "")\" of \(node.memberCount) ops"
        }
        var fields = ["\(node.id) = \(what)" + (node.name.map { node.kind == .variable ? " \"\($0)\"" : "" } ?? ""),
                      node.shape.isEmpty ? "scalar" : "[" + node.shape.map(String.init).joined(separator: ", ") + "]"]
        if let order = node.derivativeOrder { fields.append("order \(order)") }
        if !node.scopePath.isEmpty { fields.append(node.scopePath.joined(separator: "/")) }
        if !node.differentiatedScopePath.isEmpty {
            fields.append("differentiates " + node.differentiatedScopePath.joined(separator: "/"))
        }
        if !node.outputLabels.isEmpty { fields.append("output " + node.outputLabels.map { "\"\($0)\"" }.joined(separator: ", ")) }
        if let value = node.shownValue, node.kind != .constant { fields.append("value " + valuesText(value)) }
        if let gradient = node.shownGradient { fields.append("grad " + valuesText(gradient)) }
        if options.showMemory, node.kind != .constant { fields.append("keeps \(byteText(node.keptBytes))") }
        return fields.joined(separator: " | ")
    }
}
