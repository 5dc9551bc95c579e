/// The same `add` functions for data of any floating-point type (`[Float]` read out of
/// training, for instance); each converts to Double and calls the Double version.
extension Figure {
    /// Adds a line through (x[i], y[i]) from values of any floating-point type.
    public mutating func addLine<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        x: [X], y: [Y], label: String? = nil, color: PlotColor? = nil, width: Double = 2, dash: LineDash = .solid
    ) throws {
        try addLine(x: x.map { Double($0) }, y: y.map { Double($0) }, label: label, color: color, width: width, dash: dash)
    }

    /// Adds a line through (i, y[i]) for i = 0, 1, 2, ... from values of any floating-point type.
    public mutating func addLine<Y: BinaryFloatingPoint>(
        y: [Y], label: String? = nil, color: PlotColor? = nil, width: Double = 2, dash: LineDash = .solid
    ) throws {
        try addLine(y: y.map { Double($0) }, label: label, color: color, width: width, dash: dash)
    }

    /// Adds a dot at each (x[i], y[i]) from values of any floating-point type.
    public mutating func addScatter<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        x: [X], y: [Y], label: String? = nil, color: PlotColor? = nil, radius: Double = 3
    ) throws {
        try addScatter(x: x.map { Double($0) }, y: y.map { Double($0) }, label: label, color: color, radius: radius)
    }

    /// Adds a band between lower[i] and upper[i] over x[i] from values of any floating-point type.
    public mutating func addBand<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        x: [X], lower: [Y], upper: [Y], label: String? = nil, color: PlotColor? = nil, opacity: Double = 0.2
    ) throws {
        try addBand(x: x.map { Double($0) }, lower: lower.map { Double($0) }, upper: upper.map { Double($0) },
                    label: label, color: color, opacity: opacity)
    }
}
