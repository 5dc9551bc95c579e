import Autodiff

/// A value that crosses between a judge and a probe: the inputs a judge draws, and what the
/// student's functions returned. Encoded as JSON with every `Double` exact (NaN and infinities
/// included), so a value reported by a probe is bit for bit what the student's code produced.
public indirect enum Value: Sendable, Equatable {
    /// One real number.
    case number(Double)
    /// One whole number.
    case integer(Int)
    /// Several real numbers.
    case numbers([Double])
    /// Several whole numbers.
    case integers([Int])
    /// Text (an error message, a name).
    case text(String)
    /// A yes-or-no answer.
    case flag(Bool)
    /// A tensor: its shape, element type and elements.
    case tensor(TensorValue)
    /// Named tensors in order (a `Parameters` collection).
    case parameters([NamedTensor])
    /// Values in order.
    case list([Value])
    /// Named values.
    case record(Record)

    /// The kind of value, as messages name it ("a tensor", "parameters").
    public var kind: String {
        switch self {
        case .number: "a number"
        case .integer: "a whole number"
        case .numbers: "a list of numbers"
        case .integers: "a list of whole numbers"
        case .text: "text"
        case .flag: "a yes-or-no answer"
        case .tensor: "a tensor"
        case .parameters: "a collection of parameters"
        case .list: "a list"
        case .record: "a record"
        }
    }
}

/// A tensor as data: shape, element type and elements in row-major order.
public struct TensorValue: Codable, Sendable, Equatable {
    /// The shape.
    public var shape: [Int]
    /// `float32` or `float64`.
    public var dtype: String
    /// The elements, row-major (Float elements widen to Double exactly).
    public var scalars: [Double]

    /// The data of `tensor`.
    public init(_ tensor: Tensor) {
        shape = tensor.shape
        dtype = tensor.dtype.rawValue
        scalars = tensor.scalars
    }

    /// The tensor again; throws when the data do not describe one.
    public func tensor() throws -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count, let type = DType(rawValue: dtype) else {
            throw ValueError.malformed("a tensor of shape \(shape) with \(scalars.count) elements and type \(dtype)")
        }
        return Tensor(shape: shape, scalars: scalars, dtype: type)
    }
}

/// One named tensor of a parameter collection.
public struct NamedTensor: Codable, Sendable, Equatable {
    /// The tensor's name ("layer1.weight").
    public var name: String
    /// Its data.
    public var tensor: TensorValue

    /// A named tensor.
    public init(name: String, tensor: TensorValue) {
        self.name = name
        self.tensor = tensor
    }
}

/// Why a record could not give the value asked for.
public enum ValueError: Error, Equatable, CustomStringConvertible {
    /// No value under this key.
    case missing(String)
    /// The value under `key` is of another kind.
    case wrongKind(key: String, expected: String, found: String)
    /// The data cannot be what they claim to be.
    case malformed(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .missing(let key): "no value named \(key) was reported"
        case .wrongKind(let key, let expected, let found): "\(key) should be \(expected) but is \(found)"
        case .malformed(let what): "malformed data: \(what)"
        }
    }
}

extension Value {
    /// The value of a tensor.
    public static func of(_ tensor: Tensor) -> Value { .tensor(TensorValue(tensor)) }

    /// The value of a parameter collection, names in order.
    public static func of(_ parameters: Parameters) -> Value {
        .parameters(parameters.map { NamedTensor(name: $0.0, tensor: TensorValue($0.1)) })
    }

    /// A list of parameter collections (a trajectory, one collection per call).
    public static func of(_ collections: [Parameters]) -> Value { .list(collections.map { .of($0) }) }

    /// A list of tensors.
    public static func of(_ tensors: [Tensor]) -> Value { .list(tensors.map { .of($0) }) }
}

extension Value: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    /// `0.5` as a number.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `3` as a whole number.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// `"text"` as text.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `true` as a flag.
    public init(booleanLiteral value: Bool) { self = .flag(value) }
}
