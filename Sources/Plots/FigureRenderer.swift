/// Turns a `Figure` into the SVG elements of its drawing (everything inside the `<svg>` root).
///
/// Layout, top to bottom: title, plot area (grid, series clipped to the area, frame,
/// reference-line labels, legend), tick labels, axis labels. Margins grow to fit the tick
/// labels and an outside legend.
struct FigureRenderer {
    let figure: Figure
    /// Prefix of element ids, distinct for each figure in one document (clip paths are referenced by id).
    let idPrefix: String

    static let fontSize = 12.0
    static let titleSize = 15.0
    static let tickLength = 5.0

    /// The SVG elements of the figure; throws for an empty figure, a bad size or limits,
    /// and non-positive values on a log axis.
    func body() throws -> String {
        guard !figure.elements.isEmpty else { throw PlotsError.emptyFigure(title: figure.title) }
        try Self.requireSize("figure", figure.width, figure.height)
        try validateLogAxes()
        let xTicks = try Self.ticks(scale: figure.xScale, limits: figure.xLimits, values: values(horizontal: true), axis: "x")
        let yTicks = try Self.ticks(scale: figure.yScale, limits: figure.yLimits, values: values(horizontal: false), axis: "y")
        let legend = Legend(entries: figure.elements.filter(\.isLegendEntry), fontSize: Self.fontSize)
        let area = try plotArea(xTicks: xTicks, yTicks: yTicks, legend: legend)
        let xMap = AxisMap(scale: figure.xScale, domain: xTicks.domain, start: area.left, end: area.right)
        let yMap = AxisMap(scale: figure.yScale, domain: yTicks.domain, start: area.bottom, end: area.top)

        var svg = "<defs><clipPath id=\"\(idPrefix)-plot\">\(area.rectangle(fill: nil, stroke: nil))</clipPath></defs>\n"
        svg += grid(xTicks: xTicks, yTicks: yTicks, xMap: xMap, yMap: yMap, area: area)
        svg += "<g clip-path=\"url(#\(idPrefix)-plot)\">\n"
        for element in figure.elements { svg += draw(element, xMap: xMap, yMap: yMap, area: area) }
        svg += "</g>\n"
        svg += area.rectangle(fill: nil, stroke: "#333333") + "\n"
        svg += axes(xTicks: xTicks, yTicks: yTicks, xMap: xMap, yMap: yMap, area: area)
        svg += referenceLabels(xMap: xMap, yMap: yMap, area: area)
        svg += titles(area: area)
        if !legend.entries.isEmpty, let origin = legendOrigin(legend, area: area) {
            svg += legend.draw(x: origin.x, y: origin.y)
        }
        return svg
    }

    // MARK: - Data ranges

    /// The finite coordinates along one axis of every element, which the axis must show.
    private func values(horizontal: Bool) -> [Double] {
        var result: [Double] = []
        for element in figure.elements {
            switch element {
            case .line(let s): result += horizontal ? s.x : s.y
            case .scatter(let s): result += horizontal ? s.x : s.y
            case .band(let s): result += horizontal ? s.x : s.lower + s.upper
            case .horizontalLine(let r): if !horizontal { result.append(r.position) }
            case .verticalLine(let r): if horizontal { result.append(r.position) }
            }
        }
        return result.filter(\.isFinite)
    }

    /// Ticks for one axis: from the limits if given (exactly), else from the data extended
    /// to nice ticks, else a default unit range.
    private static func ticks(scale: AxisScale, limits: ClosedRange<Double>?, values: [Double], axis: String) throws -> AxisTicks {
        if let limits {
            let valid = limits.lowerBound.isFinite && limits.upperBound.isFinite && limits.lowerBound < limits.upperBound
                && (scale == .linear || limits.lowerBound > 0)
            guard valid else { throw PlotsError.invalidLimits(axis: axis, lower: limits.lowerBound, upper: limits.upperBound) }
            return scale == .linear
                ? AxisTicks.linear(lower: limits.lowerBound, upper: limits.upperBound, extend: false)
                : AxisTicks.log10(lower: limits.lowerBound, upper: limits.upperBound, extend: false)
        }
        let low = values.min() ?? (scale == .linear ? 0 : 1)
        let high = values.max() ?? (scale == .linear ? 1 : 10)
        return scale == .linear ? AxisTicks.linear(lower: low, upper: high) : AxisTicks.log10(lower: low, upper: high)
    }

    /// Throws for the first finite value at or below zero on a logarithmic axis.
    private func validateLogAxes() throws {
        for (index, element) in figure.elements.enumerated() {
            let name = element.displayName(index: index)
            var checks: [(AxisScale, String, [Double])] = []
            switch element {
            case .line(let s): checks = [(figure.xScale, "x", s.x), (figure.yScale, "y", s.y)]
            case .scatter(let s): checks = [(figure.xScale, "x", s.x), (figure.yScale, "y", s.y)]
            case .band(let s): checks = [(figure.xScale, "x", s.x), (figure.yScale, "y", s.lower + s.upper)]
            case .horizontalLine(let r): checks = [(figure.yScale, "y", [r.position])]
            case .verticalLine(let r): checks = [(figure.xScale, "x", [r.position])]
            }
            for (scale, axis, values) in checks where scale == .log10 {
                if let bad = values.first(where: { $0.isFinite && $0 <= 0 }) {
                    throw PlotsError.nonPositiveOnLogAxis(series: name, axis: axis, value: bad)
                }
            }
        }
    }

    static func requireSize(_ what: String, _ width: Double, _ height: Double) throws {
        guard width.isFinite, height.isFinite, width >= 120, height >= 100, width <= SVGNumber.limit, height <= SVGNumber.limit else {
            throw PlotsError.invalidSize(what: what, width: width, height: height,
                                         requirement: "it must be finite and at least 120 x 100 pixels")
        }
    }

    // MARK: - Layout

    /// The plot area left after the margins for title, tick labels, axis labels and legend.
    private func plotArea(xTicks: AxisTicks, yTicks: AxisTicks, legend: Legend) throws -> Rectangle {
        let size = Self.fontSize
        let widestYLabel = yTicks.major.map { SVGDocument.estimatedWidth(of: $0.label, size: size) }.max() ?? 0
        let lastXLabel = xTicks.major.last.map { SVGDocument.estimatedWidth(of: $0.label, size: size) } ?? 0
        let left = 10 + (figure.yLabel.isEmpty ? 0 : size + 8) + widestYLabel + Self.tickLength + 4
        let top = figure.title.isEmpty ? 14 : Self.titleSize + 22
        let bottom = 8 + Self.tickLength + size + (figure.xLabel.isEmpty ? 4 : size + 12)
        var right = max(16, lastXLabel / 2 + 4)
        if figure.legendPlacement == .outsideRight && !legend.entries.isEmpty { right = legend.width + 24 }
        let area = Rectangle(left: left, top: top, right: figure.width - right, bottom: figure.height - bottom)
        guard area.right - area.left >= 20, area.bottom - area.top >= 20 else {
            throw PlotsError.invalidSize(what: "figure '\(figure.title)'", width: figure.width, height: figure.height,
                                         requirement: "the title, labels and legend leave no room for the plot; make the figure larger")
        }
        return area
    }

    /// The upper left corner of the legend box, or nil when the legend is hidden.
    private func legendOrigin(_ legend: Legend, area: Rectangle) -> (x: Double, y: Double)? {
        let inset = 8.0
        switch figure.legendPlacement {
        case .hidden: return nil
        case .topRight: return (area.right - inset - legend.width, area.top + inset)
        case .topLeft: return (area.left + inset, area.top + inset)
        case .bottomRight: return (area.right - inset - legend.width, area.bottom - inset - legend.height)
        case .bottomLeft: return (area.left + inset, area.bottom - inset - legend.height)
        case .outsideRight: return (area.right + 12, area.top)
        }
    }

    // MARK: - Drawing

    private func grid(xTicks: AxisTicks, yTicks: AxisTicks, xMap: AxisMap, yMap: AxisMap, area: Rectangle) -> String {
        var svg = "<g stroke=\"\(PlotColor.lightGray.hex)\" stroke-width=\"1\">\n"
        for tick in xTicks.major {
            let x = SVGNumber.format(xMap.position(tick.value))
            svg += "<line x1=\"\(x)\" y1=\"\(SVGNumber.format(area.top))\" x2=\"\(x)\" y2=\"\(SVGNumber.format(area.bottom))\"/>\n"
        }
        for tick in yTicks.major {
            let y = SVGNumber.format(yMap.position(tick.value))
            svg += "<line x1=\"\(SVGNumber.format(area.left))\" y1=\"\(y)\" x2=\"\(SVGNumber.format(area.right))\" y2=\"\(y)\"/>\n"
        }
        return svg + "</g>\n"
    }

    private func axes(xTicks: AxisTicks, yTicks: AxisTicks, xMap: AxisMap, yMap: AxisMap, area: Rectangle) -> String {
        let size = Self.fontSize
        var svg = "<g stroke=\"#333333\" stroke-width=\"1\">\n"
        func xTickMark(_ value: Double, length: Double) -> String {
            let x = SVGNumber.format(xMap.position(value))
            return "<line x1=\"\(x)\" y1=\"\(SVGNumber.format(area.bottom))\" x2=\"\(x)\" y2=\"\(SVGNumber.format(area.bottom + length))\"/>\n"
        }
        func yTickMark(_ value: Double, length: Double) -> String {
            let y = SVGNumber.format(yMap.position(value))
            return "<line x1=\"\(SVGNumber.format(area.left - length))\" y1=\"\(y)\" x2=\"\(SVGNumber.format(area.left))\" y2=\"\(y)\"/>\n"
        }
        for tick in xTicks.major { svg += xTickMark(tick.value, length: Self.tickLength) }
        for value in xTicks.minor { svg += xTickMark(value, length: Self.tickLength / 2) }
        for tick in yTicks.major { svg += yTickMark(tick.value, length: Self.tickLength) }
        for value in yTicks.minor { svg += yTickMark(value, length: Self.tickLength / 2) }
        svg += "</g>\n"
        for tick in xTicks.major {
            svg += SVGDocument.text(tick.label, x: xMap.position(tick.value), y: area.bottom + Self.tickLength + size + 2,
                                    size: size, anchor: "middle")
        }
        for tick in yTicks.major {
            svg += SVGDocument.text(tick.label, x: area.left - Self.tickLength - 4, y: yMap.position(tick.value) + size * 0.35,
                                    size: size, anchor: "end")
        }
        return svg
    }

    private func titles(area: Rectangle) -> String {
        let size = Self.fontSize
        var svg = ""
        if !figure.title.isEmpty {
            svg += SVGDocument.text(figure.title, x: figure.width / 2, y: Self.titleSize + 8, size: Self.titleSize,
                                    anchor: "middle", weight: "bold")
        }
        if !figure.xLabel.isEmpty {
            svg += SVGDocument.text(figure.xLabel, x: (area.left + area.right) / 2, y: figure.height - 8, size: size, anchor: "middle")
        }
        if !figure.yLabel.isEmpty {
            svg += SVGDocument.text(figure.yLabel, x: 8 + size, y: (area.top + area.bottom) / 2, size: size,
                                    anchor: "middle", rotate: -90)
        }
        return svg
    }

    private func referenceLabels(xMap: AxisMap, yMap: AxisMap, area: Rectangle) -> String {
        var svg = ""
        for element in figure.elements {
            switch element {
            case .horizontalLine(let r):
                guard let label = r.label, yMap.isVisible(r.position) else { continue }
                svg += SVGDocument.text(label, x: area.right - 4, y: yMap.position(r.position) - 4, size: Self.fontSize,
                                        anchor: "end", fill: r.color.hex)
            case .verticalLine(let r):
                guard let label = r.label, xMap.isVisible(r.position) else { continue }
                svg += SVGDocument.text(label, x: xMap.position(r.position) + 4, y: area.top + Self.fontSize + 2,
                                        size: Self.fontSize, fill: r.color.hex)
            default: continue
            }
        }
        return svg
    }

    /// One element's marks, in data coordinates mapped to pixels.
    private func draw(_ element: PlotElement, xMap: AxisMap, yMap: AxisMap, area: Rectangle) -> String {
        switch element {
        case .line(let s):
            let runs = Self.finiteRuns(count: s.x.count) { i in s.x[i].isFinite && s.y[i].isFinite }
            let path = runs.map { run in
                let points = run.map { i in point(xMap.position(s.x[i]), yMap.position(s.y[i])) }
                // A lone finite point is a zero-length piece; its round caps show it as a dot.
                return "M" + points.joined(separator: " L") + (run.count == 1 ? " l0 0" : "")
            }.joined(separator: " ")
            guard !path.isEmpty else { return "" }
            var attributes = "fill=\"none\" stroke=\"\(s.color.hex)\" stroke-width=\"\(SVGNumber.format(s.width))\""
            attributes += " stroke-linejoin=\"round\" stroke-linecap=\"round\""
            if let dashes = s.dash.dashArray(lineWidth: s.width) { attributes += " stroke-dasharray=\"\(dashes)\"" }
            return "<path d=\"\(path)\" \(attributes)/>\n"
        case .scatter(let s):
            var svg = "<g fill=\"\(s.color.hex)\">\n"
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                svg += "<circle cx=\"\(SVGNumber.format(xMap.position(s.x[i])))\" cy=\"\(SVGNumber.format(yMap.position(s.y[i])))\""
                svg += " r=\"\(SVGNumber.format(s.radius))\"/>\n"
            }
            return svg + "</g>\n"
        case .band(let s):
            let runs = Self.finiteRuns(count: s.x.count) { i in s.x[i].isFinite && s.lower[i].isFinite && s.upper[i].isFinite }
            // Each run is one closed outline: along the upper edge, then back along the lower edge.
            let path = runs.map { run in
                let upper = run.map { i in point(xMap.position(s.x[i]), yMap.position(s.upper[i])) }
                let lower = run.reversed().map { i in point(xMap.position(s.x[i]), yMap.position(s.lower[i])) }
                return "M" + (upper + lower).joined(separator: " L") + " Z"
            }.joined(separator: " ")
            guard !path.isEmpty else { return "" }
            return "<path d=\"\(path)\" fill=\"\(s.color.hex)\" fill-opacity=\"\(SVGNumber.format(s.opacity))\" stroke=\"none\"/>\n"
        case .horizontalLine(let r):
            guard yMap.isVisible(r.position) else { return "" }
            let y = yMap.position(r.position)
            return referenceLine(r, from: (area.left, y), to: (area.right, y))
        case .verticalLine(let r):
            guard xMap.isVisible(r.position) else { return "" }
            let x = xMap.position(r.position)
            return referenceLine(r, from: (x, area.top), to: (x, area.bottom))
        }
    }

    private func referenceLine(_ r: ReferenceLine, from start: (Double, Double), to end: (Double, Double)) -> String {
        var svg = "<line x1=\"\(SVGNumber.format(start.0))\" y1=\"\(SVGNumber.format(start.1))\""
        svg += " x2=\"\(SVGNumber.format(end.0))\" y2=\"\(SVGNumber.format(end.1))\" stroke=\"\(r.color.hex)\" stroke-width=\"1.5\""
        if let dashes = r.dash.dashArray(lineWidth: 1.5) { svg += " stroke-dasharray=\"\(dashes)\"" }
        return svg + "/>\n"
    }

    private func point(_ x: Double, _ y: Double) -> String { "\(SVGNumber.format(x)) \(SVGNumber.format(y))" }

    /// The maximal runs of consecutive indices in `0..<count` where `isFinite` holds.
    static func finiteRuns(count: Int, isFinite: (Int) -> Bool) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for i in 0..<count {
            if isFinite(i) { current.append(i) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

/// An axis-aligned rectangle in pixels (y grows downward, as in SVG).
struct Rectangle {
    let left: Double, top: Double, right: Double, bottom: Double

    func rectangle(fill: String?, stroke: String?) -> String {
        "<rect x=\"\(SVGNumber.format(left))\" y=\"\(SVGNumber.format(top))\" width=\"\(SVGNumber.format(right - left))\""
            + " height=\"\(SVGNumber.format(bottom - top))\" fill=\"\(fill ?? "none")\""
            + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? "") + "/>"
    }
}

/// The map from data values to pixels along one axis:
/// `pixel = start + (t(v) - t(low)) / (t(high) - t(low)) * (end - start)`, with `t` the identity or log10.
struct AxisMap {
    let scale: AxisScale
    let domain: ClosedRange<Double>
    let start: Double
    let end: Double

    func position(_ value: Double) -> Double {
        let low = scale.transform(domain.lowerBound), high = scale.transform(domain.upperBound)
        return start + (scale.transform(value) - low) / (high - low) * (end - start)
    }

    /// Whether `value` lies within the axis (reference lines outside it are not drawn).
    func isVisible(_ value: Double) -> Bool { value.isFinite && domain.contains(value) }
}

extension PlotElement {
    /// Series with a label appear in the legend; reference lines carry their label beside them instead.
    var isLegendEntry: Bool {
        switch self {
        case .line, .scatter, .band: return label != nil
        case .horizontalLine, .verticalLine: return false
        }
    }

    /// The label, or the kind and position ("line 2") for an unlabelled element.
    func displayName(index: Int) -> String {
        if let label { return label }
        switch self {
        case .line: return "line \(index + 1)"
        case .scatter: return "scatter \(index + 1)"
        case .band: return "band \(index + 1)"
        case .horizontalLine: return "horizontal line \(index + 1)"
        case .verticalLine: return "vertical line \(index + 1)"
        }
    }
}
