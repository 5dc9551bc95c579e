/// A minimal PNG writer for 8-bit grayscale images, in pure Swift.
///
/// The file is the PNG signature, then the chunks IHDR (size and pixel format), IDAT (the
/// pixels) and IEND. Each chunk is `length (4 bytes, big-endian) | type | data | CRC32(type + data)`.
/// The pixel data is a zlib stream holding "stored" (uncompressed) deflate blocks: every
/// row is one filter byte (0, no filter) followed by its pixels. Stored blocks make the file
/// larger than a compressed one but keep the encoder short and obviously correct.
public enum PNGEncoder {
    /// The eight bytes every PNG file begins with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of a `width` x `height` grayscale image, `pixels` row by row (0 black, 255 white).
    public static func grayscale(width: Int, height: Int, pixels: [UInt8]) throws -> [UInt8] {
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
            throw PlotsError.invalidSize(what: "PNG image", width: Double(width), height: Double(height),
                                         requirement: "both sides must be 1...65536 pixels")
        }
        guard pixels.count == width * height else {
            throw PlotsError.imageSizeMismatch(caption: "PNG image", width: width, height: height, pixelCount: pixels.count)
        }
        // IHDR: width, height, bit depth 8, colour type 0 (grayscale), compression 0, filter 0, no interlace.
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0]
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            scanlines.append(0)
            scanlines += pixels[(row * width)..<((row + 1) * width)]
        }
        return signature + chunk("IHDR", header) + chunk("IDAT", zlibStored(scanlines)) + chunk("IEND", [])
    }

    /// One chunk: length, type, data, and the CRC32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(Checksum.crc32(typeAndData))
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00).
    ///
    /// Header 0x78 0x01: deflate with a 32 KiB window, and (0x78 * 256 + 0x01) % 31 == 0 as
    /// zlib requires. Each block is a byte with BFINAL in bit 0 (BTYPE 00 in bits 1-2), then
    /// LEN and its ones' complement NLEN (16-bit little-endian), then LEN raw bytes (at most
    /// 65535). The stream ends with the Adler-32 of the raw bytes, big-endian.
    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        let maximumBlock = 65_535
        var start = 0
        repeat {
            let end = min(start + maximumBlock, raw.count)
            let length = UInt16(end - start)
            stream.append(end == raw.count ? 1 : 0)
            stream += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += raw[start..<end]
            start = end
        } while start < raw.count
        return stream + bigEndian(Checksum.adler32(raw))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// The two checksums PNG needs.
enum Checksum {
    /// CRC-32 as PNG and zlib define it: reflected polynomial 0xEDB88320, initial value and
    /// final XOR 0xFFFFFFFF, computed a byte at a time from a 256-entry table.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// table[n] = the CRC register after shifting the byte n through eight steps of the polynomial.
    private static let crcTable: [UInt32] = (0..<256).map { n in
        var value = UInt32(n)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// Adler-32: a = 1 + sum of bytes, b = sum of the successive a's, both mod 65521;
    /// the checksum is b * 65536 + a.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        let modulus: UInt32 = 65_521
        var a: UInt32 = 1, b: UInt32 = 0
        // 5552 bytes is the most that can be summed before b could overflow 32 bits.
        var index = 0
        while index < bytes.count {
            let end = min(index + 5552, bytes.count)
            for byte in bytes[index..<end] { a += UInt32(byte); b += a }
            a %= modulus
            b %= modulus
            index = end
        }
        return (b << 16) | a
    }
}
