import Foundation
import GradingKit
import Testing

/// A fresh temporary folder holding `Exercises/GDStep/GDStep.swift`.
private func makeSubmission() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-layout-\(UUID().uuidString)")
    let exercise = root.appendingPathComponent("Exercises/GDStep")
    try FileManager.default.createDirectory(at: exercise, withIntermediateDirectories: true)
    try "// answer".write(to: exercise.appendingPathComponent("GDStep.swift"), atomically: true, encoding: .utf8)
    return root
}

@Test func aNestedExercisesFolderIsFound() throws {
    let root = try makeSubmission()
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = try SubmissionLayout.exercisesFolder(of: root, unpackingInto: root.appendingPathComponent("unpacked"))
    #expect(folder.lastPathComponent == "Exercises")
}

@Test func aZipIsUnpackedAndSearched() throws {
    let root = try makeSubmission()
    defer { try? FileManager.default.removeItem(at: root) }
    let zip = root.appendingPathComponent("submission.zip")
    let zipped = try Shell.run(["zip", "-qr", zip.path, "Exercises"], in: root, seconds: 30)
    try #require(zipped.status == 0, "zip failed: \(zipped.output)")
    let folder = try SubmissionLayout.exercisesFolder(of: zip, unpackingInto: root.appendingPathComponent("unpacked"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("GDStep/GDStep.swift").path))
}

@Test func aMissingSubmissionNamesItsPath() {
    #expect(throws: GradingError.invalidSubmission("/nonexistent/submission does not exist")) {
        try SubmissionLayout.exercisesFolder(of: URL(fileURLWithPath: "/nonexistent/submission"), unpackingInto: URL(fileURLWithPath: "/tmp"))
    }
}
