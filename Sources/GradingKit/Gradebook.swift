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
    }

    /// `<Exercise>/<part>` for every part of the manifest.
    public var columns: [String]
    /// The students, sorted by id.
    public var rows: [Row]

    /// Reads `out/<id>/results.json` of each student in `students` (exactly those: a folder in
    /// `out` that is not one of them is ignored) and applies the late policy of `config` to each
    /// total using `times`. A student without results is an error naming them.
    public static func build(from out: URL, students: [String], manifest: GradingManifest, config: CourseConfig?,
                             times: [String: Date]) throws -> Gradebook {
        let columns = manifest.exercises.flatMap { exercise in exercise.parts.map { "\(exercise.name)/\($0.id)" } }
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
            let final = config?.finalScore(score: results.score, maxPoints: manifest.maxPoints, submitted: times[student]) ?? results.score
            rows.append(Row(student: student, partScores: columns.map { byPart[$0] ?? 0 }, total: results.score,
                            latePenalty: results.score - final, final: final, submitted: times[student]))
        }
        return Gradebook(columns: columns, rows: rows)
    }

    /// CSV with a header line: `student,<parts…>,total,late penalty,final,submitted`.
    public func csv() -> String {
        let header = ["student"] + columns + ["total", "late penalty", "final", "submitted"]
        let lines = rows.map { row in
            [csvField(row.student)] + row.partScores.map(formatPoints)
                + [formatPoints(row.total), formatPoints(row.latePenalty), formatPoints(row.final), row.submitted.map(formatTimestamp) ?? ""]
        }
        return ([header.map(csvField)] + lines).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Quotes a field that holds a comma, quote or line break.
    private func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
