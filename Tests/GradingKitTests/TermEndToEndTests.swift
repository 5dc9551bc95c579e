import Foundation
import GradingKit
import Testing

// A term run on real submissions made from the reference and its wrong variants: graded by the
// course's judges and probes, then written scores, deadlines, the Canvas export, the leaderboard
// and regrading one student or one exercise. It builds the judges and the probes: only with
// GRADER_END_TO_END=1. With OMNIGLOT_ROOT set, the FOMAML and TransferLearning weights are
// re-evaluated too and their accuracies reach the leaderboard.

private let endToEnd = ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"
private let omniglot = ProcessInfo.processInfo.environment["OMNIGLOT_ROOT"].map { !$0.isEmpty } ?? false

/// The question of TransferLearning's answer sheet, worth 10 points here.
private let question = "Transfer learning versus FO-MAML"

/// The course's judges, restricted to what this test grades: GDStep's parts, TransferLearning's
/// hyper-parameters (its answer sheet brings the written question) and, with Omniglot, the
/// FOMAML and TransferLearning weights (whose judges measure the accuracy).
private func termGrader() throws -> SubmissionGrader {
    let full = try SubmissionGrader.prepare(repository: repository, limits: GradingLimits(buildSeconds: 1800, testSeconds: 300))
    let keep: [String: Set<String>] = ["GDStep": Set(full.manifest.exercise(named: "GDStep")!.parts.map(\.id)),
                                       "FOMAML": omniglot ? ["weights"] : [],
                                       "TransferLearning": omniglot ? ["hyperparameters", "weights"] : ["hyperparameters"]]
    let exercises = full.manifest.exercises.compactMap { exercise -> GradingManifest.Exercise? in
        var kept = exercise
        kept.parts = exercise.parts.filter { keep[exercise.name]?.contains($0.id) ?? false }
        return kept.parts.isEmpty ? nil : kept
    }
    let manifest = GradingManifest(course: "MAML workbook", exercises: exercises)
    return SubmissionGrader(repository: repository, structure: full.structure, judges: Judges(binaries: full.judges.binaries, manifest: manifest),
                            sandbox: full.sandbox, limits: full.limits)
}

/// Three students: s01 the reference, s02 and s03 wrong GDStep variants, s02's FOMAML and s03's
/// TransferLearning weights untrained; each hands in an answer to the written question.
private func makeClass() throws -> URL {
    let root = try temporaryFolder("term-class")
    try writeStudent("s01", ["GDStep": nil, "FOMAML": nil, "TransferLearning": nil], into: root)
    try writeStudent("s02", ["GDStep": "plusSign", "FOMAML": "untrainedWeights", "TransferLearning": nil], into: root)
    try writeStudent("s03", ["GDStep": "detachedGradient", "FOMAML": nil, "TransferLearning": "untrainedWeights"], into: root)
    for student in ["s01", "s02", "s03"] {
        try write("# TransferLearning: written answers\n\n## \(question)\n\nMy FO-MAML beat transfer by a few points (\(student)).\n",
                  to: "\(student)/TransferLearning/ANSWERS.md", in: root)
    }
    return root
}

/// Deadline, 10% a day (3 at most), two slip days, s03 with an extension of a day, the written question worth 10.
private func termConfig() throws -> CourseConfig {
    try CourseConfig.decode(Data("""
        { "deadline": "2026-12-15T23:59:00Z", "latePolicy": { "fraction": 0.1, "period": 86400, "cutoffPeriods": 3 },
          "extensions": { "s03": 1 }, "slipDays": { "days": 2 }, "written": { "TransferLearning/\(question)": 10 } }
        """.utf8))
}

private func results(_ out: URL, _ student: String) throws -> GradescopeResults {
    try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: out.appendingPathComponent("\(student)/results.json")))
}

@Suite(.serialized) struct TermEndToEndTests {
    @Test(.enabled(if: endToEnd)) func aTermOnRealSubmissions() throws {
        let started = Date()
        let grader = try termGrader()
        print("term end to end: judges ready after \(Int(Date().timeIntervalSince(started))) s")
        let root = try makeClass()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("graded")
        let config = try termConfig()
        let times = ["s01": config.deadline, "s02": config.deadline + 86_400, "s03": config.deadline + 86_400 + 3_600]
        let classGrader = ClassGrader(grader: grader, config: config)
        let book = try classGrader.gradeAll(folder: root, out: out, jobs: 1, times: times)
        print("term end to end: class graded after \(Int(Date().timeIntervalSince(started))) s; s01: \(try results(out, "s01").output)")
        let gdStep = Double(grader.manifest.exercise(named: "GDStep")!.parts.count)
        #expect(book.rows.map(\.student) == ["s01", "s02", "s03"])
        #expect(try results(out, "s01").tests.filter { $0.tags.first == "GDStep" }.allSatisfy { $0.status == "passed" })
        #expect(try results(out, "s02").tests.filter { $0.tags.first == "GDStep" }.contains { $0.status == "failed" })

        // Deadlines: s02 one day late, covered by a slip day; s03 late after its extension by an hour, covered too.
        let s02 = try results(out, "s02"), s03 = try results(out, "s03")
        #expect(s02.extra_data?.late?.slip_days_used == 1 && s02.extra_data?.late?.penalty == 0)
        #expect(s03.extra_data?.late?.extended == true && s03.extra_data?.late?.days_late == 1 && s03.extra_data?.late?.slip_days_left == 1)
        #expect(try String(contentsOf: out.appendingPathComponent("s02/feedback.md"), encoding: .utf8).contains("1 slip day used, 1 left"))
        // The written question is gathered and not graded yet.
        #expect(try String(contentsOf: out.appendingPathComponent("s01/answers.md"), encoding: .utf8).contains("My FO-MAML beat transfer"))
        #expect(s02.extra_data?.ungraded == ["TransferLearning/\(question)"])
        try CanvasImportFormat.check(String(contentsOf: out.appendingPathComponent("canvas.csv"), encoding: .utf8))

        if omniglot {
            let boards = try ["s01", "s02", "s03"].map { try results(out, $0).leaderboard ?? [] }
            print("term end to end: leaderboards \(boards)")
            #expect(boards.allSatisfy { Set($0.map(\.name)) == ["FOMAML accuracy", "TransferLearning accuracy"] })
            let fomaml = boards.map { $0.first { $0.name == "FOMAML accuracy" }?.value ?? 0 }
            #expect(fomaml[0] >= 0.8 && fomaml[1] < fomaml[0], "untrained weights measure lower: \(fomaml)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("leaderboard.html").path))
        }

        // Written scores for two students; the third stays ungraded.
        try write("""
            student,exercise,question,score,comment
            s01,TransferLearning,\(question),9,"Clear comparison, numbers from your own runs."
            s02,TransferLearning,\(question),6,
            """, to: "written.csv", in: out)
        let records = try ClassRecords.load(repository: repository, manifest: grader.manifest, config: config, out: out,
                                            students: ["s01", "s02", "s03"])
        let graded = try records.rebuild(out: out, students: ["s01", "s02", "s03"], times: times)
        #expect(try results(out, "s01").score == graded.rows[0].partScores.reduce(0, +) + 9)
        #expect(graded.rows.map(\.ungraded) == [[], [], ["TransferLearning/\(question)"]])
        let header = graded.csv().split(separator: "\n")[0]
        #expect(header.contains("written: TransferLearning/\(question)") && header.hasSuffix("deadline,slip days used,slip days left,ungraded"))

        // Regrading s02 leaves everyone else byte-identical and keeps s02's seed.
        let before = try snapshot(out)
        let s02Before = try results(out, "s02")
        try classGrader.regrade(folder: root, out: out, students: ["s02"], exercises: nil, times: times)
        let after = try snapshot(out)
        for (file, bytes) in before where !file.hasPrefix("s02/") && !["gradebook.csv", "canvas.csv"].contains(file) {
            #expect(after[file] == bytes, "\(file) changed when only s02 was regraded")
        }
        #expect(after["gradebook.csv"] == before["gradebook.csv"] && after["canvas.csv"] == before["canvas.csv"])
        let regraded = try results(out, "s02")
        #expect(regraded.extra_data?.seed == s02.extra_data?.seed && regraded.score == s02.score + 6)
        #expect(regraded.tests.map(\.score) == s02Before.tests.map(\.score))

        // Regrading GDStep for the class keeps each seed and the other exercises' parts.
        let beforeExercise = try ["s01", "s02", "s03"].map { try results(out, $0) }
        try classGrader.regrade(folder: root, out: out, students: nil, exercises: ["GDStep"], times: times)
        for (index, student) in ["s01", "s02", "s03"].enumerated() {
            let now = try results(out, student)
            #expect(now.extra_data?.seed == beforeExercise[index].extra_data?.seed)
            #expect(now.tests.map(\.name) == beforeExercise[index].tests.map(\.name) && now.tests.map(\.score) == beforeExercise[index].tests.map(\.score))
            #expect(now.score == beforeExercise[index].score)
        }
        #expect(gdStep > 0)
        print("term end to end: done after \(Int(Date().timeIntervalSince(started))) s")
    }
}
