/// The grade of one part of one exercise.
public struct PartResult: Equatable, Sendable {
    /// How the part ended.
    public enum Status: String, Equatable, Sendable {
        /// The hidden test passed.
        case passed
        /// The hidden test ran and failed.
        case failed
        /// The exercise did not compile.
        case compileError = "compile error"
        /// The test never finished: a crash, `exit`, or the time limit.
        case didNotFinish = "did not finish"
        /// The runner never started the test.
        case notRun = "not run"
    }

    /// The exercise's module name.
    public var exercise: String
    /// The part's manifest entry.
    public var part: GradingManifest.Part
    /// How it ended.
    public var status: Status
    /// What went wrong, in the runner's words (empty when passed).
    public var output: String

    /// Collects a part result's fields.
    public init(exercise: String, part: GradingManifest.Part, status: Status, output: String) {
        self.exercise = exercise
        self.part = part
        self.status = status
        self.output = output
    }

    /// Points earned: all of the part's points when passed, none otherwise.
    public var score: Double { status == .passed ? part.points : 0 }
}

/// Turns what the runner reported into part results, using the manifest's points.
public enum Scoring {
    /// The parts of `exercise` given the runner's report; `buildLog` non-nil means it did not compile.
    public static func grade(
        _ exercise: GradingManifest.Exercise, report: TestRunReport?, buildLog: String? = nil, runnerNote: String = ""
    ) -> [PartResult] {
        exercise.parts.map { part in
            if let buildLog {
                return PartResult(exercise: exercise.name, part: part, status: .compileError, output: buildLog)
            }
            guard let outcome = report?.outcome(module: exercise.gradingModule, function: part.test) else {
                return PartResult(exercise: exercise.name, part: part, status: .notRun,
                                  output: "The test did not run. \(runnerNote)".trimmingCharacters(in: .whitespaces))
            }
            if outcome.unfinished {
                return PartResult(exercise: exercise.name, part: part, status: .didNotFinish,
                                  output: "The test started but never finished (crash, exit or time limit). \(runnerNote)"
                                      .trimmingCharacters(in: .whitespaces))
            }
            let status: PartResult.Status = outcome.passed ? .passed : .failed
            return PartResult(exercise: exercise.name, part: part, status: status, output: outcome.messages.joined(separator: "\n"))
        }
    }

    /// Keeps at most `limit` characters of `text`, saying how much was cut.
    public static func truncated(_ text: String, limit: Int = 2000) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "\n… (\(text.count - limit) more characters cut)"
    }
}
