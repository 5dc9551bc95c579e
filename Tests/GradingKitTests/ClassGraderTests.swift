import Foundation
import GradingKit
import Testing


/// A temporary class folder with the given entries: names ending in `/` are folders holding
/// one Swift file, names ending in `.zip` are (broken) zip files, others plain files.
private func makeClass(_ entries: [String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-class-\(UUID().uuidString)")
    for entry in entries {
        let url = root.appendingPathComponent(entry)
        if entry.hasSuffix("/") {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("GDStep"), withIntermediateDirectories: true)
            try "// answer".write(to: url.appendingPathComponent("GDStep/GDStep.swift"), atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "not a zip".write(to: url, atomically: true, encoding: .utf8)
        }
    }
    return root
}

@Test func submissionsAreFoldersAndZipsNamedByStudent() throws {
    let root = try makeClass(["s01/", "s02.zip", "notes.txt", ".hidden/", "out/"])
    defer { try? FileManager.default.removeItem(at: root) }
    let found = try ClassGrader.submissions(in: root, excluding: root.appendingPathComponent("out"))
    #expect(found.map(\.id) == ["s01", "s02"])
    #expect(found[1].url.lastPathComponent == "s02.zip")
}

@Test func aStudentWithTwoSubmissionsIsRefused() throws {
    let root = try makeClass(["s01/", "s01.zip"])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(throws: GradingError.invalidSubmission("student s01 has two submissions: s01 and s01.zip")) {
        try ClassGrader.submissions(in: root)
    }
}

/// Broken zips are graded without building (a catastrophic-error result each), which exercises
/// the parallel run, the atomic per-student folders, the skip on re-run and `force`.
@Test func gradeAllWritesEachStudentOnceAndSkipsThemOnRerun() throws {
    let root = try makeClass(["s01.zip", "s02.zip", "s03.zip"])
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("graded")
    try FileManager.default.createDirectory(at: out.appendingPathComponent(".grading-s09-interrupted"), withIntermediateDirectories: true)
    let classGrader = ClassGrader(grader: try offlineGrader(), config: nil)
    let outcomes = OutcomeLog()
    let gradebook = try classGrader.gradeAll(folder: root, out: out, jobs: 2, progress: outcomes.add)
    #expect(gradebook.rows.map(\.student) == ["s01", "s02", "s03"])
    #expect(gradebook.rows.allSatisfy { $0.total == 0 && $0.final == 0 })
    #expect(outcomes.all.filter { !$0.skipped }.count == 3)
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(names == ["canvas.csv", "gradebook.csv", "s01", "s02", "s03"])
    let results = try String(contentsOf: out.appendingPathComponent("s02/results.json"), encoding: .utf8)
    #expect(results.contains("catastrophic error"))

    let rerun = OutcomeLog()
    try classGrader.gradeAll(folder: root, out: out, jobs: 2, progress: rerun.add)
    #expect(rerun.all.count == 3 && rerun.all.allSatisfy(\.skipped))
    let forced = OutcomeLog()
    try classGrader.gradeAll(folder: root, out: out, jobs: 1, force: true, progress: forced.add)
    #expect(forced.all.count == 3 && forced.all.allSatisfy { !$0.skipped })
}

@Test func missingSubmissionTimesAreReportedBeforeGrading() throws {
    let root = try makeClass(["s01.zip", "s02.zip"])
    defer { try? FileManager.default.removeItem(at: root) }
    let classGrader = ClassGrader(grader: try offlineGrader(), config: nil)
    #expect(throws: GradingError.invalidTimes("no submission time for s02")) {
        try classGrader.gradeAll(folder: root, out: root.appendingPathComponent("graded"), times: ["s01": Date()])
    }
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("graded").path))
}

/// A grader of `sampleManifest` whose judges are never asked (the submissions here never get that far).
func offlineGrader() throws -> SubmissionGrader {
    SubmissionGrader(repository: repository, structure: PackageStructure(targets: []),
                     judges: Judges(binaries: URL(fileURLWithPath: "/nonexistent"), manifest: sampleManifest),
                     sandbox: try Sandbox.detect(forced: Sandbox.Isolation.none), limits: GradingLimits())
}

/// Outcomes reported by the worker threads.
final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [ClassGrader.Outcome] = []

    func add(_ outcome: ClassGrader.Outcome) { lock.withLock { outcomes.append(outcome) } }

    var all: [ClassGrader.Outcome] { lock.withLock { outcomes } }
}
