import Foundation

/// The binary cache of a loaded data set, so the second load skips PNG decoding.
///
/// Layout (all integers little-endian): the 8 bytes `MAMLOMNI`; UInt32 format version; UInt64
/// fingerprint of the source files; UInt32 class count; per class, UInt32 byte length + UTF-8 name,
/// UInt32 byte length + UTF-8 group, UInt32 image count; then every pixel as a little-endian Float32.
/// A cache whose version or fingerprint does not match is ignored and rebuilt.
enum OmniglotCache {
    static let magic = Array("MAMLOMNI".utf8)
    static let version: UInt32 = 1

    static func write(_ dataset: ImageDataset, fingerprint: UInt64, to url: URL) throws {
        var data = Data(magic)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append(_ text: String) { append(UInt32(text.utf8.count)); data.append(contentsOf: text.utf8) }
        append(version)
        append(fingerprint)
        append(UInt32(dataset.classes.count))
        for imageClass in dataset.classes {
            append(imageClass.name)
            append(imageClass.group)
            append(UInt32(imageClass.imageCount))
        }
        for imageClass in dataset.classes {
            #if _endian(little)
            imageClass.pixels.withUnsafeBytes { data.append(contentsOf: $0) }
            #else
            for value in imageClass.pixels { append(value.bitPattern) }
            #endif
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw TaskDataError.fileError(path: url.path, reason: "cannot write the Omniglot cache: \(error.localizedDescription)")
        }
    }

    /// The cached data set, or nil when the file is absent, damaged, or made from other files.
    static func read(from url: URL, fingerprint: UInt64) -> ImageDataset? {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return nil }
        return data.withUnsafeBytes { raw -> ImageDataset? in
            var reader = ByteReader(bytes: raw)
            guard reader.bytes(magic.count).map(Array.init) == magic,
                  reader.integer(UInt32.self) == version,
                  reader.integer(UInt64.self) == fingerprint,
                  let classCount = reader.integer(UInt32.self) else { return nil }
            var headers: [(name: String, group: String, count: Int)] = []
            for _ in 0..<classCount {
                guard let name = reader.string(), let group = reader.string(),
                      let count = reader.integer(UInt32.self) else { return nil }
                headers.append((name, group, Int(count)))
            }
            var classes: [ImageClass] = []
            for header in headers {
                guard let pixels = reader.floats(header.count * ImageDataset.pixelsPerImage) else { return nil }
                classes.append(ImageClass(name: header.name, group: header.group, pixels: pixels))
            }
            return reader.isAtEnd ? ImageDataset(classes: classes) : nil
        }
    }
}

/// Reads little-endian values from a byte buffer, returning nil past the end.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer.SubSequence? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard let raw = bytes(MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    mutating func string() -> String? {
        guard let length = integer(UInt32.self), let raw = bytes(Int(length)) else { return nil }
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func floats(_ count: Int) -> [Float]? {
        guard let raw = bytes(count * 4) else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
            initialized = count
        }
    }
}
