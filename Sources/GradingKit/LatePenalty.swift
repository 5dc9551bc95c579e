import Foundation

/// A late-submission policy as the handouts state them, applied to a score.
///
/// - `perStartedPeriod(fraction: 0.1, period: 86_400, cutoffPeriods: 3)`: 10% per day, rounded up
///   to whole days, nothing accepted after 3 days (homework on MAML and Adam).
/// - `perStartedPeriod(fraction: 0.1, period: 3_600, cutoffPeriods: nil)`: 10 percentage points
///   per hour late, rounded up to whole hours (homework on FO-MAML).
public struct LatePenalty: Codable, Equatable, Sendable {
    /// The share of the available points lost per started period.
    public var fraction: Double
    /// The period in seconds (a day, an hour).
    public var period: Double
    /// After this many periods the submission is not accepted (score 0); nil for no limit.
    public var cutoffPeriods: Int?

    /// Makes a policy; throws unless 0 ≤ fraction ≤ 1 and period > 0.
    public init(fraction: Double, period: Double, cutoffPeriods: Int?) throws {
        guard (0...1).contains(fraction) else { throw GradingError.invalidConfig("late penalty fraction must be in [0, 1], got \(fraction)") }
        guard period > 0 else { throw GradingError.invalidConfig("late penalty period must be positive, got \(period)") }
        self.fraction = fraction
        self.period = period
        self.cutoffPeriods = cutoffPeriods
    }

    /// Started periods late: ⌈(submitted − deadline) / period⌉, zero when on time.
    public func periodsLate(submitted: Date, deadline: Date) -> Int {
        let seconds = submitted.timeIntervalSince(deadline)
        return seconds <= 0 ? 0 : Int((seconds / period).rounded(.up))
    }

    /// The score after the penalty: score − fraction · periods · maxPoints, never below zero;
    /// zero after the cut-off.
    public func apply(score: Double, maxPoints: Double, submitted: Date, deadline: Date) -> Double {
        let periods = periodsLate(submitted: submitted, deadline: deadline)
        if let cutoffPeriods, periods > cutoffPeriods { return 0 }
        return max(0, score - fraction * Double(periods) * maxPoints)
    }
}

extension LatePenalty {
    private enum CodingKeys: String, CodingKey { case fraction, period, cutoffPeriods }

    /// Decodes a policy and checks it as `init(fraction:period:cutoffPeriods:)` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            fraction: container.decode(Double.self, forKey: .fraction),
            period: container.decode(Double.self, forKey: .period),
            cutoffPeriods: container.decodeIfPresent(Int.self, forKey: .cutoffPeriods))
    }
}
