import Foundation

/// The size of a presentation slide a diagram is fitted to.
///
/// A slide is 7.5 inches tall, as PowerPoint's and Keynote's standard slides are, and as wide
/// as its aspect ratio makes it: 16:9 is 13.33 × 7.5 in, 4:3 is 10 × 7.5 in. Text sizes are
/// points on that slide, so they mean the same on a projector as in a slide editor. A PNG of
/// the slide has `widthPixels × heightPixels` pixels (1920 × 1080 for 16:9, 2 pixels per point);
/// SVG and PDF pages are the slide's size in points (960 × 540 for 16:9).
public struct SlideSize: Sendable, Equatable, CustomStringConvertible {
    /// The PNG width in pixels.
    public let widthPixels: Int
    /// The PNG height in pixels.
    public let heightPixels: Int

    /// The height of every slide, in inches.
    public static let heightInches = 7.5
    /// The smallest text a diagram on a slide may have, in points on the slide: 14 pt, which is
    /// 28 px in a 1920 × 1080 image.
    public static let minimumTextPoints = 14.0
    /// A 16:9 slide, 1920 × 1080 pixels.
    public static let widescreen = SlideSize(widthPixels: 1920, heightPixels: 1080)
    /// A 4:3 slide, 1440 × 1080 pixels.
    public static let standard = SlideSize(widthPixels: 1440, heightPixels: 1080)

    /// A slide of `widthPixels × heightPixels`; sides must be 100 to 10,000 pixels.
    public init(widthPixels: Int, heightPixels: Int) {
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
    }

    /// A slide named by an aspect ratio ("16:9", "4:3") or a pixel size ("1280x720").
    ///
    /// Throws `DiagramError.invalidSetting` naming the text for anything else.
    public init(parsing text: String) throws {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "16:9": self = .widescreen
        case "4:3": self = .standard
        default:
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else {
                throw DiagramError.invalidSetting("\"\(text)\" is not 16:9, 4:3 or WIDTHxHEIGHT in pixels (like 1920x1080)")
            }
            guard (100...10_000).contains(width), (100...10_000).contains(height) else {
                throw DiagramError.invalidSetting("\"\(text)\" must have sides of 100 to 10000 pixels")
            }
            self.init(widthPixels: width, heightPixels: height)
        }
    }

    /// Pixels per inch of the slide's PNG (144 for 1920 × 1080).
    public var dotsPerInch: Double { Double(heightPixels) / Self.heightInches }
    /// The slide's width in points.
    public var widthPoints: Double { Double(widthPixels) / dotsPerInch * 72 }
    /// The slide's height in points (540).
    public var heightPoints: Double { Self.heightInches * 72 }

    /// "1920×1080 (16:9)".
    public var description: String {
        let ratio = self == .widescreen ? " (16:9)" : self == .standard ? " (4:3)" : ""
        return "\(widthPixels)×\(heightPixels)\(ratio)"
    }
}
