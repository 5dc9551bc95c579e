import Foundation
import Testing
@testable import Plots

/// A PNG file split into chunks, with a stored-block inflater, written independently of the encoder.
struct DecodedPNG {
    struct Chunk { let type: String; let data: [UInt8]; let crc: UInt32 }
    let chunks: [Chunk]

    init?(_ bytes: [UInt8]) {
        guard Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        var chunks: [Chunk] = []
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(Self.readUInt32(bytes, offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            chunks.append(Chunk(type: type, data: data, crc: Self.readUInt32(bytes, offset + 8 + length)))
            offset += 12 + length
        }
        guard offset == bytes.count else { return nil }
        self.chunks = chunks
    }

    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// CRC-32 bit by bit (no table): the register shifts right, XOR-ing the reflected polynomial on a 1 bit.
    static func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    /// Adler-32 with the modulus applied after every byte.
    static func simpleAdler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }

    /// The raw bytes of a zlib stream made of stored blocks only, and how many blocks it had;
    /// nil on any malformed header, block type, length complement or checksum.
    static func inflateStored(_ stream: [UInt8]) -> (bytes: [UInt8], blocks: Int)? {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0 else { return nil }
        var output: [UInt8] = []
        var offset = 2, blocks = 0, isFinal = false
        while !isFinal {
            guard offset + 5 <= stream.count else { return nil }
            let header = stream[offset]
            isFinal = header & 1 == 1
            guard (header >> 1) & 3 == 0 else { return nil }  // only stored blocks
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length ^ complement == 0xFFFF, offset + 5 + length <= stream.count else { return nil }
            output += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            blocks += 1
        }
        guard offset + 4 == stream.count, readUInt32(stream, offset) == simpleAdler32(output) else { return nil }
        return (output, blocks)
    }
}

@Suite("PNG encoder")
struct PNGEncoderTests {
    @Test func signatureAndChunkOrder() throws {
        let png = try PNGEncoder.grayscale(width: 3, height: 2, pixels: [0, 128, 255, 10, 20, 30])
        let decoded = try #require(DecodedPNG(png))
        #expect(decoded.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        let header = decoded.chunks[0].data
        #expect(DecodedPNG.readUInt32(header, 0) == 3 && DecodedPNG.readUInt32(header, 4) == 2)
        #expect(Array(header.suffix(5)) == [8, 0, 0, 0, 0])
    }

    @Test func everyChunkCRCMatchesAnIndependentCRC32() throws {
        let png = try PNGEncoder.grayscale(width: 28, height: 28, pixels: (0..<784).map { UInt8($0 % 256) })
        let decoded = try #require(DecodedPNG(png))
        for chunk in decoded.chunks {
            #expect(chunk.crc == DecodedPNG.bitwiseCRC32(Array(chunk.type.utf8) + chunk.data), "chunk \(chunk.type)")
        }
        // The check value of CRC-32 ("123456789" -> 0xCBF43926) pins down the variant.
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func storedPayloadInflatesToFilteredRows() throws {
        let pixels: [UInt8] = [0, 128, 255, 10, 20, 30]
        let png = try PNGEncoder.grayscale(width: 3, height: 2, pixels: pixels)
        let data = try #require(DecodedPNG(png)?.chunks.first { $0.type == "IDAT" }?.data)
        let inflated = try #require(DecodedPNG.inflateStored(data))
        #expect(inflated.bytes == [0, 0, 128, 255, 0, 10, 20, 30])
        #expect(inflated.blocks == 1)
    }

    @Test func largeImageSpansSeveralStoredBlocks() throws {
        var generator = DeterministicBytes(seed: 7)
        let pixels = (0..<(300 * 300)).map { _ in generator.nextByte() }
        let png = try PNGEncoder.grayscale(width: 300, height: 300, pixels: pixels)
        let data = try #require(DecodedPNG(png)?.chunks.first { $0.type == "IDAT" }?.data)
        let inflated = try #require(DecodedPNG.inflateStored(data))
        #expect(inflated.blocks == 2)
        #expect(inflated.bytes.count == 301 * 300)
        let rows = stride(from: 0, to: inflated.bytes.count, by: 301).map { Array(inflated.bytes[($0 + 1)..<($0 + 301)]) }
        #expect(Array(rows.joined()) == pixels)
    }

    @Test func rejectsWrongPixelCount() {
        #expect(throws: PlotsError.self) { try PNGEncoder.grayscale(width: 4, height: 4, pixels: [1, 2, 3]) }
    }
}

/// A tiny deterministic byte source for test data (a linear congruential generator).
struct DeterministicBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func nextByte() -> UInt8 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(state >> 56)
    }
}
