import Foundation
import GradingKit
import Testing


/// Builds every exercise many times (about half a minute to a few minutes): only with GRADER_END_TO_END=1.
@Test(.enabled(if: ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"))
func validateReferenceStubsAndEveryVariant() throws {
    let grader = try SubmissionGrader(repository: repository)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grader-validate-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let checks = try Validator(grader: grader, variants: repository.appendingPathComponent("Tests/GradingKitTests/Variants"), scratchPath: scratch).run()
    #expect(checks.count >= 27)
    for check in checks { #expect(check.ok, "\(check.name): failed \(check.failedParts), expected \(check.expectedFailures)") }
    #expect(checks.first { $0.name == "reference" }?.score == (try referencePoints()))
    #expect(checks.first { $0.name == "stubs" }?.score == 0)
}

/// A submission that is not a folder or zip still gets results.json with a catastrophic error.
@Test func unreadableSubmissionStillWritesResults() throws {
    let grader = try SubmissionGrader(repository: repository)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grader-bad-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("submission.txt")
    try "hello".write(to: file, atomically: true, encoding: .utf8)
    let results = try grader.grade(submission: file, out: folder.appendingPathComponent("out"))
    #expect(results.score == 0)
    #expect(results.tests.last?.name == "Autograder: catastrophic error")
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/results.json").path))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/feedback.md").path))
}
