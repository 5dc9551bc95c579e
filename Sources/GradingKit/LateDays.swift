import Foundation

/// A bank of late days each student may spend over the term, spent by the grader in the
/// student's favour: only when a day raises the grade, and no more days than that needs.
///
///     "slipDays": { "days": 3, "spent": { "s07": 1 } }
///
/// `spent` records days a student already used on earlier assignments of the term.
public struct SlipDays: Codable, Equatable, Sendable {
    /// Late days in each student's bank for the term.
    public var days: Int
    /// Days each student already spent before this assignment (absent students: none).
    public var spent: [String: Int]
    /// The length of one late day in seconds (86,400 unless a course counts otherwise).
    public var period: Double

    /// A bank of `days` late days of `period` seconds; throws when a count is negative or the period is not positive.
    public init(days: Int, spent: [String: Int] = [:], period: Double = 86_400) throws {
        guard days >= 0 else { throw GradingError.invalidConfig("slipDays.days must be 0 or more, got \(days)") }
        guard period > 0 else { throw GradingError.invalidConfig("slipDays.period must be positive, got \(period)") }
        if let (student, count) = spent.first(where: { $0.value < 0 }) {
            throw GradingError.invalidConfig("slipDays.spent for \(student) must be 0 or more, got \(count)")
        }
        (self.days, self.spent, self.period) = (days, spent, period)
    }

    private enum CodingKeys: String, CodingKey { case days, spent, period }

    /// Decodes a bank and checks it as `init(days:spent:period:)` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(days: container.decode(Int.self, forKey: .days),
                      spent: container.decodeIfPresent([String: Int].self, forKey: .spent) ?? [:],
                      period: container.decodeIfPresent(Double.self, forKey: .period) ?? 86_400)
    }

    /// The days `student` still has before this assignment.
    public func left(for student: String) -> Int { max(0, days - (spent[student] ?? 0)) }
}

/// A student's own deadline: a new time (`"2026-12-18T23:59:00Z"`) or a number of extra days (`2`).
public enum Extension: Codable, Equatable, Sendable {
    /// The student's deadline is this time.
    case until(Date)
    /// The course's deadline plus this many days.
    case days(Double)

    /// Decodes a time with a zone or a number of days.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let days = try? container.decode(Double.self) {
            guard days >= 0, days.isFinite else { throw GradingError.invalidConfig("an extension of \(days) days must be 0 or more") }
            self = .days(days)
            return
        }
        let text = try container.decode(String.self)
        guard let date = parseTimestamp(text) else {
            throw GradingError.invalidConfig("extension \"\(text)\" is neither a number of days nor an ISO 8601 time with a zone")
        }
        self = .until(date)
    }

    /// Encodes the time or the number of days.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .until(let date): try container.encode(formatTimestamp(date))
        case .days(let days): try container.encode(days)
        }
    }

    /// The deadline this extension gives, from the course's.
    public func deadline(from course: Date) -> Date {
        switch self {
        case .until(let date): date
        case .days(let days): course.addingTimeInterval(days * 86_400)
        }
    }
}

/// How lateness was settled for one student: the deadline that applied, the late days spent and
/// left, and the points the late policy took. Written into `results.json` (`extra_data.late`).
public struct LateRecord: Codable, Equatable, Sendable {
    /// The deadline that applied, the student's extension included.
    public var deadline: String
    /// True when the student had an extension.
    public var extended: Bool
    /// When the student submitted.
    public var submitted: String
    /// Whole late days (started ones) past that deadline, before any slip day.
    public var days_late: Int
    /// Slip days spent on this assignment.
    public var slip_days_used: Int
    /// Slip days left for the rest of the term (nil when the course has no bank).
    public var slip_days_left: Int?
    /// Points taken off by the late policy.
    public var penalty: Double
    /// Points after the penalty.
    public var final: Double
}

/// Applies a course's deadline, extensions, slip days and late policy to one student's score.
public enum LateDays {
    /// The settlement for `student`'s `score` out of `maxPoints`, submitted at `submitted`: the
    /// extension moves the deadline; of the slip days left, the fewest that give the highest
    /// score after the late policy are spent (none when they would not raise it).
    public static func settle(student: String, score: Double, maxPoints: Double, submitted: Date, config: CourseConfig) -> LateRecord {
        let extensionGiven = config.extensions?[student]
        let deadline = extensionGiven?.deadline(from: config.deadline) ?? config.deadline
        let bank = config.slipDays
        let period = bank?.period ?? 86_400
        let seconds = submitted.timeIntervalSince(deadline)
        let daysLate = seconds <= 0 ? 0 : Int((seconds / period).rounded(.up))
        let left = bank?.left(for: student) ?? 0
        func final(spending days: Int) -> Double {
            guard let policy = config.latePolicy else { return score }
            return policy.apply(score: score, maxPoints: maxPoints, submitted: submitted,
                                deadline: deadline.addingTimeInterval(Double(days) * period))
        }
        var used = 0
        var best = final(spending: 0)
        if daysLate > 0 && left > 0 {
            for days in 1...min(left, daysLate) {
                let candidate = final(spending: days)
                if candidate > best { (used, best) = (days, candidate) }
            }
        }
        return LateRecord(deadline: formatTimestamp(deadline), extended: extensionGiven != nil, submitted: formatTimestamp(submitted),
                          days_late: daysLate, slip_days_used: used, slip_days_left: bank.map { _ in left - used },
                          penalty: score - best, final: best)
    }

    /// One sentence for a student's feedback: how late, which deadline, the days spent and left, the penalty.
    public static func sentence(_ record: LateRecord) -> String {
        let deadline = "\(record.extended ? "your extended deadline" : "the deadline") \(record.deadline)"
        guard record.days_late > 0 else { return "Submitted \(record.submitted), on time for \(deadline)." }
        var text = "Submitted \(record.submitted), \(record.days_late) day\(record.days_late == 1 ? "" : "s") after \(deadline)"
        if let left = record.slip_days_left {
            text += "; \(record.slip_days_used) slip day\(record.slip_days_used == 1 ? "" : "s") used, \(left) left for the term"
        }
        return text + "; late penalty \(formatPoints(record.penalty)) points, grade \(formatPoints(record.final))."
    }
}
