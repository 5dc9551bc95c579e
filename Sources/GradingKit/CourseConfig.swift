import Foundation

/// The course's grading settings, kept as data in a small JSON file (`Grading/course.json`):
/// the deadline, the late policy, the default limits for the processes that run student code,
/// and who sees each part's result on Gradescope.
///
///     { "deadline": "2026-12-15T23:59:00Z",
///       "latePolicy": { "fraction": 0.1, "period": 86400, "cutoffPeriods": 3 },
///       "testSeconds": 300, "memoryMegabytes": 4096,
///       "visibility": { "default": "visible", "FOMAML/weights": "after_published" },
///       "extensions": { "s07": "2026-12-18T23:59:00Z", "s12": 2 },
///       "slipDays": { "days": 3, "spent": { "s03": 1 } },
///       "written": { "ScaleInvariance/Proof": 4 } }
public struct CourseConfig: Codable, Equatable, Sendable {
    /// The deadline, ISO 8601 with a time zone.
    public var deadline: Date
    /// How lateness costs points; nil for no penalty.
    public var latePolicy: LatePenalty?
    /// Seconds allowed for one exercise's hidden tests (nil: the grader's default).
    public var testSeconds: Int?
    /// Address-space limit in MiB for each test process (nil: the grader's default).
    public var memoryMegabytes: Int?
    /// Who sees each part's result on Gradescope (nil: everyone, at once).
    public var visibility: VisibilityRules?
    /// Per-student deadlines, by student id (nil: none).
    public var extensions: [String: Extension]?
    /// The term's bank of late days (nil: none).
    public var slipDays: SlipDays?
    /// Points of the written questions graded by hand, by `<Exercise>/<question>` (nil: none carry points).
    public var written: [String: Double]?

    /// Collects the settings.
    public init(deadline: Date, latePolicy: LatePenalty?, testSeconds: Int? = nil, memoryMegabytes: Int? = nil,
                visibility: VisibilityRules? = nil, extensions: [String: Extension]? = nil, slipDays: SlipDays? = nil,
                written: [String: Double]? = nil) {
        self.deadline = deadline
        self.latePolicy = latePolicy
        self.testSeconds = testSeconds
        self.memoryMegabytes = memoryMegabytes
        self.visibility = visibility
        (self.extensions, self.slipDays, self.written) = (extensions, slipDays, written)
    }

    /// Decodes a config; throws `GradingError.invalidConfig` naming the problem.
    public static func decode(_ data: Data) throws -> CourseConfig {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw GradingError.invalidConfig("deadline \"\(text)\" is not an ISO 8601 time with a zone, e.g. 2026-12-15T23:59:00Z")
            }
            return date
        }
        do {
            return try decoder.decode(CourseConfig.self, from: data)
        } catch let error as GradingError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw GradingError.invalidConfig(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        } catch let error as DecodingError {
            throw GradingError.invalidConfig("\(error)")
        } catch {
            throw GradingError.invalidConfig("\(error)")
        }
    }

    /// Loads the config file at `url`.
    public static func load(from url: URL) throws -> CourseConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GradingError.invalidConfig("cannot read \(url.path)")
        }
        return try decode(data)
    }

    /// The score after the late policy for a submission made at `submitted`.
    public func finalScore(score: Double, maxPoints: Double, submitted: Date?) -> Double {
        guard let latePolicy, let submitted else { return score }
        return latePolicy.apply(score: score, maxPoints: maxPoints, submitted: submitted, deadline: deadline)
    }
}

/// Reads `2026-12-15T23:59:00Z`, `2026-12-15T23:59:00+01:00`, the same with a space for the
/// `T`, or with fractional seconds; nil for anything without a time zone.
public func parseTimestamp(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: trimmed) { return date }
    formatter.formatOptions.insert(.withFractionalSeconds)
    return formatter.date(from: trimmed)
}

/// `2026-12-15T23:59:00Z`: a time as the reports write it.
public func formatTimestamp(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
}
