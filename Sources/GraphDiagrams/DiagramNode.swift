/// What a box in the diagram stands for.
public enum DiagramNodeKind: String, Sendable, Equatable {
    /// A leaf being differentiated, or a tracked input re-watched by an inner gradient.
    case variable
    /// A recorded operation (or, when chains are collapsed, a run of element-wise ones).
    case operation
    /// An operand that is not tracked: a number or a fixed tensor.
    case constant
}

/// One box of the diagram.
public struct DiagramNode: Sendable, Equatable {
    /// The DOT identifier ("n3" for recorded nodes, "c2" for constants).
    public let id: String
    /// Variable, operation or constant.
    public let kind: DiagramNodeKind
    /// The primitives this box stands for, inputs first (one unless chains are collapsed).
    public let operations: [String]
    /// Whether every one of those primitives acts element by element.
    public let isElementwise: Bool
    /// The variable's name, when it has one.
    public let name: String?
    /// The pass that recorded it (0 forward, 1 first backward, ...); nil for constants.
    public let derivativeOrder: Int?
    /// The named scopes around it, outermost first (empty outside any scope).
    public let scopePath: [String]
    /// The shape of the value it produces.
    public let shape: [Int]
    /// Its value, when small enough to print (see `DiagramOptions.showValues`).
    public let shownValue: [Double]?
    /// The labels of the diagram outputs it produces.
    public let outputLabels: [String]
}

/// One arrow: the value of `from` used as an operand of `to`.
public struct DiagramEdge: Sendable, Equatable {
    /// The producing node's identifier.
    public let from: String
    /// The consuming node's identifier.
    public let to: String
    /// The shape of the tensor passed along.
    public let shape: [Int]
}

/// Tensor shapes as a slide shows them: "scalar", "5", "5×1".
func shapeText(_ shape: [Int]) -> String {
    shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
}

/// A few numbers with three significant digits: "0.841" or "[1, -0.5]".
func valuesText(_ values: [Double]) -> String {
    let parts = values.map { value -> String in
        if value == value.rounded(), Swift.abs(value) < 1e6 { return String(Int(value)) }
        return String(format: "%.3g", value)
    }
    return parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
}
