import Autodiff
import CPNG
import Foundation

/// An 8-bit grayscale image read from or written to a PNG file through libpng.
public struct GrayscaleImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major pixel values, 0 = black, 255 = white.
    public let pixels: [UInt8]

    /// An image from its pixels; `pixels.count` must be `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        check(width > 0 && height > 0 && pixels.count == width * height,
              "GrayscaleImage: \(pixels.count) pixels for a \(width)x\(height) image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes PNG bytes of any bit depth or colour type to 8-bit grayscale; `path` names the file in errors.
    public static func decodePNG(_ data: Data, path: String) throws -> GrayscaleImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard began != 0 else { throw TaskDataError.corruptImage(path: path, reason: message(of: &image)) }
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height)
        let finished = pixels.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, png_int_32(width), nil)
        }
        guard finished != 0 else { throw TaskDataError.corruptImage(path: path, reason: message(of: &image)) }
        return GrayscaleImage(width: width, height: height, pixels: pixels)
    }

    /// Reads and decodes a PNG file.
    public static func readPNG(at url: URL) throws -> GrayscaleImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TaskDataError.fileError(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try decodePNG(data, path: url.path)
    }

    /// Writes the image as an 8-bit grayscale PNG file.
    public func writePNG(to url: URL) throws {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        defer { png_image_free(&image) }
        let written = pixels.withUnsafeBytes { raw in
            png_image_write_to_file(&image, url.path, 0, raw.baseAddress, png_int_32(width), nil)
        }
        guard written != 0 else {
            throw TaskDataError.fileError(path: url.path, reason: "cannot write PNG: \(Self.message(of: &image))")
        }
    }

    /// libpng's error text, kept in a fixed-size C character array inside the image record.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? "not a valid PNG file" : text
        }
    }
}
