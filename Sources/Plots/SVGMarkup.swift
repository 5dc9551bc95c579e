/// Fixed-precision number formatting for SVG coordinates.
///
/// Every coordinate is rounded to two decimals and written without locale, exponent or
/// trailing zeros, so the same chart always gives the same bytes on every machine.
enum SVGNumber {
    /// The largest magnitude written; points far outside the drawing are clamped here
    /// (they are clipped away anyway) so huge data values cannot overflow the formatter.
    static let limit = 1.0e7

    /// `value` rounded to two decimals: `12.5`, `-3.25`, `0`.
    static func format(_ value: Double) -> String {
        let clamped = value.isNaN ? 0 : min(max(value, -limit), limit)
        let hundredths = Int((clamped * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Escaping of text and attribute values for XML.
enum XMLText {
    /// `text` with `& < > " '` replaced by entities and the control characters XML 1.0
    /// forbids dropped (tab, newline and carriage return stay).
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let isForbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                if !isForbidden { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}

/// The standalone SVG 1.1 document around a drawing's body.
enum SVGDocument {
    /// The XML declaration and `<svg>` root of a `width` x `height` drawing holding `body`,
    /// on a white background.
    static func wrap(width: Double, height: Double, body: String) -> String {
        let w = SVGNumber.format(width), h = SVGNumber.format(height)
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" \
        width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" font-family="sans-serif">
        <rect x="0" y="0" width="\(w)" height="\(h)" fill="#FFFFFF"/>
        \(body)</svg>

        """
    }

    /// A `<text>` element at (`x`, `y`) with escaped content.
    static func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
                     weight: String? = nil, rotate: Double? = nil, fill: String = "#000000") -> String {
        var attributes = "x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" font-size=\"\(SVGNumber.format(size))\""
        attributes += " text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let rotate {
            attributes += " transform=\"rotate(\(SVGNumber.format(rotate)) \(SVGNumber.format(x)) \(SVGNumber.format(y)))\""
        }
        return "<text \(attributes)>\(XMLText.escape(content))</text>\n"
    }

    /// A rough width in pixels of `content` set at `size`, for laying out legends and margins
    /// (SVG has no text measurement before display; the average glyph is about 0.6 em wide).
    static func estimatedWidth(of content: String, size: Double) -> Double {
        Double(content.count) * size * 0.6
    }
}
