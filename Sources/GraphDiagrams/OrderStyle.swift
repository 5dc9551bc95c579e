import Foundation

/// How the boxes of one derivative order look: a fill on a lightness ladder (each order darker
/// than the last, so greyscale prints keep them apart), a hue that stays distinct for common
/// colour-vision deficiencies, and a border style of its own, so the order reads without colour.
public struct OrderStyle: Sendable, Equatable {
    /// The fill colour, "#rrggbb".
    public let fill: String
    /// The border colour, "#rrggbb".
    public let border: String
    /// The text colour, chosen for contrast with the fill.
    public let text: String
    /// The border's DOT style: "solid", "dashed", "dotted".
    public let borderStyle: String
    /// The border's width in points.
    public let borderWidth: Double
    /// The CIE lightness L* of the fill (0 black ... 100 white): the grey it prints as.
    public var fillLightness: Double { cieLightness(hex: fill) }

    /// The style of derivative order `order` (0 forward, 1 first backward pass, ...); orders
    /// above 5 reuse order 5's look.
    public init(order: Int) {
        (fill, border, text, borderStyle, borderWidth) = switch order {
        case 0: ("#e3f0fb", "#2f6ea5", "#000000", "solid", 1.5)
        case 1: ("#fcc48c", "#8a4f06", "#000000", "dashed", 2.5)
        case 2: ("#b6a1df", "#3e2a78", "#000000", "solid", 4.0)
        case 3: ("#5a996c", "#173d22", "#000000", "dotted", 3.5)
        case 4: ("#a9534d", "#3d0a07", "#ffffff", "dashed", 4.5)
        default: ("#23527f", "#0a1a2e", "#ffffff", "solid", 6.0)
        }
    }

    /// The DOT attributes that draw a box of this order (its `style` gets `rounded` for operations).
    func attributes(rounded: Bool) -> [String] {
        let style = (rounded ? ["rounded"] : []) + ["filled", borderStyle]
        return ["style=\"\(style.joined(separator: ","))\"", "fillcolor=\"\(fill)\"", "color=\"\(border)\"",
                "fontcolor=\"\(text)\"", "penwidth=\(borderWidth.formattedForDOT)"]
    }

    /// "forward pass\norder 0", "1st backward\norder 1", ... (two short lines, for the legend).
    public static func legendName(_ order: Int) -> String {
        passName(order).replacingOccurrences(of: " pass (order \(order))", with: "\norder \(order)")
            .replacingOccurrences(of: "forward\n", with: "forward pass\n")
    }

    /// "forward pass (order 0)", "1st backward pass (order 1)", ...
    public static func passName(_ order: Int) -> String {
        switch order {
        case 0: "forward pass (order 0)"
        case 1: "1st backward pass (order 1)"
        case 2: "2nd backward pass (order 2)"
        case 3: "3rd backward pass (order 3)"
        default: "\(order)th backward pass (order \(order))"
        }
    }
}

extension Double {
    /// At most two decimals, without trailing zeros: 1.5, 4, 0.35.
    var formattedForDOT: String {
        let rounded = (self * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The CIE L* lightness (0...100) of an sRGB colour written "#rrggbb".
func cieLightness(hex: String) -> Double {
    let digits = hex.dropFirst()
    let channels = stride(from: 0, to: 6, by: 2).map { offset -> Double in
        let start = digits.index(digits.startIndex, offsetBy: offset)
        let value = Double(Int(digits[start..<digits.index(start, offsetBy: 2)], radix: 16) ?? 0) / 255
        return value <= 0.04045 ? value / 12.92 : Foundation.pow((value + 0.055) / 1.055, 2.4)
    }
    let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    let f = luminance > 0.008856 ? Foundation.cbrt(luminance) : 7.787 * luminance + 16.0 / 116
    return 116 * f - 16
}
