/// A colour written into SVG as `#rrggbb`.
public struct PlotColor: Equatable, Hashable, Sendable {
    /// The colour as SVG writes it, for example `#0072B2`.
    public let hex: String

    /// A colour from its red, green and blue components (each 0...255).
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        func twoDigits(_ value: UInt8) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        hex = "#" + twoDigits(red) + twoDigits(green) + twoDigits(blue)
    }

    /// The colour cycle given to series that name no colour: the Okabe-Ito palette,
    /// chosen so that the colours stay distinguishable under the common kinds of colour blindness.
    public static let palette: [PlotColor] = [
        PlotColor(red: 0, green: 114, blue: 178),    // blue
        PlotColor(red: 213, green: 94, blue: 0),     // vermillion
        PlotColor(red: 0, green: 158, blue: 115),    // bluish green
        PlotColor(red: 230, green: 159, blue: 0),    // orange
        PlotColor(red: 86, green: 180, blue: 233),   // sky blue
        PlotColor(red: 204, green: 121, blue: 167),  // reddish purple
        PlotColor(red: 240, green: 228, blue: 66),   // yellow
        PlotColor(red: 0, green: 0, blue: 0),        // black
    ]

    /// Black, for text and strong reference lines.
    public static let black = PlotColor(red: 0, green: 0, blue: 0)
    /// A mid grey, the default for reference lines.
    public static let gray = PlotColor(red: 102, green: 102, blue: 102)
    /// A light grey, used for grid lines.
    public static let lightGray = PlotColor(red: 221, green: 221, blue: 221)
}

/// The stroke pattern of a line.
public enum LineDash: Equatable, Sendable {
    /// An unbroken line.
    case solid
    /// Long dashes.
    case dashed
    /// Short dots.
    case dotted
    /// Alternating dashes and dots.
    case dashDot

    /// The SVG `stroke-dasharray` for a line of the given width, or nil for a solid line.
    /// Dash lengths grow with the width so thick dashed lines keep their look.
    func dashArray(lineWidth: Double) -> String? {
        let unit = max(lineWidth, 1)
        let pattern: [Double]
        switch self {
        case .solid: return nil
        case .dashed: pattern = [4, 3]
        case .dotted: pattern = [0.5, 2.5]
        case .dashDot: pattern = [4, 2.5, 0.5, 2.5]
        }
        return pattern.map { SVGNumber.format($0 * unit) }.joined(separator: " ")
    }
}

/// Where a figure draws its legend.
public enum LegendPlacement: Equatable, Sendable {
    /// Inside the plot area, upper right corner.
    case topRight
    /// Inside the plot area, upper left corner.
    case topLeft
    /// Inside the plot area, lower right corner.
    case bottomRight
    /// Inside the plot area, lower left corner.
    case bottomLeft
    /// To the right of the plot area, outside it (the plot narrows to make room).
    case outsideRight
    /// No legend.
    case hidden
}
