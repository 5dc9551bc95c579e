import Foundation

/// What a term adds to a student's graded results after the grading itself: the written answers'
/// scores given by hand, the deadline with the student's extension and slip days, and the
/// student's leaderboard pseudonym. Applied to `results.json` and `feedback.md` so that applying
/// it again with the same inputs gives the same bytes, and replacing its inputs replaces what it
/// added (nothing it adds is added twice).
public struct TermOverlay: Sendable {
    /// The line after which the overlay's part of `feedback.md` (and of the results' message) starts.
    public static let marker = "<!-- term: written answers, lateness, leaderboard -->"
    /// The tag that marks a test entry of a written question: tags `[<Exercise>, "written", <question>]`.
    public static let writtenTag = "written"

    /// The course's points.
    public var manifest: GradingManifest
    /// The written questions and their points.
    public var questions: [WrittenQuestion]
    /// The course settings (deadline, extensions, slip days, visibility); nil for none.
    public var config: CourseConfig?

    /// An overlay for the course `manifest` with these questions and settings.
    public init(manifest: GradingManifest, questions: [WrittenQuestion], config: CourseConfig?) {
        (self.manifest, self.questions, self.config) = (manifest, questions, config)
    }

    /// True for a test entry the overlay wrote.
    public static func isOverlay(_ test: GradescopeResults.TestEntry) -> Bool {
        test.tags.count == 3 && test.tags[1] == writtenTag
    }

    /// The questions that carry points, or that have a score or comment for `student`.
    func shown(_ student: String, _ scores: WrittenScores) -> [WrittenQuestion] {
        questions.filter { $0.points > 0 || scores.entry(student, $0).map { !$0.comment.isEmpty || $0.score != nil } == true }
    }

    /// `results` with the written questions' entries for `student` (replacing earlier ones), the
    /// score recomputed as the parts' points plus the written scores, the late record when
    /// `submitted` is known, and the list of questions still ungraded.
    public func apply(to results: GradescopeResults, student: String, scores: WrittenScores, submitted: Date?) -> GradescopeResults {
        var updated = results
        let order = Dictionary(uniqueKeysWithValues: manifest.exercises.enumerated().map { ($1.name, $0 + 1) })
        updated.tests = results.tests.filter { !Self.isOverlay($0) }
        var written = 0.0
        var ungraded: [String] = []
        for (index, question) in shown(student, scores).enumerated() {
            let entry = scores.entry(student, question)
            let score = entry?.score ?? 0
            written += score
            if entry?.score == nil && question.points > 0 { ungraded.append(question.key) }
            let comment = entry.map(\.comment).flatMap { $0.isEmpty ? nil : $0 }
            let state = entry?.score == nil ? (question.points > 0 ? "Not graded yet." : "Read for comments only.") : "Graded by hand."
            updated.tests.append(GradescopeResults.TestEntry(
                name: "\(question.exercise) (written): \(question.title)", score: score, max_score: question.points,
                status: entry?.score != nil && score >= question.points ? "passed" : "failed",
                output: comment.map { "\(state)\n\n\($0)" } ?? state, output_format: "md",
                visibility: config?.visibility?.visibility(exercise: question.exercise, part: Self.writtenTag) ?? "visible",
                tags: [question.exercise, Self.writtenTag, question.title],
                number: "\(order[question.exercise] ?? manifest.exercises.count + 1).w\(index + 1)"))
        }
        let automatic = updated.tests.filter { !Self.isOverlay($0) }.reduce(0) { $0 + $1.score }
        updated.score = automatic + written
        updated.extra_data?.ungraded = ungraded.isEmpty ? nil : ungraded
        let available = manifest.maxPoints + questions.reduce(0) { $0 + $1.points }
        updated.extra_data?.late = config.flatMap { config in
            submitted.map { LateDays.settle(student: student, score: updated.score, maxPoints: available, submitted: $0, config: config) }
        }
        updated.leaderboard = LeaderboardEntry.entries(from: updated.tests)
        let base = Self.base(of: results.output)
        let lines = summary(results: updated, writtenScore: written, ungraded: ungraded)
        updated.output = lines.isEmpty ? base : base + "\n\n" + Self.marker + "\n" + lines.joined(separator: "\n")
        return updated
    }

    /// The overlay's lines for the results' message: written answers and lateness.
    func summary(results: GradescopeResults, writtenScore: Double, ungraded: [String]) -> [String] {
        var lines: [String] = []
        let points = questions.reduce(0) { $0 + $1.points }
        if points > 0 {
            lines.append("Written answers: \(formatPoints(writtenScore)) / \(formatPoints(points))"
                + (ungraded.isEmpty ? "." : " so far; not graded yet: \(ungraded.joined(separator: ", ")).")
                + " Total with them: \(formatPoints(results.score)).")
        }
        if let late = results.extra_data?.late { lines.append(LateDays.sentence(late)) }
        return lines
    }

    /// `feedback` with the overlay's sections (replacing earlier ones): each written question's
    /// score and comment, the lateness sentence, and the student's leaderboard pseudonym.
    public func apply(toFeedback feedback: String, results: GradescopeResults, student: String, scores: WrittenScores,
                      pseudonym: String?) -> String {
        var sections: [String] = []
        let shownQuestions = shown(student, scores)
        if !shownQuestions.isEmpty {
            let written = results.tests.filter(Self.isOverlay)
            let earned = written.reduce(0) { $0 + $1.score }, available = written.reduce(0) { $0 + $1.max_score }
            var lines = [available > 0 ? "## Written answers: \(formatPoints(earned)) / \(formatPoints(available))" : "## Written answers", ""]
            for question in shownQuestions {
                let entry = scores.entry(student, question)
                let mark = question.points > 0
                    ? (entry?.score.map { "\(formatPoints($0)) / \(formatPoints(question.points))" } ?? "not graded yet")
                    : "comments only"
                lines.append("- **\(question.exercise): \(question.title)** (\(mark))"
                    + (entry.map(\.comment).flatMap { $0.isEmpty ? nil : ": " + $0.replacingOccurrences(of: "\n", with: " ") } ?? ""))
            }
            if available > 0 { lines += ["", "Total with the written answers: **\(formatPoints(results.score))** points."] }
            sections.append(lines.joined(separator: "\n"))
        }
        if let late = results.extra_data?.late {
            sections.append("## Deadline\n\n" + LateDays.sentence(late))
        }
        if let pseudonym, let board = results.leaderboard, !board.isEmpty {
            let values = board.map { "\($0.name) \(String(format: "%.4f", $0.value))" }.joined(separator: ", ")
            sections.append("## Leaderboard\n\nYou appear on the class leaderboard as `\(pseudonym)` (\(values)).")
        }
        let base = Self.base(of: feedback)
        guard !sections.isEmpty else { return base }
        return base + "\n\n" + Self.marker + "\n\n" + sections.joined(separator: "\n\n") + "\n"
    }

    /// `text` without the overlay's part.
    public static func base(of text: String) -> String {
        guard let range = text.range(of: "\n\n" + marker) else { return text }
        return String(text[..<range.lowerBound])
    }
}
