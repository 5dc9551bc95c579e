import Foundation

/// JSON for values: an object with one key naming the kind (`{"number": 0.5}`,
/// `{"tensor": {"shape": [2], "dtype": "float64", "scalars": [1, 2]}}`).
extension Value: Codable {
    private enum Kind: String, CodingKey {
        case number, integer, numbers, integers, text, flag, tensor, parameters, list, record
    }

    /// Decodes the one-key object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard container.allKeys.count == 1, let kind = container.allKeys.first else {
            throw ValueError.malformed("a value must be an object with exactly one kind, got \(container.allKeys.map(\.rawValue))")
        }
        switch kind {
        case .number: self = .number(try container.decode(Double.self, forKey: kind))
        case .integer: self = .integer(try container.decode(Int.self, forKey: kind))
        case .numbers: self = .numbers(try container.decode([Double].self, forKey: kind))
        case .integers: self = .integers(try container.decode([Int].self, forKey: kind))
        case .text: self = .text(try container.decode(String.self, forKey: kind))
        case .flag: self = .flag(try container.decode(Bool.self, forKey: kind))
        case .tensor: self = .tensor(try container.decode(TensorValue.self, forKey: kind))
        case .parameters: self = .parameters(try container.decode([NamedTensor].self, forKey: kind))
        case .list: self = .list(try container.decode([Value].self, forKey: kind))
        case .record: self = .record(try container.decode(Record.self, forKey: kind))
        }
    }

    /// Encodes the one-key object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .number(let value): try container.encode(value, forKey: .number)
        case .integer(let value): try container.encode(value, forKey: .integer)
        case .numbers(let value): try container.encode(value, forKey: .numbers)
        case .integers(let value): try container.encode(value, forKey: .integers)
        case .text(let value): try container.encode(value, forKey: .text)
        case .flag(let value): try container.encode(value, forKey: .flag)
        case .tensor(let value): try container.encode(value, forKey: .tensor)
        case .parameters(let value): try container.encode(value, forKey: .parameters)
        case .list(let value): try container.encode(value, forKey: .list)
        case .record(let value): try container.encode(value, forKey: .record)
        }
    }
}

/// The JSON coders every program of the hidden tests uses: exact doubles, non-finite ones as strings.
public enum ValueJSON {
    /// Encodes `value` (sorted keys, so equal values give equal bytes).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    /// Decodes a `T` from `data`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(type, from: data)
    }
}
