import Autodiff
import Foundation

/// Named tensors saved to disk: a model's parameters, optionally an optimizer's state, and
/// free-form metadata (iteration, configuration, ...).
///
/// File format, version 1:
///
/// 1. the magic line `MAMLWORKBOOK-CHECKPOINT` followed by `\n`;
/// 2. one line of JSON followed by `\n`, the header:
///    `{"version": 1, "metadata": {String: String}, "dataByteCount": Int,
///      "tensors": [{"name", "group", "shape", "dtype", "offset", "byteCount"}]}`,
///    where `group` is `"parameters"` or `"optimizer"`, `dtype` is `"float32"` or `"float64"`,
///    and `offset` counts bytes from the start of the data section;
/// 3. the data section: every tensor's elements in row-major order as raw IEEE 754
///    little-endian values (4 bytes for float32, 8 for float64), back to back in header order.
///
/// Values are stored bit for bit, so a round trip is exact.
public struct Checkpoint: Sendable {
    /// The first line of every checkpoint file.
    public static let magic = "MAMLWORKBOOK-CHECKPOINT"
    /// The format version this build writes (and the newest it reads).
    public static let formatVersion = 1

    /// The model parameters.
    public var parameters: Parameters
    /// The optimizer's state as named tensors (see `OptimizerState.namedTensors`); empty if none.
    public var optimizerState: Parameters
    /// Free-form text: iteration, configuration, notes.
    public var metadata: [String: String]

    /// A checkpoint of parameters, optional optimizer tensors and metadata.
    public init(parameters: Parameters, optimizerState: Parameters = Parameters(), metadata: [String: String] = [:]) {
        self.parameters = parameters
        self.optimizerState = optimizerState
        self.metadata = metadata
    }

    /// A checkpoint of parameters with an optimizer's state.
    public init<State: OptimizerState>(parameters: Parameters, optimizerState state: State, metadata: [String: String] = [:]) {
        self.init(parameters: parameters, optimizerState: state.namedTensors, metadata: metadata)
    }

    /// The stored optimizer state rebuilt as `State` (`file` names the source in errors).
    public func optimizerState<State: OptimizerState>(as type: State.Type, file: String = "(in memory)") throws -> State {
        do {
            return try State(namedTensors: optimizerState)
        } catch {
            throw CheckpointError.incompatibleOptimizerState(file: file, reason: "\(error)")
        }
    }

    /// One entry of the header's tensor table.
    struct Entry: Codable, Equatable {
        var name: String
        var group: String
        var shape: [Int]
        var dtype: String
        var offset: Int
        var byteCount: Int
    }

    /// The JSON header.
    struct Header: Codable {
        var version: Int
        var metadata: [String: String]
        var dataByteCount: Int
        var tensors: [Entry]
    }

    /// The file's bytes: magic line, header line, data.
    public func encoded() -> Data {
        var entries: [Entry] = []
        var body = Data()
        for (group, collection) in [("parameters", parameters), ("optimizer", optimizerState)] {
            for (name, tensor) in collection {
                let bytes = Self.littleEndianBytes(tensor)
                entries.append(Entry(name: name, group: group, shape: tensor.shape, dtype: tensor.dtype.rawValue,
                                     offset: body.count, byteCount: bytes.count))
                body.append(bytes)
            }
        }
        let header = Header(version: Self.formatVersion, metadata: metadata, dataByteCount: body.count, tensors: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSON never contains a raw newline (strings escape it), so the header is one line.
        let json = try! encoder.encode(header)
        var file = Data((Self.magic + "\n").utf8)
        file.append(json)
        file.append(UInt8(ascii: "\n"))
        file.append(body)
        return file
    }

    /// Writes the checkpoint to `url`, atomically (a reader never sees half a file).
    public func write(to url: URL) throws {
        do {
            try encoded().write(to: url, options: .atomic)
        } catch {
            throw CheckpointError.unreadable(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads the checkpoint at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        try self.init(decoding: data, file: url.path)
    }

    /// Decodes a checkpoint's bytes; `file` names the source in errors.
    public init(decoding data: Data, file: String) throws {
        let bytes = [UInt8](data)
        let magicLine = Array((Self.magic + "\n").utf8)
        guard bytes.starts(with: magicLine) else {
            let firstLine = bytes.prefix(64).prefix { $0 != UInt8(ascii: "\n") }
            throw CheckpointError.wrongMagic(file: file, found: String(decoding: firstLine, as: UTF8.self))
        }
        guard let headerEnd = bytes[magicLine.count...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw CheckpointError.corruptHeader(file: file, reason: "no end of line after the JSON header")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[magicLine.count..<headerEnd]))
        } catch {
            throw CheckpointError.corruptHeader(file: file, reason: "the JSON does not parse: \(error)")
        }
        guard header.version <= Self.formatVersion, header.version >= 1 else {
            throw CheckpointError.unsupportedVersion(file: file, version: header.version, supported: Self.formatVersion)
        }
        let dataStart = headerEnd + 1
        let available = bytes.count - dataStart
        guard available >= header.dataByteCount else {
            throw CheckpointError.truncated(file: file, expectedBytes: header.dataByteCount, actualBytes: available)
        }
        guard available == header.dataByteCount else {
            throw CheckpointError.trailingBytes(file: file, extraBytes: available - header.dataByteCount)
        }
        var groups: [String: [(String, Tensor)]] = ["parameters": [], "optimizer": []]
        for entry in header.tensors {
            let tensor = try Self.tensor(entry, in: bytes, dataStart: dataStart, dataByteCount: header.dataByteCount, file: file)
            guard groups[entry.group] != nil else {
                throw CheckpointError.corruptHeader(file: file, reason: "tensor '\(entry.name)' is in unknown group '\(entry.group)'")
            }
            guard !groups[entry.group]!.contains(where: { $0.0 == entry.name }) else {
                throw CheckpointError.corruptHeader(file: file, reason: "tensor '\(entry.name)' appears twice in group '\(entry.group)'")
            }
            groups[entry.group]!.append((entry.name, tensor))
        }
        self.init(parameters: Parameters(groups["parameters"]!), optimizerState: Parameters(groups["optimizer"]!),
                  metadata: header.metadata)
    }

    /// One tensor's elements as little-endian bytes.
    static func littleEndianBytes(_ tensor: Tensor) -> Data {
        switch tensor.dtype {
        case .float32:
            let words = tensor.floats.map { $0.bitPattern.littleEndian }
            return words.withUnsafeBytes { Data($0) }
        case .float64:
            let words = tensor.scalars.map { $0.bitPattern.littleEndian }
            return words.withUnsafeBytes { Data($0) }
        }
    }

    /// The tensor an entry describes, after checking the entry against the data section.
    static func tensor(_ entry: Entry, in bytes: [UInt8], dataStart: Int, dataByteCount: Int, file: String) throws -> Tensor {
        func corrupt(_ reason: String) -> CheckpointError {
            .corruptHeader(file: file, reason: "tensor '\(entry.name)': \(reason)")
        }
        guard let dtype = DType(rawValue: entry.dtype) else { throw corrupt("unknown dtype '\(entry.dtype)'") }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw corrupt("negative size in shape \(entry.shape)") }
        let count = entry.shape.reduce(1, *)
        guard entry.byteCount == count * dtype.byteCount else {
            throw corrupt("\(entry.byteCount) bytes for shape \(entry.shape) of \(dtype)")
        }
        guard entry.offset >= 0, entry.offset + entry.byteCount <= dataByteCount else {
            throw corrupt("bytes \(entry.offset)..<\(entry.offset + entry.byteCount) lie outside the \(dataByteCount)-byte data section")
        }
        let start = dataStart + entry.offset
        return bytes.withUnsafeBytes { raw in
            switch dtype {
            case .float32:
                let values = (0..<count).map { i in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                }
                return Tensor(shape: entry.shape, floats: values)
            case .float64:
                let values = (0..<count).map { i in
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self)))
                }
                return Tensor(shape: entry.shape, scalars: values, dtype: .float64)
            }
        }
    }
}
