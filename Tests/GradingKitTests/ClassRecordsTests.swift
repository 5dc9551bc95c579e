import Foundation
import GradingKit
import Testing

/// Results of `sampleManifest` for `student` in `out`, with a feedback file, as `grader grade` writes them.
private func writeGraded(_ student: String, failing: Set<String>, in out: URL, measured: Double? = nil) throws {
    var parts = results(sampleManifest, failing: failing)
    if let measured { parts[0].measurements = ["accuracy": measured] }
    let graded = GradescopeResults.make(from: parts, manifest: sampleManifest, seconds: 1, context: sampleContext)
    try ReportFiles.write([("feedback.md", Data(Feedback.markdown(parts: parts, manifest: sampleManifest, context: sampleContext).utf8)),
                           ("results.json", try graded.encoded())], into: out.appendingPathComponent(student))
}

/// Written questions of the sample course: AdamEquivalences's two, worth 1 and 2 points.
private func sampleConfig() throws -> CourseConfig {
    try CourseConfig.decode(Data("""
        { "deadline": "2026-12-15T23:59:00Z", "latePolicy": { "fraction": 0.1, "period": 86400, "cutoffPeriods": 3 },
          "slipDays": { "days": 1 }, "written": { "AdamEquivalences/Part (a)": 1, "AdamEquivalences/Part (b)": 2 } }
        """.utf8))
}

@Test func writtenQuestionsComeFromTheAnswerSheetsOfExercisesWithARubric() throws {
    let questions = try WrittenQuestion.load(repository: repository, manifest: sampleManifest, points: ["AdamEquivalences/Part (b)": 2])
    #expect(questions.map(\.key) == ["AdamEquivalences/Part (a)", "AdamEquivalences/Part (b)"])
    #expect(questions.map(\.points) == [0, 2])
    #expect(throws: GradingError.invalidConfig("written names AdamEquivalences/Part (c), which is no written question; the questions are "
        + "AdamEquivalences/Part (a); AdamEquivalences/Part (b)")) {
        try WrittenQuestion.load(repository: repository, manifest: sampleManifest, points: ["AdamEquivalences/Part (c)": 1])
    }
}

@Test func badWrittenScoresAreNamedWithTheirLine() throws {
    let questions = try WrittenQuestion.load(repository: repository, manifest: sampleManifest, points: try sampleConfig().written)
    let header = "student,exercise,question,score,comment\n"
    #expect(throws: GradingError.invalidScores("line 2: the score of AdamEquivalences/Part (a) must be a number from 0 to 1, got \"1.5\"")) {
        try WrittenScores.parse(header + "ann,AdamEquivalences,Part (a),1.5,\n", questions: questions, students: ["ann"])
    }
    #expect(throws: GradingError.invalidScores("line 2: there is no graded student bob")) {
        try WrittenScores.parse(header + "bob,AdamEquivalences,Part (a),1,\n", questions: questions, students: ["ann"])
    }
    #expect(throws: GradingError.invalidScores("line 2: AdamEquivalences has no written question \"Part (c)\"")) {
        try WrittenScores.parse(header + "ann,AdamEquivalences,Part (c),1,\n", questions: questions, students: ["ann"])
    }
    #expect(throws: GradingError.invalidScores("line 3: ann has a second row for AdamEquivalences/Part (a)")) {
        try WrittenScores.parse(header + "ann,AdamEquivalences,Part (a),1,\nann,AdamEquivalences,Part (a),0,\n", questions: questions, students: ["ann"])
    }
    let scores = try WrittenScores.parse(header + "ann,AdamEquivalences,Part (b),1.5,\"Right β₁, no reason for β₂\"\n",
                                         questions: questions, students: ["ann", "bob"])
    let sheet = try CSVText.rows(scores.template(students: ["bob", "ann"], questions: questions))
    #expect(sheet.count == 5 && sheet[2] == ["ann", "AdamEquivalences", "Part (b)", "1.50", "Right β₁, no reason for β₂"])
    #expect(sheet[3] == ["bob", "AdamEquivalences", "Part (a)", "", ""])
}

/// Written scores and slip days reach results.json, the feedback and the gradebook; a second
/// rebuild changes no byte; the Canvas CSV imports; the leaderboard page names nobody.
@Test func rebuildingMergesWrittenScoresDeadlinesAndLeaderboard() throws {
    let out = try temporaryFolder("records")
    defer { try? FileManager.default.removeItem(at: out) }
    try writeGraded("ann", failing: [], in: out, measured: 0.91)
    try writeGraded("bob", failing: ["momentum"], in: out, measured: 0.84)
    try write("""
        student,exercise,question,score,comment
        ann,AdamEquivalences,Part (a),1,Both reasons given.
        ann,AdamEquivalences,Part (b),2,
        bob,AdamEquivalences,Part (a),0.5,"Values right, no reason."
        bob,AdamEquivalences,Part (b),,
        """, to: "written.csv", in: out)
    let config = try sampleConfig()
    let records = try ClassRecords.load(repository: repository, manifest: sampleManifest, config: config, out: out, students: ["ann", "bob"])
    let deadline = config.deadline
    let times = ["ann": deadline - 60, "bob": deadline + 86_400 + 1]
    let book = try records.rebuild(out: out, students: ["ann", "bob"], times: times)

    let ann = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: out.appendingPathComponent("ann/results.json")))
    #expect(ann.score == 6 && ann.extra_data?.ungraded == nil)
    #expect(ann.tests.filter(TermOverlay.isOverlay).map(\.score) == [1, 2])
    #expect(ann.leaderboard == [LeaderboardEntry(name: "GDStep accuracy", value: 0.91)])
    let bob = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: out.appendingPathComponent("bob/results.json")))
    #expect(bob.score == 3 && bob.extra_data?.ungraded == ["AdamEquivalences/Part (b)"])
    #expect(bob.extra_data?.late?.slip_days_used == 1 && abs((bob.extra_data?.late?.penalty ?? 0) - 0.6) < 1e-9)  // 2 days late, 1 covered: 10% of 6
    #expect(bob.output.contains("not graded yet: AdamEquivalences/Part (b)"))
    let feedback = try String(contentsOf: out.appendingPathComponent("bob/feedback.md"), encoding: .utf8)
    #expect(feedback.contains("## Written answers: 0.50 / 3") && feedback.contains("Values right, no reason.") && feedback.contains("not graded yet"))
    #expect(feedback.contains("1 slip day used, 0 left for the term; late penalty 0.60 points"))

    let lines = book.csv().split(separator: "\n").map(String.init)
    #expect(lines[0] == "student,GDStep/update,GDStep/differentiable,AdamEquivalences/rmsprop,AdamEquivalences/momentum,"
        + "written: AdamEquivalences/Part (a),written: AdamEquivalences/Part (b),total,late penalty,final,submitted,"
        + "deadline,slip days used,slip days left,ungraded")
    #expect(lines[2] == "bob,1,1,0.50,0,0.50,,3,0.60,2.40,2026-12-16T23:59:01Z,2026-12-15T23:59:00Z,1,0,AdamEquivalences/Part (b)")

    // The same inputs give the same bytes; nothing is added twice.
    let before = try snapshot(out)
    try records.rebuild(out: out, students: ["ann", "bob"], times: times)
    let after = try snapshot(out)
    #expect(after == before)

    let canvas = try String(contentsOf: out.appendingPathComponent("canvas.csv"), encoding: .utf8)
    try CanvasImportFormat.check(canvas)
    #expect(canvas.hasPrefix("Student,ID,SIS User ID,SIS Login ID,Section,Sample\nPoints Possible,,,,,6\nann,,,ann,,6\nbob,,,bob,,2.40\n"))
    let board = try String(contentsOf: out.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(board.contains("0.9100") && board.contains("0.8400") && !board.contains(">ann<") && !board.contains(">bob<"))
    let pseudonym = LeaderboardPage.pseudonym("ann", key: try LeaderboardPage.key(in: out))
    let annFeedback = try String(contentsOf: out.appendingPathComponent("ann/feedback.md"), encoding: .utf8)
    #expect(board.contains(pseudonym) && annFeedback.contains(pseudonym))
}

/// Every file under `folder` with its bytes.
func snapshot(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for relative in FileManager.default.subpaths(atPath: folder.path) ?? [] {
        var isFolder: ObjCBool = false
        let url = folder.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue { files[relative] = try Data(contentsOf: url) }
    }
    return files
}
