/// The grade of one part of one exercise, with what the student needs to act on it.
public struct PartResult: Equatable, Sendable {
    /// How the part ended.
    public enum Status: String, Equatable, Sendable {
        /// Every check held.
        case passed
        /// The student's code ran and returned values, and a check did not hold.
        case failed
        /// The exercise did not compile.
        case compileError = "compile error"
        /// The run of the student's code ended without a report: a crash, `exit`, the time,
        /// memory or file-size limit.
        case didNotFinish = "did not finish"
        /// The part was not run (its exercise's time budget was spent, or grading stopped).
        case notRun = "not run"
    }

    /// The exercise's module name.
    public var exercise: String
    /// The part.
    public var part: GradingManifest.Part
    /// How it ended.
    public var status: Status
    /// The judge's failed checks (empty unless `failed`).
    public var failures: [JudgeVerdict.Failure]
    /// What stopped the run or the build, in words (empty when the part ran to a verdict).
    public var problem: String
    /// Numbers the judge measured while deciding, by name (empty when none).
    public var measurements: [String: Double] = [:]

    /// Collects a part result's fields.
    public init(exercise: String, part: GradingManifest.Part, status: Status, failures: [JudgeVerdict.Failure] = [], problem: String = "") {
        (self.exercise, self.part, self.status, self.failures, self.problem) = (exercise, part, status, failures, problem)
    }

    /// Points earned: all of the part's points when passed, none otherwise.
    public var score: Double { status == .passed ? part.points : 0 }

    /// What went wrong for a student, sentence first: the first failed check (what must hold),
    /// the inputs, expected against actual; or what stopped the run. Empty when passed.
    public var explanation: String {
        switch status {
        case .passed:
            return ""
        case .failed:
            guard let first = failures.first else { return "A check did not hold." }
            var lines = [first.statement]
            if let inputs = first.inputs, !inputs.isEmpty { lines.append("Inputs: \(inputs)") }
            if let expected = first.expected { lines.append("Expected: \(expected)") }
            if let actual = first.actual { lines.append("Got:      \(actual)") }
            if failures.count > 1 { lines.append("(\(failures.count - 1) more check\(failures.count == 2 ? "" : "s") of this part failed too.)") }
            return lines.joined(separator: "\n")
        case .compileError, .didNotFinish, .notRun:
            return problem
        }
    }
}

/// Text helpers for reports.
public enum Scoring {
    /// Keeps at most `limit` characters of `text`, saying how much was cut.
    public static func truncated(_ text: String, limit: Int = 2000) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "\n… (\(text.count - limit) more characters cut)"
    }
}
