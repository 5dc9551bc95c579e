/// An ordered collection of named tensors: a model's weights (the handouts' `params` dict).
///
/// Supports the arithmetic that optimizers and MAML write naturally, element by element over
/// matching names: `params - lr * grads`. Order is kept as given, so iteration is deterministic.
public struct Parameters: Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible, @unchecked Sendable {
    /// The names, in order.
    public private(set) var names: [String]
    /// The tensors, in the same order as `names`.
    public private(set) var tensors: [Tensor]

    /// Parameters from parallel lists of names and tensors.
    public init(names: [String], tensors: [Tensor]) {
        check(names.count == tensors.count, "Parameters: \(names.count) names for \(tensors.count) tensors")
        check(Set(names).count == names.count, "Parameters: duplicate names in \(names)")
        self.names = names
        self.tensors = tensors
    }

    /// Parameters whose names come from an existing collection, so they are already unique.
    private init(uniqueNames names: [String], tensors: [Tensor]) {
        self.names = names
        self.tensors = tensors
    }

    /// Parameters from `(name, tensor)` pairs, in order.
    public init(_ pairs: [(String, Tensor)]) {
        self.init(names: pairs.map(\.0), tensors: pairs.map(\.1))
    }

    /// Parameters from a dictionary literal; the literal's order is kept.
    public init(dictionaryLiteral elements: (String, Tensor)...) { self.init(elements) }

    /// No parameters.
    public init() { self.init(names: [], tensors: []) }

    /// The number of tensors.
    public var count: Int { names.count }
    /// The total number of scalars.
    public var scalarCount: Int { tensors.reduce(0) { $0 + $1.scalarCount } }

    /// The tensor with a name; setting a new name appends it.
    public subscript(name: String) -> Tensor? {
        get { names.firstIndex(of: name).map { tensors[$0] } }
        set {
            if let i = names.firstIndex(of: name) {
                if let newValue { tensors[i] = newValue } else { names.remove(at: i); tensors.remove(at: i) }
            } else if let newValue {
                names.append(name)
                tensors.append(newValue)
            }
        }
    }

    /// The tensor with a name, stopping with a message naming the missing one.
    public func require(_ name: String) -> Tensor {
        guard let t = self[name] else { fatalError("Parameters: no parameter named '\(name)' (have \(names))") }
        return t
    }

    /// Iterates `(name, tensor)` pairs in order.
    public func makeIterator() -> Zip2Sequence<[String], [Tensor]>.Iterator { Swift.zip(names, tensors).makeIterator() }

    /// Applies `transform` to every tensor, keeping names.
    public func map(_ transform: (Tensor) throws -> Tensor) rethrows -> Parameters {
        Parameters(uniqueNames: names, tensors: try tensors.map(transform))
    }

    /// Combines matching tensors of two collections with the same names in the same order.
    public func zip(_ other: Parameters, _ combine: (Tensor, Tensor) throws -> Tensor) rethrows -> Parameters {
        check(names == other.names, "Parameters: names differ (\(names) and \(other.names))")
        return Parameters(uniqueNames: names, tensors: try Swift.zip(tensors, other.tensors).map(combine))
    }

    /// The parameters with only the given names, in this collection's order.
    public func selecting(_ selected: [String]) -> Parameters {
        Parameters(names.indices.filter { selected.contains(names[$0]) }.map { (self.names[$0], self.tensors[$0]) })
    }

    /// These parameters with others' values replacing matching names.
    public func merging(_ other: Parameters) -> Parameters {
        var result = self
        for (name, tensor) in other { result[name] = tensor }
        return result
    }

    /// Every tensor as a constant (no gradient flows back through them).
    public func detached() -> Parameters { map { $0.detached() } }

    /// Every tensor as a fresh variable, for the PyTorch-style `gradients(of:wrt:)`.
    public func variables() -> Parameters {
        Parameters(uniqueNames: names, tensors: Swift.zip(names, tensors).map { $1.variable(named: $0) })
    }

    /// Zeros shaped like every tensor.
    public func zerosLike() -> Parameters { map { $0.zerosLike() } }

    /// Σ over parameters of the sum of squares: ‖θ‖².
    public func squaredNorm() -> Tensor {
        tensors.map { $0.squared.sum() }.reduce(Tensor(0, dtype: tensors.first?.dtype ?? .float64), +)
    }

    /// Element-wise sum of matching parameters.
    public static func + (a: Parameters, b: Parameters) -> Parameters { a.zip(b, +) }
    /// Element-wise difference of matching parameters.
    public static func - (a: Parameters, b: Parameters) -> Parameters { a.zip(b, -) }
    /// Element-wise product of matching parameters.
    public static func * (a: Parameters, b: Parameters) -> Parameters { a.zip(b, *) }
    /// Element-wise quotient of matching parameters.
    public static func / (a: Parameters, b: Parameters) -> Parameters { a.zip(b, /) }
    /// Every tensor times a number.
    public static func * (a: Double, b: Parameters) -> Parameters { b.map { a * $0 } }
    /// Every tensor times a number.
    public static func * (a: Parameters, b: Double) -> Parameters { a.map { $0 * b } }
    /// Every tensor times a scalar tensor (a learned learning rate, say).
    public static func * (a: Tensor, b: Parameters) -> Parameters { b.map { a * $0 } }
    /// Every tensor divided by a number.
    public static func / (a: Parameters, b: Double) -> Parameters { a.map { $0 / b } }
    /// Every tensor negated.
    public static prefix func - (a: Parameters) -> Parameters { a.map { -$0 } }

    /// One line per parameter: name, shape and dtype.
    public var description: String {
        "Parameters(" + Swift.zip(names, tensors).map { "\($0): \($1.shape) \($1.dtype)" }.joined(separator: ", ") + ")"
    }
}
