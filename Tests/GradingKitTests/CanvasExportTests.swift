import Foundation
import GradingKit
import Testing

/// A gradebook of two students: s01 with every point (3), s02 late by two started days (2.5, less 0.6).
private func sampleGradebook() throws -> Gradebook {
    let out = try temporaryFolder("canvas")
    defer { try? FileManager.default.removeItem(at: out) }
    for (student, failing) in [("s01", Set<String>()), ("s02", Set(["momentum"]))] {
        try ReportFiles.write([("results.json", try GradescopeResults.make(from: results(sampleManifest, failing: failing), manifest: sampleManifest,
                                                                          seconds: 1, context: sampleContext).encoded())],
                              into: out.appendingPathComponent(student))
    }
    let deadline = parseTimestamp("2026-12-15T23:59:00Z")!
    let config = CourseConfig(deadline: deadline, latePolicy: try LatePenalty(fraction: 0.1, period: 86_400, cutoffPeriods: 3))
    return try Gradebook.build(from: out, students: ["s01", "s02"], manifest: sampleManifest, config: config,
                               times: ["s01": deadline, "s02": deadline + 86_401])
}

@Test func theExportHasCanvasStudentColumnsAPointsRowAndOneAssignment() throws {
    let text = try CanvasExport(assignment: "MAML homework").csv(try sampleGradebook(), pointsPossible: 3)
    #expect(text == """
        Student,ID,SIS User ID,SIS Login ID,Section,MAML homework
        Points Possible,,,,,3
        s01,,,s01,,3
        s02,,,s02,,1.90

        """)
    let byUserID = try CanvasExport(assignment: "MAML homework (4411)", idColumn: "SIS User ID").csv(try sampleGradebook(), pointsPossible: 3)
    #expect(byUserID.contains("\ns02,,s02,,,1.90\n"))
}

@Test func aRosterSuppliesCanvasIdentifiersAndNamesWithCommasAreQuoted() throws {
    let roster = try CanvasExport.roster(from: """
        Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (12),Current Score
            Points Possible,,,,,10,(read only)
        ,,,,,Manual Posting,
        "Lovelace, Ada",1001,U1,s01,MAML-01,9,90
        "Turing, Alan",1002,U2,s02,MAML-02,8,80
        """)
    let text = try CanvasExport(assignment: "MAML homework", roster: roster).csv(try sampleGradebook(), pointsPossible: 3)
    #expect(text.contains("\n\"Lovelace, Ada\",1001,U1,s01,MAML-01,3\n\"Turing, Alan\",1002,U2,s02,MAML-02,1.90\n"))
    try CanvasImportFormat.check(text)
    #expect(throws: GradingError.invalidExport("the roster has no SIS Login ID for s02; their grades would not import")) {
        try CanvasExport(assignment: "MAML homework", roster: Array(roster.prefix(1))).csv(try sampleGradebook(), pointsPossible: 3)
    }
}

/// The check follows Canvas's importer: a file it would reject or misread is refused with the reason.
@Test func layoutsCanvasWouldRejectAreNamed() throws {
    func problem(_ text: String) -> String? {
        do { try CanvasImportFormat.check(text); return nil } catch { return "\(error)" }
    }
    #expect(problem("Student,ID,SIS Login ID,Section,HW\nann,,ann,,3\n") == nil)
    #expect(problem("Name,ID,SIS Login ID,Section,HW\nann,,ann,,3\n") == "invalid export: the header must start with Student and ID, got Name,ID")
    #expect(problem("Student,ID,SIS User ID,SIS Login ID,HW\nann,,,ann,3\n")
        == "invalid export: the student columns must end with Section (column 5), got HW")
    #expect(problem("Student,ID,SIS Login ID,Section,Final Score\nann,,ann,,3\n") == "invalid export: no assignment column follows Section")
    #expect(problem("Student,ID,SIS Login ID,Section,HW\nann,,ann,,three\n")
        == "invalid export: line 2: the score for HW must be a number, EX, - or empty, got three")
    #expect(problem("Student,ID,SIS Login ID,Section,HW\nann,,ann,3\n") == "invalid export: line 2 has 4 fields; the header has 5")
    #expect(problem("Student,ID,SIS Login ID,Section,HW\n,,,,3\n") == "invalid export: line 2 names no student (no name, ID, SIS User ID or SIS Login ID)")
    #expect(problem("Student,ID,SIS Login ID,Section,HW\nPoints Possible,,,,ten\nann,,ann,,3\n")
        == "invalid export: line 2: points possible of HW must be a number, got ten")
    #expect(throws: GradingError.invalidExport("Canvas ignores a column whose title contains \"Final Grade\"; choose another assignment title")) {
        try CanvasExport(assignment: "MAML Final Grade")
    }
}
