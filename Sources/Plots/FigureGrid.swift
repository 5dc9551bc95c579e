import Foundation

/// Several figures side by side in one SVG, filled row by row (for "fit after 0, 1, ..., k steps").
///
/// Each figure keeps its own size; a column is as wide as its widest figure and a row as
/// tall as its tallest. Each panel is a nested `<svg>` element, so figures render exactly
/// as they do alone.
public struct FigureGrid: Sendable {
    /// The number of panels per row.
    public let columns: Int
    /// A heading above all panels (empty for none).
    public var title: String
    /// The panels, in reading order.
    public private(set) var figures: [Figure] = []

    /// An empty grid of `columns` panels per row.
    public init(columns: Int, title: String = "", figures: [Figure] = []) {
        self.columns = columns
        self.title = title
        self.figures = figures
    }

    /// Appends a panel after the last one.
    public mutating func add(_ figure: Figure) {
        figures.append(figure)
    }

    /// The grid as a standalone SVG 1.1 document; throws for an empty grid, fewer than one
    /// column, or any panel that cannot be drawn.
    public func svg() throws -> String {
        guard columns >= 1 else { throw PlotsError.invalidColumns(columns) }
        guard !figures.isEmpty else { throw PlotsError.emptyFigure(title: title) }
        let layout = cellLayout()
        var body = ""
        if !title.isEmpty {
            body += SVGDocument.text(title, x: layout.width / 2, y: 22, size: 17, anchor: "middle", weight: "bold")
        }
        for (index, figure) in figures.enumerated() {
            let origin = layout.origins[index]
            let panel = try FigureRenderer(figure: figure, idPrefix: "f\(index)").body()
            body += "<svg x=\"\(SVGNumber.format(origin.x))\" y=\"\(SVGNumber.format(origin.y))\""
            body += " width=\"\(SVGNumber.format(figure.width))\" height=\"\(SVGNumber.format(figure.height))\">\n"
            body += panel + "</svg>\n"
        }
        return SVGDocument.wrap(width: layout.width, height: layout.height, body: body)
    }

    /// Every panel's data side by side, each header prefixed by the panel number and title
    /// ("2 after 1 step: line 1 x").
    public func csv() -> String {
        var columnsOut: [(header: String, values: [Double])] = []
        for (index, figure) in figures.enumerated() {
            let prefix = figure.title.isEmpty ? "\(index + 1)" : "\(index + 1) \(figure.title)"
            for (elementIndex, element) in figure.elements.enumerated() {
                let name = "\(prefix): \(element.displayName(index: elementIndex))"
                switch element {
                case .line(let s): columnsOut += [("\(name) x", s.x), ("\(name) y", s.y)]
                case .scatter(let s): columnsOut += [("\(name) x", s.x), ("\(name) y", s.y)]
                case .band(let s): columnsOut += [("\(name) x", s.x), ("\(name) lower", s.lower), ("\(name) upper", s.upper)]
                case .horizontalLine, .verticalLine: continue
                }
            }
        }
        return CSVTable.render(columnsOut)
    }

    /// Writes `name.svg` and `name.csv` into `directory`, creating the directory if needed.
    public func write(to directory: URL, name: String) throws {
        try FileOutput.write([("svg", try svg()), ("csv", csv())], to: directory, name: name)
    }

    /// Panel positions: column widths are the widest figure in each column, row heights the
    /// tallest in each row, with no gap (each figure has its own margins).
    private func cellLayout() -> (origins: [(x: Double, y: Double)], width: Double, height: Double) {
        let rowCount = (figures.count + columns - 1) / columns
        var columnWidths = [Double](repeating: 0, count: columns)
        var rowHeights = [Double](repeating: 0, count: rowCount)
        for (index, figure) in figures.enumerated() {
            columnWidths[index % columns] = max(columnWidths[index % columns], figure.width)
            rowHeights[index / columns] = max(rowHeights[index / columns], figure.height)
        }
        let top = title.isEmpty ? 0.0 : 34.0
        let origins = figures.indices.map { index in
            (x: columnWidths[..<(index % columns)].reduce(0, +), y: top + rowHeights[..<(index / columns)].reduce(0, +))
        }
        return (origins, columnWidths.reduce(0, +), top + rowHeights.reduce(0, +))
    }
}
