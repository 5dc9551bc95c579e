/// The legend box: one row per labelled series, a small sample of its mark beside its label.
struct Legend {
    let entries: [PlotElement]
    let fontSize: Double

    static let padding = 8.0
    static let swatchWidth = 22.0
    static let rowHeight = 18.0

    var width: Double {
        let widest = entries.map { SVGDocument.estimatedWidth(of: $0.label ?? "", size: fontSize) }.max() ?? 0
        return Self.padding + Self.swatchWidth + 8 + widest + Self.padding
    }

    var height: Double { Self.padding * 2 + Double(entries.count) * Self.rowHeight - 4 }

    /// The legend with its upper left corner at (`x`, `y`).
    func draw(x: Double, y: Double) -> String {
        var svg = "<g>\n<rect x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" width=\"\(SVGNumber.format(width))\""
        svg += " height=\"\(SVGNumber.format(height))\" fill=\"#FFFFFF\" fill-opacity=\"0.85\" stroke=\"#999999\" stroke-width=\"1\"/>\n"
        for (row, entry) in entries.enumerated() {
            let middle = y + Self.padding + Double(row) * Self.rowHeight + Self.rowHeight / 2 - 2
            let left = x + Self.padding
            svg += swatch(entry, left: left, middle: middle)
            svg += SVGDocument.text(entry.label ?? "", x: left + Self.swatchWidth + 8, y: middle + fontSize * 0.35, size: fontSize)
        }
        return svg + "</g>\n"
    }

    private func swatch(_ entry: PlotElement, left: Double, middle: Double) -> String {
        let f = SVGNumber.format
        switch entry {
        case .line(let s):
            var svg = "<line x1=\"\(f(left))\" y1=\"\(f(middle))\" x2=\"\(f(left + Self.swatchWidth))\" y2=\"\(f(middle))\""
            svg += " stroke=\"\(s.color.hex)\" stroke-width=\"\(f(s.width))\""
            if let dashes = s.dash.dashArray(lineWidth: s.width) { svg += " stroke-dasharray=\"\(dashes)\"" }
            return svg + "/>\n"
        case .scatter(let s):
            return "<circle cx=\"\(f(left + Self.swatchWidth / 2))\" cy=\"\(f(middle))\" r=\"\(f(min(s.radius, 6)))\" fill=\"\(s.color.hex)\"/>\n"
        case .band(let s):
            return "<rect x=\"\(f(left))\" y=\"\(f(middle - 6))\" width=\"\(f(Self.swatchWidth))\" height=\"12\""
                + " fill=\"\(s.color.hex)\" fill-opacity=\"\(f(max(s.opacity, 0.2)))\"/>\n"
        case .horizontalLine, .verticalLine:
            return ""
        }
    }
}
