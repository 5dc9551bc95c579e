import Foundation

/// How a page writes a number for people.
///
/// The exact value always goes to `metrics.json`; the style only decides the text a reader sees.
public enum NumberStyle: Sendable, Equatable {
    /// `digits` significant digits: 0.01348 at 3 digits is "0.0135", 1234.5 is "1235".
    case significant(Int)
    /// A fraction as a percentage with `decimals` decimals: 0.873 is "87.3%".
    case percent(decimals: Int)
    /// A difference of two fractions in percentage points: 0.0413 is "4.1 points".
    case points(decimals: Int)
    /// A whole number, grouped by thousands: 5500 is "5,500".
    case count

    /// The style of accuracies and other fractions: one decimal of a percent.
    public static let percent = NumberStyle.percent(decimals: 1)
    /// The style of differences between accuracies: one decimal of a percentage point.
    public static let points = NumberStyle.points(decimals: 1)
}

/// A number a chapter measured, with how the page shows it.
public struct Metric: Sendable, Equatable {
    /// The exact value (written to `metrics.json`).
    public let value: Double
    /// How the page writes it.
    public let style: NumberStyle
    /// The unit shown after the number ("s", "MiB", ...), or empty.
    public let unit: String

    /// A metric shown with `digits` significant digits.
    public init(value: Double, digits: Int = 3, unit: String = "") {
        self.init(value: value, style: .significant(digits), unit: unit)
    }

    /// A metric shown in `style`.
    public init(value: Double, style: NumberStyle, unit: String = "") {
        self.value = value
        self.style = style
        self.unit = unit
    }

    /// Significant digits of a `.significant` style (3 for the other styles).
    public var digits: Int {
        if case .significant(let digits) = style { return digits }
        return 3
    }

    /// The number as the page shows it, without the unit.
    public var formatted: String { NumberText.format(value, style: style) }

    /// The number and its unit, separated by `space`.
    public func text(space: String = " ") -> String {
        formatted + (unit.isEmpty ? "" : space + unit)
    }
}

/// How numbers are written on pages and in the terminal.
public enum NumberText {
    /// `value` in `style`, with a true minus sign.
    public static func format(_ value: Double, style: NumberStyle) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        switch style {
        case .significant(let digits): return format(value, digits: digits)
        case .percent(let decimals): return minus(String(format: "%.\(max(0, decimals))f", 100 * value)) + "%"
        case .points(let decimals):
            let text = minus(String(format: "%.\(max(0, decimals))f", 100 * value))
            return text + (abs(100 * value) == 1 && decimals == 0 ? " point" : " points")
        case .count: return grouped(value.rounded())
        }
    }

    /// `value` with `digits` significant digits: integers below 10⁶ as they are, plain decimals between
    /// 0.001 and 10⁶, and `1.23 × 10⁻⁵` otherwise.
    public static func format(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == value.rounded(), abs(value) < 1e6 { return minus(String(Int64(value))) }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let exponent = Int(Foundation.floor(Foundation.log10(magnitude)))
            let decimals = Swift.max(0, digits - 1 - exponent)
            let text = String(format: "%.\(decimals)f", value)
            // Rounding may reach the next power of ten (0.9996 → 1.000): one digit fewer then.
            if decimals > 0, let rounded = Double(text), abs(rounded) >= Foundation.pow(10, Double(exponent + 1)) {
                return minus(String(format: "%.\(decimals - 1)f", value))
            }
            return minus(text)
        }
        let text = String(format: "%.\(Swift.max(0, digits - 1))e", value)
        let parts = text.split(separator: "e")
        let exponent = Int(parts[1])!
        let superscript = String(String(exponent).map { character -> Character in
            character == "-" ? "⁻" : Array("⁰¹²³⁴⁵⁶⁷⁸⁹")[character.wholeNumberValue!]
        })
        // An exact power of ten reads as one: 10⁻⁸ rather than 1 × 10⁻⁸.
        if Double(parts[0]).map({ abs($0) == 1 }) == true && value == (value < 0 ? -1 : 1) * Foundation.pow(10, Double(exponent)) {
            return (value < 0 ? "−" : "") + "10" + superscript
        }
        return minus(String(parts[0])) + " × 10" + superscript
    }

    /// `value` with at most `digits` significant digits and no trailing zeros: 0.01 is "0.01",
    /// 0.0316 is "0.0316", 5 is "5" (for settings, where the digits shown are the digits chosen).
    public static func short(_ value: Double, digits: Int = 3) -> String {
        var text = format(value, digits: digits)
        guard text.contains("."), !text.contains("×") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A whole number with commas between groups of three digits: "12,345".
    static func grouped(_ value: Double) -> String {
        guard abs(value) < 1e15 else { return format(value, digits: 3) }
        let digits = String(abs(Int64(value)))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(character)
        }
        return (value < 0 ? "−" : "") + result
    }

    /// Replaces a leading hyphen by a true minus sign (and drops it from a number rounded to zero).
    private static func minus(_ text: String) -> String {
        guard text.hasPrefix("-") else { return text }
        return text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : "−" + text.dropFirst()
    }
}
