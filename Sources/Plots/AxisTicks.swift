import Foundation

/// How an axis maps data values to positions.
public enum AxisScale: Equatable, Sendable {
    /// Position proportional to the value.
    case linear
    /// Position proportional to log10 of the value; every value must be positive.
    case log10

    /// The value in the space where the axis is linear: `v` or `log10(v)`.
    func transform(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log10: return Foundation.log10(value)
        }
    }
}

/// One labelled tick mark on an axis.
public struct Tick: Equatable, Sendable {
    /// The data value the tick marks.
    public let value: Double
    /// The text written beside the tick.
    public let label: String
}

/// The visible range of an axis with its labelled (major) and unlabelled (minor) ticks.
public struct AxisTicks: Equatable, Sendable {
    /// The data range the axis spans, end to end.
    public let domain: ClosedRange<Double>
    /// The labelled ticks, in increasing order.
    public let major: [Tick]
    /// Unlabelled ticks between the major ones (log axes: 2..9 times each decade).
    public let minor: [Double]

    /// Ticks for a linear axis over `lower...upper`, spaced by a "nice" step of 1, 2 or 5
    /// times a power of ten chosen so that about `targetCount` intervals cover the range.
    ///
    /// With `extend` the domain grows outward to the nearest ticks (0...7 becomes 0...8 with
    /// ticks 0, 2, 4, 6, 8); without it the domain is exactly `lower...upper` and only the
    /// ticks inside are kept. A zero-width range is widened (by 1 around zero, else by 10%).
    public static func linear(lower: Double, upper: Double, targetCount: Int = 5, extend: Bool = true) -> AxisTicks {
        var (low, high) = (min(lower, upper), max(lower, upper))
        let magnitude = max(abs(low), abs(high))
        // A range too narrow for the precision of Double (or down among the subnormal numbers,
        // where powers of ten stop being representable) is widened around its middle.
        if high - low <= magnitude * 1e-12 || high - low < 1e-250 {
            let middle = low / 2 + high / 2
            let delta = abs(middle) < 1e-250 ? 1 : abs(middle) * 0.1
            (low, high) = (middle - delta, middle + delta)
        }
        // Step = mantissa * 10^exponent, with mantissa in {1, 2, 5}, the smallest at least raw.
        let intervals = Double(max(targetCount, 1))
        let raw = high / intervals - low / intervals  // (high - low) / n without overflow
        var exponent = Int(Foundation.floor(Foundation.log10(raw)))
        let fraction = raw / DecimalValue.value(units: 1, exponent: exponent)
        let tolerance = 1e-9
        var mantissa: Int
        switch fraction {
        case ...(1 + tolerance): mantissa = 1
        case ...(2 + tolerance): mantissa = 2
        case ...(5 + tolerance): mantissa = 5
        default: mantissa = 1; exponent += 1
        }
        let step = DecimalValue.value(units: mantissa, exponent: exponent)
        let first = Int(extend ? Foundation.floor(low / step + tolerance) : Foundation.ceil(low / step - tolerance))
        let last = Int(extend ? Foundation.ceil(high / step - tolerance) : Foundation.floor(high / step + tolerance))
        let units = (first...max(first, last)).map { $0 * mantissa }
        let largest = units.map { abs(DecimalValue.value(units: $0, exponent: exponent)) }.max() ?? 0
        let scientific = exponent < -4 || largest >= 1e6
        let major = units.map { unit in
            Tick(value: DecimalValue.value(units: unit, exponent: exponent),
                 label: scientific ? DecimalValue.scientificLabel(units: unit, exponent: exponent)
                                   : DecimalValue.plainLabel(units: unit, exponent: exponent))
        }
        let domain = extend ? (major.first!.value...major.last!.value) : (low...high)
        return AxisTicks(domain: domain, major: major, minor: [])
    }

    /// Ticks for a base-10 logarithmic axis over `lower...upper` (both positive): a labelled
    /// tick at each power of ten (every second or further one when there are many decades)
    /// and unlabelled minor ticks at 2..9 times each power when decades are labelled singly.
    ///
    /// With `extend` the domain grows outward to whole decades.
    public static func log10(lower: Double, upper: Double, extend: Bool = true) -> AxisTicks {
        precondition(lower > 0 && upper > 0, "log axis ticks need positive bounds, got \(lower)...\(upper)")
        let (low, high) = (min(lower, upper), max(lower, upper))
        let tolerance = 1e-9
        var firstDecade = Int(Foundation.floor(Foundation.log10(low) + tolerance))
        var lastDecade = Int(Foundation.ceil(Foundation.log10(high) - tolerance))
        // Only a single exact power of ten gives equal decades: show the decade on each side.
        if firstDecade == lastDecade { firstDecade -= 1; lastDecade += 1 }
        let domain = extend
            ? DecimalValue.value(units: 1, exponent: firstDecade)...DecimalValue.value(units: 1, exponent: lastDecade)
            : low...high
        let decadeStep = max(1, (lastDecade - firstDecade + 7) / 8)
        var major: [Tick] = []
        var minor: [Double] = []
        for decade in firstDecade...lastDecade {
            let power = DecimalValue.value(units: 1, exponent: decade)
            if decade % decadeStep == 0, domain.contains(power) || isClose(power, domain) {
                let label = (-4...5).contains(decade)
                    ? DecimalValue.plainLabel(units: 1, exponent: decade)
                    : DecimalValue.scientificLabel(units: 1, exponent: decade)
                major.append(Tick(value: power, label: label))
            }
            if decadeStep == 1 && decade < lastDecade {
                for multiple in 2...9 {
                    let value = DecimalValue.value(units: multiple, exponent: decade)
                    if domain.contains(value) { minor.append(value) }
                }
            }
        }
        return AxisTicks(domain: domain, major: major, minor: minor)
    }

    private static func isClose(_ value: Double, _ range: ClosedRange<Double>) -> Bool {
        abs(value - range.lowerBound) <= 1e-12 * value || abs(value - range.upperBound) <= 1e-12 * value
    }
}

/// Numbers of the form `units * 10^exponent`, built and printed from the integers so that
/// tick values and labels carry no binary rounding noise (0.6, never 0.6000000000000001).
enum DecimalValue {
    /// The Double nearest to `units * 10^exponent` (a division by an exact power of ten
    /// for negative exponents, which rounds once).
    static func value(units: Int, exponent: Int) -> Double {
        var power = 1.0
        for _ in 0..<abs(exponent) { power *= 10 }
        return exponent >= 0 ? Double(units) * power : Double(units) / power
    }

    /// Positional notation without trailing zeros: `0.25`, `1500`, `-3`.
    static func plainLabel(units: Int, exponent: Int) -> String {
        if units == 0 { return "0" }
        let sign = units < 0 ? "-" : ""
        var digits = String(abs(units))
        if exponent >= 0 { return sign + digits + String(repeating: "0", count: exponent) }
        let decimals = -exponent
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        var whole = String(digits.dropLast(decimals))
        var fraction = String(digits.suffix(decimals))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if whole.isEmpty { whole = "0" }
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Scientific notation with a short mantissa: `2e6`, `1.5e-7`.
    static func scientificLabel(units: Int, exponent: Int) -> String {
        if units == 0 { return "0" }
        var (remaining, power) = (abs(units), exponent)
        while remaining % 10 == 0 { remaining /= 10; power += 1 }
        let digits = String(remaining)
        let leading = String(digits.prefix(1)), rest = String(digits.dropFirst())
        let mantissa = rest.isEmpty ? leading : leading + "." + rest
        return (units < 0 ? "-" : "") + mantissa + "e" + String(power + digits.count - 1)
    }
}
