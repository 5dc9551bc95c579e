import Foundation

/// The class's records rebuilt from the graded results: each student's results and feedback with
/// the term's overlay (written scores, deadline and slip days, leaderboard pseudonym), then
/// `gradebook.csv`, `canvas.csv` and, when the judges measured anything, `leaderboard.html`.
///
/// Rebuilding is deterministic: a student whose results, scores, settings and submission time
/// did not change keeps byte-identical files (they are not even rewritten).
public struct ClassRecords: Sendable {
    /// The overlay applied to every student.
    public var overlay: TermOverlay
    /// The hand-given scores of the written answers.
    public var scores: WrittenScores
    /// The Canvas export.
    public var canvas: CanvasExport

    /// The file of written scores in a results folder, unless another is named.
    public static let writtenFile = "written.csv"

    /// Records of the course at `repository` for the students `students` of `out`: the written
    /// questions of its rubrics, the scores of `written` (default `out/written.csv`, if it
    /// exists) and a Canvas export (`canvas`, default: an assignment titled like the course).
    public static func load(repository: URL, manifest: GradingManifest, config: CourseConfig?, out: URL, students: [String],
                            written: URL? = nil, canvas: CanvasExport? = nil) throws -> ClassRecords {
        let questions = try WrittenQuestion.load(repository: repository, manifest: manifest, points: config?.written)
        let scores = try WrittenScores.load(from: written ?? out.appendingPathComponent(writtenFile), questions: questions,
                                            students: Set(students))
        return ClassRecords(overlay: TermOverlay(manifest: manifest, questions: questions, config: config), scores: scores,
                            canvas: try canvas ?? CanvasExport(assignment: manifest.course))
    }

    /// Collects the records' parts.
    public init(overlay: TermOverlay, scores: WrittenScores, canvas: CanvasExport) {
        (self.overlay, self.scores, self.canvas) = (overlay, scores, canvas)
    }

    /// Applies the overlay to `out/<id>/results.json` and `feedback.md` of every student of
    /// `students`, then writes the gradebook, the Canvas CSV and the leaderboard page into `out`.
    @discardableResult
    public func rebuild(out: URL, students: [String], times: [String: Date]) throws -> Gradebook {
        var key: String?
        var boards: [String: [LeaderboardEntry]] = [:]
        for student in students.sorted() {
            let folder = out.appendingPathComponent(student)
            let resultsURL = folder.appendingPathComponent("results.json")
            guard let data = FileManager.default.contents(atPath: resultsURL.path) else {
                throw GradingError.invalidSubmission("student \(student) has no results in \(folder.path)")
            }
            let results: GradescopeResults
            do { results = try JSONDecoder().decode(GradescopeResults.self, from: data) }
            catch { throw GradingError.invalidSubmission("\(resultsURL.path) is not a results file: \(error)") }
            let updated = overlay.apply(to: results, student: student, scores: scores, submitted: times[student])
            if let board = updated.leaderboard { boards[student] = board }
            var files: [(String, Data)] = []
            let feedbackURL = folder.appendingPathComponent("feedback.md")
            if let feedback = try? String(contentsOf: feedbackURL, encoding: .utf8) {
                if updated.leaderboard != nil && key == nil { key = try LeaderboardPage.key(in: out) }
                let text = overlay.apply(toFeedback: feedback, results: updated, student: student, scores: scores,
                                         pseudonym: key.map { LeaderboardPage.pseudonym(student, key: $0) })
                if text != feedback { files.append(("feedback.md", Data(text.utf8))) }
            }
            let encoded = try updated.encoded()
            if encoded != data { files.append(("results.json", encoded)) }
            if !files.isEmpty { try ReportFiles.write(files, into: folder) }
        }
        let gradebook = try Gradebook.build(from: out, students: students, manifest: overlay.manifest, config: overlay.config,
                                            times: times, questions: overlay.questions)
        var reports = [("gradebook.csv", Data(gradebook.csv().utf8))]
        let available = overlay.manifest.maxPoints + overlay.questions.reduce(0) { $0 + $1.points }
        reports.append(("canvas.csv", Data(try canvas.csv(gradebook, pointsPossible: available).utf8)))
        if !boards.isEmpty {
            let key = try key ?? LeaderboardPage.key(in: out)
            reports.append(("leaderboard.html", Data(LeaderboardPage.html(entries: boards, key: key, course: overlay.manifest.course).utf8)))
        } else {
            try? FileManager.default.removeItem(at: out.appendingPathComponent("leaderboard.html"))
        }
        try ReportFiles.write(reports, into: out)
        return gradebook
    }
}
