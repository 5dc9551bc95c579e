import Foundation

/// A single chart: lines, scatter points, bands and reference lines over two axes,
/// rendered as a standalone SVG with the plotted data beside it as CSV.
///
/// ```swift
/// var figure = Figure(title: "Meta-training", xLabel: "iteration", yLabel: "accuracy")
/// try figure.addLine(x: steps, y: accuracy, label: "validation")
/// figure.addHorizontalLine(y: 0.8, label: "80%")
/// try figure.write(to: outputFolder, name: "accuracy")
/// ```
///
/// Missing data: a NaN or infinite coordinate breaks a line (and a band) at that point, so
/// the pieces before and after are drawn separately; scatter skips such points. The CSV
/// keeps them as `nan`, `inf` and `-inf`.
public struct Figure: Sendable {
    /// The heading above the plot (empty for none).
    public var title: String
    /// The text under the horizontal axis.
    public var xLabel: String
    /// The text beside the vertical axis.
    public var yLabel: String
    /// The drawing width in pixels.
    public var width: Double
    /// The drawing height in pixels.
    public var height: Double
    /// How the horizontal axis maps values to positions.
    public var xScale: AxisScale = .linear
    /// How the vertical axis maps values to positions.
    public var yScale: AxisScale = .linear
    /// A fixed horizontal range; nil fits the data and extends it to the nearest ticks.
    public var xLimits: ClosedRange<Double>? = nil
    /// A fixed vertical range; nil fits the data and extends it to the nearest ticks.
    public var yLimits: ClosedRange<Double>? = nil
    /// Where the legend of labelled series goes.
    public var legendPlacement: LegendPlacement = .topRight
    /// Everything added so far, in drawing order.
    public private(set) var elements: [PlotElement] = []
    /// How many palette colours have been handed out to series without a colour.
    private var colorsUsed = 0

    /// An empty figure of `width` x `height` pixels.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", width: Double = 640, height: Double = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    /// Takes the next colour of the cycle for several elements to share (a line and its band);
    /// series added later without a colour continue with the colour after it.
    public mutating func claimNextColor() -> PlotColor {
        takeColor(nil)
    }

    /// Adds a line through the points (x[i], y[i]); throws if x and y differ in length
    /// or the width is not positive.
    public mutating func addLine(x: [Double], y: [Double], label: String? = nil, color: PlotColor? = nil,
                                 width: Double = 2, dash: LineDash = .solid) throws {
        let name = seriesName(label, kind: "line")
        try Self.requireSameLength(name, "x", x, "y", y)
        try Self.requirePositive(name, "line width", width)
        elements.append(.line(LineSeries(label: label, x: x, y: y, color: takeColor(color), width: width, dash: dash)))
    }

    /// Adds a line through (i, y[i]) for i = 0, 1, 2, ...: a loss curve by step.
    public mutating func addLine(y: [Double], label: String? = nil, color: PlotColor? = nil,
                                 width: Double = 2, dash: LineDash = .solid) throws {
        try addLine(x: y.indices.map(Double.init), y: y, label: label, color: color, width: width, dash: dash)
    }

    /// Adds a dot of `radius` pixels at each point (x[i], y[i]); throws if x and y differ in length.
    public mutating func addScatter(x: [Double], y: [Double], label: String? = nil, color: PlotColor? = nil,
                                    radius: Double = 3) throws {
        let name = seriesName(label, kind: "scatter")
        try Self.requireSameLength(name, "x", x, "y", y)
        try Self.requirePositive(name, "radius", radius)
        elements.append(.scatter(ScatterSeries(label: label, x: x, y: y, color: takeColor(color), radius: radius)))
    }

    /// Adds a filled band between lower[i] and upper[i] over x[i] (for mean +/- std);
    /// throws if the three arrays differ in length or the opacity is outside 0...1.
    public mutating func addBand(x: [Double], lower: [Double], upper: [Double], label: String? = nil,
                                 color: PlotColor? = nil, opacity: Double = 0.2) throws {
        let name = seriesName(label, kind: "band")
        try Self.requireSameLength(name, "x", x, "lower", lower)
        try Self.requireSameLength(name, "x", x, "upper", upper)
        guard (0...1).contains(opacity) else { throw PlotsError.invalidStyle(series: name, property: "opacity", value: opacity) }
        elements.append(.band(BandSeries(label: label, x: x, lower: lower, upper: upper, color: takeColor(color), opacity: opacity)))
    }

    /// Adds a horizontal line across the plot at `y`, with its label written above its right end.
    public mutating func addHorizontalLine(y: Double, label: String? = nil, color: PlotColor = .gray, dash: LineDash = .dashed) {
        elements.append(.horizontalLine(ReferenceLine(label: label, position: y, color: color, dash: dash)))
    }

    /// Adds a vertical line across the plot at `x`, with its label written beside its top end.
    public mutating func addVerticalLine(x: Double, label: String? = nil, color: PlotColor = .gray, dash: LineDash = .dashed) {
        elements.append(.verticalLine(ReferenceLine(label: label, position: x, color: color, dash: dash)))
    }

    /// The figure as a standalone SVG 1.1 document; the same figure always gives the same bytes.
    ///
    /// Throws for an empty figure, bad size or limits, and non-positive values on a log axis.
    public func svg() throws -> String {
        let body = try FigureRenderer(figure: self, idPrefix: "f0").body()
        return SVGDocument.wrap(width: width, height: height, body: body)
    }

    /// Writes `name.svg` and `name.csv` into `directory`, creating the directory if needed.
    public func write(to directory: URL, name: String) throws {
        try FileOutput.write([("svg", try svg()), ("csv", csv())], to: directory, name: name)
    }

    // MARK: - Helpers

    /// The label, or a name from the series' kind and position ("line 2") for messages and headers.
    func seriesName(_ label: String?, kind: String) -> String {
        label ?? "\(kind) \(elements.count + 1)"
    }

    private mutating func takeColor(_ requested: PlotColor?) -> PlotColor {
        if let requested { return requested }
        defer { colorsUsed += 1 }
        return PlotColor.palette[colorsUsed % PlotColor.palette.count]
    }

    private static func requireSameLength(_ series: String, _ firstName: String, _ first: [Double],
                                          _ secondName: String, _ second: [Double]) throws {
        guard first.count == second.count else {
            throw PlotsError.lengthMismatch(series: series, firstName: firstName, firstCount: first.count,
                                            secondName: secondName, secondCount: second.count)
        }
    }

    private static func requirePositive(_ series: String, _ property: String, _ value: Double) throws {
        guard value.isFinite, value > 0 else { throw PlotsError.invalidStyle(series: series, property: property, value: value) }
    }
}

/// Writing a drawing's files next to each other.
enum FileOutput {
    /// Writes each (extension, content) pair as `directory/name.extension`, creating the directory.
    static func write(_ files: [(String, String)], to directory: URL, name: String) throws {
        guard !name.isEmpty, !name.contains("/") else { throw PlotsError.invalidFileName(name) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (fileExtension, content) in files {
            let url = directory.appendingPathComponent("\(name).\(fileExtension)")
            try Data(content.utf8).write(to: url, options: .atomic)
        }
    }
}
