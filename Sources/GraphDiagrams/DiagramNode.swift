import Foundation

/// What a box in the diagram stands for.
public enum DiagramNodeKind: String, Sendable, Equatable {
    /// A leaf being differentiated, or a tracked input re-watched by an inner gradient.
    case variable
    /// A recorded operation (or, when chains are collapsed, a run of element-wise ones).
    case operation
    /// An operand that is not tracked: a number or a fixed tensor.
    case constant
    /// A group of recorded operations drawn as one box (the overview of a big graph).
    case group
}

/// One box of the diagram.
public struct DiagramNode: Sendable, Equatable {
    /// The DOT identifier ("n3" for recorded nodes, "c2" for constants, "g1" for groups).
    public let id: String
    /// Variable, operation, constant or group.
    public let kind: DiagramNodeKind
    /// The primitives this box stands for, inputs first (one unless chains are collapsed or grouped).
    public let operations: [String]
    /// Whether every one of those primitives acts element by element.
    public let isElementwise: Bool
    /// The variable's name, or a group's title, when it has one.
    public let name: String?
    /// The pass that recorded it (0 forward, 1 first backward, ...); nil for constants.
    public let derivativeOrder: Int?
    /// The named scopes around it, outermost first (empty outside any scope).
    public let scopePath: [String]
    /// For a node of a backward pass, the scopes of the operation it differentiates (empty otherwise).
    public let differentiatedScopePath: [String]
    /// The shape of the value it produces.
    public let shape: [Int]
    /// Its value, when small enough to print (see `DiagramOptions.showValues`).
    public let shownValue: [Double]?
    /// The gradient of the diagram's first output with respect to its value, when shown
    /// (see `DiagramOptions.showGradients`); nil where that output does not depend on it.
    public let shownGradient: [Double]?
    /// The labels of the diagram outputs it produces.
    public let outputLabels: [String]
    /// Its operands in order: another box's identifier ("n3"), or a constant's value or shape
    /// ("0.01", "constant 5×1"). Empty for groups and constants.
    public let inputs: [String]
    /// The tensors it holds for the backward pass: its output and its inputs.
    public let kept: [KeptTensor]
    /// How many recorded operations the box stands for (1 unless collapsed or grouped; 0 for constants).
    public let memberCount: Int

    /// The bytes counted at this box: the kept tensors no earlier box already holds.
    public var keptBytes: Int { kept.filter(\.isCounted).reduce(0) { $0 + $1.bytes } }

    init(id: String, kind: DiagramNodeKind, operations: [String], isElementwise: Bool = false, name: String? = nil,
         derivativeOrder: Int?, scopePath: [String], differentiatedScopePath: [String] = [], shape: [Int],
         shownValue: [Double]? = nil, shownGradient: [Double]? = nil, outputLabels: [String] = [],
         inputs: [String] = [], kept: [KeptTensor] = [], memberCount: Int = 1) {
        self.id = id
        self.kind = kind
        self.operations = operations
        self.isElementwise = isElementwise
        self.name = name
        self.derivativeOrder = derivativeOrder
        self.scopePath = scopePath
        self.differentiatedScopePath = differentiatedScopePath
        self.shape = shape
        self.shownValue = shownValue
        self.shownGradient = shownGradient
        self.outputLabels = outputLabels
        self.inputs = inputs
        self.kept = kept
        self.memberCount = memberCount
    }
}

extension DiagramNode {
    /// The same box in other clusters.
    func withScopePath(_ path: [String]) -> DiagramNode {
        DiagramNode(id: id, kind: kind, operations: operations, isElementwise: isElementwise, name: name,
                    derivativeOrder: derivativeOrder, scopePath: path, differentiatedScopePath: differentiatedScopePath,
                    shape: shape, shownValue: shownValue, shownGradient: shownGradient, outputLabels: outputLabels,
                    inputs: inputs, kept: kept, memberCount: memberCount)
    }
}

/// A tensor a recorded node holds so that its backward pass can read it.
public struct KeptTensor: Sendable, Equatable {
    /// What it is to the node: "output", "input 1" (another box's output) or "constant 2".
    public let role: String
    /// Its shape.
    public let shape: [Int]
    /// Its memory in bytes.
    public let bytes: Int
    /// Whether this node is where the bytes are counted: false when an earlier box (the producer,
    /// or another holder of the same memory) already counts them.
    public let isCounted: Bool
}

/// One arrow: the value of `from` used as an operand of `to`.
public struct DiagramEdge: Sendable, Equatable {
    /// The producing node's identifier.
    public let from: String
    /// The consuming node's identifier.
    public let to: String
    /// The shape of the tensor passed along.
    public let shape: [Int]
    /// How many arrows of the full graph this one stands for (1 unless grouped).
    public let count: Int

    init(from: String, to: String, shape: [Int], count: Int = 1) {
        self.from = from
        self.to = to
        self.shape = shape
        self.count = count
    }
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

/// Bytes as people read them: "96 B", "3.2 kB", "1.5 MB" (powers of 1000).
public func byteText(_ bytes: Int) -> String {
    switch bytes {
    case ..<1000: return "\(bytes) B"
    case ..<1_000_000: return String(format: "%.1f kB", Double(bytes) / 1000)
    default: return String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
