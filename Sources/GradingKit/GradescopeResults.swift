import Foundation

/// Gradescope's autograder `results.json`: a total and one entry per graded part.
public struct GradescopeResults: Codable, Equatable, Sendable {
    /// One graded part as Gradescope shows it.
    public struct TestEntry: Codable, Equatable, Sendable {
        /// `<Exercise>: <part> — <summary>`.
        public var name: String
        /// Points earned.
        public var score: Double
        /// Points available.
        public var max_score: Double
        /// `passed` or `failed`.
        public var status: String
        /// What went wrong, sentence first, or a short confirmation.
        public var output: String
        /// `md`: the output is Markdown.
        public var output_format: String
        /// Who sees it: `visible`, `hidden`, `after_due_date` or `after_published`.
        public var visibility: String
        /// The exercise name and the part id, for Gradescope's filters (and the gradebook).
        public var tags: [String]
        /// `<exercise number>.<part number>`.
        public var number: String
        /// What the judge measured for this part (a re-evaluated accuracy), when it measured anything.
        public var extra_data: TestData? = nil
    }

    /// Data kept with one test entry for the grader's own use.
    public struct TestData: Codable, Equatable, Sendable {
        /// Numbers the judge measured while deciding the part, by name.
        public var measurements: [String: Double]?

        /// Collects the measurements.
        public init(measurements: [String: Double]?) { self.measurements = measurements }
    }

    /// How the grading ran: the seed of the inputs (for a regrade) and the sandbox in force.
    public struct ExtraData: Codable, Equatable, Sendable {
        /// The grading seed, as text (a 64-bit number).
        public var seed: String
        /// The protection student code ran under.
        public var protection: String
        /// Lateness, extension and slip days, once a class's deadline has been applied (absent before).
        public var late: LateRecord? = nil
        /// The written questions still waiting for a manual score (`<Exercise>/<question>`), when any carry points.
        public var ungraded: [String]? = nil
    }

    /// The total points earned.
    public var score: Double
    /// Seconds the grading took.
    public var execution_time: Double
    /// A top-level message (shown above the tests), Markdown.
    public var output: String
    /// `md`.
    public var output_format: String
    /// Visibility of the whole result.
    public var visibility: String
    /// Visibility of the autograder's stdout.
    public var stdout_visibility: String
    /// The seed and the protection.
    public var extra_data: ExtraData?
    /// The graded parts.
    public var tests: [TestEntry]
    /// Gradescope's leaderboard: the parts' measurements, absent when no part measured anything.
    public var leaderboard: [LeaderboardEntry]? = nil

    /// Builds the report from part results; when grading stopped (`problem`) or nothing could be
    /// graded, one "catastrophic error" entry worth the course's points says why.
    ///
    /// Parts of extra-credit exercises are named "(extra credit)" and their points are added to
    /// the score, which can therefore exceed the course's full marks (Gradescope accepts a score
    /// above the assignment's total; set that total to `manifest.maxPoints`).
    public static func make(from parts: [PartResult], manifest: GradingManifest, seconds: Double, problem: String? = nil,
                            context: GradingContext, visibility: VisibilityRules? = nil) -> GradescopeResults {
        let extraCredit = manifest.extraCreditExercises
        let order = Dictionary(uniqueKeysWithValues: manifest.exercises.enumerated().map { ($1.name, $0 + 1) })
        var entries = parts.map { result in
            let partNumber = (manifest.exercise(named: result.exercise)?.parts.firstIndex { $0.id == result.part.id } ?? 0) + 1
            return TestEntry(
                name: "\(result.exercise)\(extraCredit.contains(result.exercise) ? " (extra credit)" : ""): \(result.part.id) — \(result.part.summary)",
                score: result.score, max_score: result.part.points,
                status: result.status == .passed ? "passed" : "failed",
                output: result.status == .passed ? "Passed." : Feedback.partDetail(result),
                output_format: "md",
                visibility: visibility?.visibility(exercise: result.exercise, part: result.part.id) ?? "visible",
                tags: [result.exercise, result.part.id], number: "\(order[result.exercise] ?? 0).\(partNumber)",
                extra_data: result.measurements.isEmpty ? nil : TestData(measurements: result.measurements))
        }
        if parts.isEmpty || problem != nil {
            entries.append(TestEntry(
                name: "Autograder: catastrophic error", score: 0, max_score: parts.isEmpty ? manifest.maxPoints : 0, status: "failed",
                output: "Grading stopped: \(problem ?? "nothing could be graded"). The course staff will look at this submission.",
                output_format: "md", visibility: "visible", tags: ["catastrophic error"], number: "\(manifest.exercises.count + 1).1"))
        }
        let total = parts.reduce(0) { $0 + $1.score }
        let extraParts = parts.filter { extraCredit.contains($0.exercise) }
        var output = scoreLine(total: total, manifest: manifest, extra: extraParts.isEmpty ? nil
            : (earned: extraParts.reduce(0) { $0 + $1.score }, available: extraParts.reduce(0) { $0 + $1.part.points }))
        if !context.notes.isEmpty { output += "\n\n" + context.notes.map { "- \($0)" }.joined(separator: "\n") }
        return GradescopeResults(
            score: total, execution_time: (seconds * 10).rounded() / 10, output: output, output_format: "md",
            visibility: "visible", stdout_visibility: "hidden",
            extra_data: ExtraData(seed: String(context.seed), protection: context.protection), tests: entries,
            leaderboard: LeaderboardEntry.entries(from: entries))
    }

    /// Pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Who sees each part's result on Gradescope, from `Grading/course.json`'s `visibility` object:
/// `"default"`, then an exercise's name, then `"<Exercise>/<part>"`, the most specific winning.
///
///     "visibility": { "default": "visible", "FOMAML": "after_due_date", "FOMAML/weights": "after_published" }
public struct VisibilityRules: Codable, Equatable, Sendable {
    /// The values Gradescope accepts.
    public static let allowed: Set<String> = ["visible", "hidden", "after_due_date", "after_published"]

    /// The rules by key.
    public var rules: [String: String]

    /// Rules from a table; throws naming a value Gradescope does not accept.
    public init(_ rules: [String: String]) throws {
        for (key, value) in rules where !Self.allowed.contains(value) {
            throw GradingError.invalidConfig("visibility of \(key) is \(value); use one of \(Self.allowed.sorted().joined(separator: ", "))")
        }
        self.rules = rules
    }

    /// Decodes the table and checks its values.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode([String: String].self))
    }

    /// Encodes the table.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rules)
    }

    /// The visibility of part `part` of `exercise`.
    public func visibility(exercise: String, part: String) -> String {
        rules["\(exercise)/\(part)"] ?? rules[exercise] ?? rules["default"] ?? "visible"
    }
}

/// `2` for 2.0, `1.5` for 1.5: points as people write them.
public func formatPoints(_ points: Double) -> String {
    points == points.rounded() ? String(Int(points)) : String(format: "%.2f", points)
}
