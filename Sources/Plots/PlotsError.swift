/// What went wrong when building, rendering or writing a chart.
///
/// Every case names the thing at fault (the series, axis, image or file) and the values
/// that made it invalid, so the message alone tells the caller what to fix.
public enum PlotsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two coordinate arrays of one series have different lengths.
    case lengthMismatch(series: String, firstName: String, firstCount: Int, secondName: String, secondCount: Int)
    /// A figure, grid or image grid has nothing in it to draw.
    case emptyFigure(title: String)
    /// A finite value that is zero or negative was given on a logarithmic axis.
    case nonPositiveOnLogAxis(series: String, axis: String, value: Double)
    /// Axis limits that are not finite, or whose lower bound is not below the upper bound.
    case invalidLimits(axis: String, lower: Double, upper: Double)
    /// A drawing size that is too small or not finite.
    case invalidSize(what: String, width: Double, height: Double, requirement: String)
    /// A style setting (line width, radius, opacity) outside its allowed range.
    case invalidStyle(series: String, property: String, value: Double)
    /// A grid asked for a number of columns below one.
    case invalidColumns(Int)
    /// An image whose pixel count does not match its stated width and height.
    case imageSizeMismatch(caption: String, width: Int, height: Int, pixelCount: Int)
    /// A file name that is empty or contains a path separator.
    case invalidFileName(String)

    /// A one-line explanation naming the problem and the values involved.
    public var description: String {
        switch self {
        case let .lengthMismatch(series, firstName, firstCount, secondName, secondCount):
            return "series '\(series)': \(firstName) has \(counted(firstCount, "value")) but \(secondName) has \(secondCount)"
        case let .emptyFigure(title):
            let name = title.isEmpty ? "untitled" : "'\(title)'"
            return "figure \(name) has nothing to draw: add a series, a reference line or an image first"
        case let .nonPositiveOnLogAxis(series, axis, value):
            return "series '\(series)': value \(value) cannot be shown on the logarithmic \(axis) axis (values must be positive)"
        case let .invalidLimits(axis, lower, upper):
            return "\(axis) axis limits \(lower)...\(upper) are invalid: both must be finite and lower < upper (and positive on a log axis)"
        case let .invalidSize(what, width, height, requirement):
            return "\(what) size \(width) x \(height) is invalid: \(requirement)"
        case let .invalidStyle(series, property, value):
            return "series '\(series)': \(property) \(value) is out of range"
        case let .invalidColumns(columns):
            return "a grid needs at least one column, got \(columns)"
        case let .imageSizeMismatch(caption, width, height, pixelCount):
            return "image '\(caption)': \(width) x \(height) needs \(width * height) pixels but \(counted(pixelCount, "was", plural: "were")) given"
        case let .invalidFileName(name):
            return "file name '\(name)' is invalid: it must be non-empty and contain no '/'"
        }
    }

    /// "1 value", "3 values"; with `plural`, "1 was", "3 were".
    private func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        count == 1 ? "\(count) \(singular)" : "\(count) \(plural ?? singular + "s")"
    }
}
