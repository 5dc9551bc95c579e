import Foundation
import GradingKit
import Testing

/// Writes `out/<student>/results.json` for the given passing parts of `sampleManifest`.
private func writeResults(_ student: String, passing: Set<String>, in out: URL) throws {
    let failing = Set(sampleManifest.exercises.flatMap { $0.parts.map(\.id) }).subtracting(passing)
    let folder = out.appendingPathComponent(student)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try GradescopeResults.make(from: results(sampleManifest, failing: failing), manifest: sampleManifest, seconds: 1, context: sampleContext)
        .encoded().write(to: folder.appendingPathComponent("results.json"))
}

@Test func gradebookHasPartsTotalPenaltyAndFinal() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("grader-book-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    try writeResults("bob", passing: ["update", "differentiable", "rmsprop"], in: out)
    try writeResults("alice", passing: ["update", "differentiable", "rmsprop", "momentum"], in: out)
    // A results file nobody submitted (written by anyone) never enters the gradebook.
    try writeResults("mallory", passing: ["update", "differentiable", "rmsprop", "momentum"], in: out)
    let deadline = try #require(parseTimestamp("2026-12-15T23:59:00Z"))
    let config = CourseConfig(deadline: deadline, latePolicy: try LatePenalty(fraction: 0.1, period: 86_400, cutoffPeriods: 3))
    let book = try Gradebook.build(from: out, students: ["bob", "alice"], manifest: sampleManifest, config: config,
                                   times: ["alice": deadline - 60, "bob": deadline + 86_400 + 1])
    #expect(book.columns == ["GDStep/update", "GDStep/differentiable", "AdamEquivalences/rmsprop", "AdamEquivalences/momentum"])
    #expect(book.rows.map(\.student) == ["alice", "bob"])
    #expect(book.rows[0].partScores == [1, 1, 0.5, 0.5] && book.rows[0].latePenalty == 0 && book.rows[0].final == 3)
    #expect(book.rows[1].partScores == [1, 1, 0.5, 0])
    #expect(abs(book.rows[1].latePenalty - 0.6) < 1e-9)  // two started days × 10% of 3 points
    let lines = book.csv().split(separator: "\n")
    #expect(lines[0] == "student,GDStep/update,GDStep/differentiable,AdamEquivalences/rmsprop,AdamEquivalences/momentum,total,late penalty,final,submitted")
    #expect(lines[2] == "bob,1,1,0.50,0,2.50,0.60,1.90,2026-12-16T23:59:01Z")
    #expect(throws: GradingError.self, "a submitted student without results is named") {
        try Gradebook.build(from: out, students: ["alice", "carol"], manifest: sampleManifest, config: nil, times: [:])
    }
}
