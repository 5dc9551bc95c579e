import Foundation

/// The class's grades, rebuilt from the per-student `results.json` files: one row per student,
/// one column per part, the total, the late penalty and the final grade.
public struct Gradebook: Equatable, Sendable {
    /// One student's line.
    public struct Row: Equatable, Sendable {
        /// The student id.
        public var student: String
        /// Points per part, in the order of `Gradebook.columns`.
        public var partScores: [Double]
        /// Points before the late penalty.
        public var total: Double
        /// Points taken off for lateness: total − final.
        public var latePenalty: Double
        /// Points after the late penalty.
        public var final: Double
        /// When the student submitted, if known.
        public var submitted: Date?
        /// Scores of the written questions, in the order of `Gradebook.writtenColumns` (nil: not graded yet).
        public var written: [Double?] = []
        /// The written questions with points still waiting for a score.
        public var ungraded: [String] = []
        /// Deadline, slip days and penalty, when a deadline applied.
        public var late: LateRecord? = nil
    }

    /// `<Exercise>/<part>` for every part of the manifest.
    public var columns: [String]
    /// The students, sorted by id.
    public var rows: [Row]
    /// `<Exercise>/<question>` for every written question that carries points (empty: no such columns).
    public var writtenColumns: [String] = []
    /// True when the course gives extensions or slip days: the CSV then shows each student's deadline and days.
    public var showsLateDays = false

    /// Reads `out/<id>/results.json` of each student in `students` (exactly those: a folder in
    /// `out` that is not one of them is ignored) and applies the late policy of `config` to each
    /// total using `times`. A student without results is an error naming them.
    public static func build(from out: URL, students: [String], manifest: GradingManifest, config: CourseConfig?,
                             times: [String: Date], questions: [WrittenQuestion] = []) throws -> Gradebook {
        let columns = manifest.exercises.flatMap { exercise in exercise.parts.map { "\(exercise.name)/\($0.id)" } }
        let written = questions.filter { $0.points > 0 }
        let available = manifest.maxPoints + written.reduce(0) { $0 + $1.points }
        let fileManager = FileManager.default
        var rows: [Row] = []
        for student in students.sorted() {
            let resultsURL = out.appendingPathComponent("\(student)/results.json")
            guard let data = fileManager.contents(atPath: resultsURL.path) else {
                throw GradingError.invalidSubmission("student \(student) has no results in \(resultsURL.deletingLastPathComponent().path)")
            }
            let results: GradescopeResults
            do { results = try JSONDecoder().decode(GradescopeResults.self, from: data) }
            catch { throw GradingError.invalidSubmission("\(resultsURL.path) is not a results file: \(error)") }
            var byPart: [String: Double] = [:]
            for test in results.tests where test.tags.count == 2 { byPart[test.tags.joined(separator: "/"), default: 0] += test.score }
            let byQuestion = Dictionary(results.tests.filter(TermOverlay.isOverlay).map { ("\($0.tags[0])/\($0.tags[2])", $0.score) },
                                        uniquingKeysWith: +)
            let ungraded = written.filter { question in results.extra_data?.ungraded?.contains(question.key) ?? (byQuestion[question.key] == nil) }
            let late = config.flatMap { config in
                times[student].map { LateDays.settle(student: student, score: results.score, maxPoints: available, submitted: $0, config: config) }
            }
            let final = late?.final ?? results.score
            rows.append(Row(student: student, partScores: columns.map { byPart[$0] ?? 0 }, total: results.score,
                            latePenalty: results.score - final, final: final, submitted: times[student],
                            written: written.map { ungraded.contains($0) ? nil : byQuestion[$0.key] ?? 0 },
                            ungraded: ungraded.map(\.key), late: late))
        }
        return Gradebook(columns: columns, rows: rows, writtenColumns: written.map(\.key),
                         showsLateDays: config?.slipDays != nil || !(config?.extensions ?? [:]).isEmpty)
    }

    /// CSV with a header line: `student,<parts…>,total,late penalty,final,submitted`, with the
    /// written questions before `total` and, when configured, `deadline`, `slip days used`,
    /// `slip days left` and `ungraded` after `submitted`.
    public func csv() -> String {
        let header = ["student"] + columns + writtenColumns.map { "written: \($0)" } + ["total", "late penalty", "final", "submitted"]
            + (showsLateDays ? ["deadline", "slip days used", "slip days left"] : []) + (writtenColumns.isEmpty ? [] : ["ungraded"])
        let lines = rows.map { row in
            [csvField(row.student)] + row.partScores.map(formatPoints) + row.written.map { $0.map(formatPoints) ?? "" }
                + [formatPoints(row.total), formatPoints(row.latePenalty), formatPoints(row.final), row.submitted.map(formatTimestamp) ?? ""]
                + (showsLateDays ? [row.late?.deadline ?? "", row.late.map { String($0.slip_days_used) } ?? "",
                                    row.late?.slip_days_left.map(String.init) ?? ""] : [])
                + (writtenColumns.isEmpty ? [] : [csvField(row.ungraded.joined(separator: "; "))])
        }
        return ([header.map(csvField)] + lines).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Quotes a field that holds a comma, quote or line break.
    private func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
