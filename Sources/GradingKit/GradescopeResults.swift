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
        /// What went wrong (truncated), or a short confirmation.
        public var output: String
        /// Who sees it: `visible`, `hidden`, `after_due_date` or `after_published`.
        public var visibility: String
        /// The exercise name (and the part id), for Gradescope's filters.
        public var tags: [String]
        /// Position in the report, 1-based.
        public var number: String
    }

    /// The total points earned.
    public var score: Double
    /// Seconds the grading took.
    public var execution_time: Double
    /// A top-level message (shown above the tests).
    public var output: String
    /// Visibility of the whole result.
    public var visibility: String
    /// Visibility of the autograder's stdout.
    public var stdout_visibility: String
    /// The graded parts.
    public var tests: [TestEntry]

    /// Builds the report from part results; with no results at all, one "catastrophic error"
    /// entry worth zero explains that nothing could run.
    ///
    /// `maxPoints` is the course's full marks without extra credit. Parts of the exercises in
    /// `extraCredit` are named "(extra credit)" and their points are added to the score, which
    /// can therefore exceed `maxPoints` (Gradescope accepts a score above the assignment's total;
    /// set that total to `maxPoints`).
    public static func make(from parts: [PartResult], maxPoints: Double, seconds: Double, problem: String? = nil,
                            extraCredit: Set<String> = []) -> GradescopeResults {
        var entries = parts.enumerated().map { index, result in
            TestEntry(
                name: "\(result.exercise)\(extraCredit.contains(result.exercise) ? " (extra credit)" : ""): "
                    + "\(result.part.id) — \(result.part.summary)",
                score: result.score, max_score: result.part.points,
                status: result.status == .passed ? "passed" : "failed",
                output: result.status == .passed ? "Passed." : Scoring.truncated("\(result.status.rawValue): \(result.output)"),
                visibility: "visible", tags: [result.exercise, result.part.id], number: "\(index + 1)")
        }
        if parts.isEmpty || problem != nil {
            entries.append(TestEntry(
                name: "Autograder: catastrophic error", score: 0, max_score: parts.isEmpty ? maxPoints : 0, status: "failed",
                output: Scoring.truncated(problem ?? "Nothing could be graded."), visibility: "visible",
                tags: ["catastrophic error"], number: "\(entries.count + 1)"))
        }
        let total = parts.reduce(0) { $0 + $1.score }
        let extraParts = parts.filter { extraCredit.contains($0.exercise) }
        let extraNote = extraParts.isEmpty ? "" : " (\(formatPoints(extraParts.reduce(0) { $0 + $1.score })) of them extra credit, "
            + "out of \(formatPoints(extraParts.reduce(0) { $0 + $1.part.points })) available)"
        return GradescopeResults(
            score: total, execution_time: (seconds * 10).rounded() / 10,
            output: "Score \(formatPoints(total)) / \(formatPoints(maxPoints))\(extraNote).",
            visibility: "visible", stdout_visibility: "hidden", tests: entries)
    }

    /// Pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// `2` for 2.0, `1.5` for 1.5: points as people write them.
public func formatPoints(_ points: Double) -> String {
    points == points.rounded() ? String(Int(points)) : String(format: "%.2f", points)
}
