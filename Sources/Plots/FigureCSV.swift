import Foundation

extension Figure {
    /// The plotted data as CSV: a header row, then one row per point index.
    ///
    /// Each series contributes its own columns, named after its label (or "line 2" and the
    /// like): `<name> x` and `<name> y` for lines and scatter, `<name> x`, `<name> lower`,
    /// `<name> upper` for bands. Shorter series leave their cells empty below their end.
    /// Numbers are written in the shortest form that reads back to the same Double;
    /// non-finite values as `nan`, `inf`, `-inf`. Reference lines are not data and are left out.
    public func csv() -> String {
        var columns: [(header: String, values: [Double])] = []
        for (index, element) in elements.enumerated() {
            let name = element.displayName(index: index)
            switch element {
            case .line(let s): columns += [("\(name) x", s.x), ("\(name) y", s.y)]
            case .scatter(let s): columns += [("\(name) x", s.x), ("\(name) y", s.y)]
            case .band(let s): columns += [("\(name) x", s.x), ("\(name) lower", s.lower), ("\(name) upper", s.upper)]
            case .horizontalLine, .verticalLine: continue
            }
        }
        return CSVTable.render(columns)
    }
}

/// Writing columns of numbers as RFC 4180 CSV.
enum CSVTable {
    /// The header row and one row per index up to the longest column, with `\n` line ends.
    static func render(_ columns: [(header: String, values: [Double])]) -> String {
        guard !columns.isEmpty else { return "" }
        var text = columns.map { quoted($0.header) }.joined(separator: ",") + "\n"
        let rowCount = columns.map(\.values.count).max() ?? 0
        for row in 0..<rowCount {
            text += columns.map { row < $0.values.count ? number($0.values[row]) : "" }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// A field, quoted (with inner quotes doubled) when it holds a comma, quote or line break.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}
