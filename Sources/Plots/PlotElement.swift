/// One thing drawn in a figure, in the order it was added (later elements draw on top).
public enum PlotElement: Equatable, Sendable {
    /// A polyline through (x[i], y[i]); non-finite points break it into separate pieces.
    case line(LineSeries)
    /// A dot at each finite (x[i], y[i]).
    case scatter(ScatterSeries)
    /// A filled region between `lower` and `upper` over `x` (for mean +/- standard deviation).
    case band(BandSeries)
    /// A line across the whole plot at a fixed y (for a target such as 80% accuracy).
    case horizontalLine(ReferenceLine)
    /// A line across the whole plot at a fixed x.
    case verticalLine(ReferenceLine)

    /// The legend text, if the element has one.
    var label: String? {
        switch self {
        case .line(let s): return s.label
        case .scatter(let s): return s.label
        case .band(let s): return s.label
        case .horizontalLine(let r), .verticalLine(let r): return r.label
        }
    }
}

/// The data and style of a line series.
public struct LineSeries: Equatable, Sendable {
    /// The name used in the legend, the CSV header and error messages.
    public var label: String?
    /// Horizontal coordinates.
    public var x: [Double]
    /// Vertical coordinates, one per x.
    public var y: [Double]
    /// The stroke colour.
    public var color: PlotColor
    /// The stroke width in pixels.
    public var width: Double
    /// The stroke pattern.
    public var dash: LineDash
}

/// The data and style of a scatter series.
public struct ScatterSeries: Equatable, Sendable {
    /// The name used in the legend, the CSV header and error messages.
    public var label: String?
    /// Horizontal coordinates.
    public var x: [Double]
    /// Vertical coordinates, one per x.
    public var y: [Double]
    /// The fill colour of the dots.
    public var color: PlotColor
    /// The dot radius in pixels.
    public var radius: Double
}

/// The data and style of a filled band.
public struct BandSeries: Equatable, Sendable {
    /// The name used in the legend, the CSV header and error messages.
    public var label: String?
    /// Horizontal coordinates.
    public var x: [Double]
    /// The lower edge, one value per x.
    public var lower: [Double]
    /// The upper edge, one value per x.
    public var upper: [Double]
    /// The fill colour.
    public var color: PlotColor
    /// The fill opacity, 0 (invisible) to 1 (solid).
    public var opacity: Double
}

/// A horizontal or vertical reference line at a fixed position.
public struct ReferenceLine: Equatable, Sendable {
    /// The text written beside the line.
    public var label: String?
    /// The data value where the line stands (y for horizontal, x for vertical).
    public var position: Double
    /// The stroke colour.
    public var color: PlotColor
    /// The stroke pattern.
    public var dash: LineDash
}
