import Autodiff

/// Named values: the inputs of one part, or what a probe observed. Reading a value names the key
/// when it is missing or of the wrong kind, so a malformed report fails with a clear message.
public struct Record: Codable, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The values by name.
    public var values: [String: Value]

    /// A record of `values`.
    public init(_ values: [String: Value] = [:]) { self.values = values }

    /// A record written as a dictionary literal.
    public init(dictionaryLiteral elements: (String, Value)...) {
        values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The value named `key`, if any.
    public subscript(key: String) -> Value? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// The records encode as plain JSON objects.
    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Value].self)
    }

    /// Encodes as a plain JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// The value named `key`, or `ValueError.missing`.
    public func value(_ key: String) throws -> Value {
        guard let value = values[key] else { throw ValueError.missing(key) }
        return value
    }

    /// The number named `key` (a whole number is accepted too).
    public func number(_ key: String) throws -> Double {
        switch try value(key) {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case let other: throw ValueError.wrongKind(key: key, expected: "a number", found: other.kind)
        }
    }

    /// The whole number named `key`.
    public func integer(_ key: String) throws -> Int {
        guard case .integer(let value) = try value(key) else { throw wrongKind(key, "a whole number") }
        return value
    }

    /// The numbers named `key`.
    public func numbers(_ key: String) throws -> [Double] {
        switch try value(key) {
        case .numbers(let value): return value
        case .integers(let value): return value.map(Double.init)
        case let other: throw ValueError.wrongKind(key: key, expected: "a list of numbers", found: other.kind)
        }
    }

    /// The whole numbers named `key`.
    public func integers(_ key: String) throws -> [Int] {
        guard case .integers(let value) = try value(key) else { throw wrongKind(key, "a list of whole numbers") }
        return value
    }

    /// The text named `key`.
    public func text(_ key: String) throws -> String {
        guard case .text(let value) = try value(key) else { throw wrongKind(key, "text") }
        return value
    }

    /// The flag named `key`.
    public func flag(_ key: String) throws -> Bool {
        guard case .flag(let value) = try value(key) else { throw wrongKind(key, "a yes-or-no answer") }
        return value
    }

    /// The tensor named `key`.
    public func tensor(_ key: String) throws -> Tensor {
        guard case .tensor(let value) = try value(key) else { throw wrongKind(key, "a tensor") }
        return try value.tensor()
    }

    /// The parameter collection named `key`, names in the order reported.
    public func parameters(_ key: String) throws -> Parameters {
        try Self.parameters(from: value(key), key: key)
    }

    /// The list named `key`.
    public func list(_ key: String) throws -> [Value] {
        guard case .list(let value) = try value(key) else { throw wrongKind(key, "a list") }
        return value
    }

    /// The list of parameter collections named `key` (a trajectory).
    public func parameterList(_ key: String) throws -> [Parameters] {
        try list(key).enumerated().map { index, value in try Self.parameters(from: value, key: "\(key)[\(index)]") }
    }

    /// The list of tensors named `key`.
    public func tensorList(_ key: String) throws -> [Tensor] {
        try list(key).enumerated().map { index, value in
            guard case .tensor(let data) = value else {
                throw ValueError.wrongKind(key: "\(key)[\(index)]", expected: "a tensor", found: value.kind)
            }
            return try data.tensor()
        }
    }

    /// The record named `key`.
    public func record(_ key: String) throws -> Record {
        guard case .record(let value) = try value(key) else { throw wrongKind(key, "a record") }
        return value
    }

    /// The list of records named `key`.
    public func recordList(_ key: String) throws -> [Record] {
        try list(key).enumerated().map { index, value in
            guard case .record(let record) = value else {
                throw ValueError.wrongKind(key: "\(key)[\(index)]", expected: "a record", found: value.kind)
            }
            return record
        }
    }

    /// A parameter collection from a value, or a problem naming `key`.
    static func parameters(from value: Value, key: String) throws -> Parameters {
        guard case .parameters(let named) = value else {
            throw ValueError.wrongKind(key: key, expected: "a collection of parameters", found: value.kind)
        }
        guard Set(named.map(\.name)).count == named.count else { throw ValueError.malformed("\(key) names a tensor twice") }
        return Parameters(try named.map { ($0.name, try $0.tensor.tensor()) })
    }

    private func wrongKind(_ key: String, _ expected: String) -> ValueError {
        ValueError.wrongKind(key: key, expected: expected, found: values[key]?.kind ?? "missing")
    }
}
