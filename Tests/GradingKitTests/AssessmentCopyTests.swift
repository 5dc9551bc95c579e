import Foundation
import GradingKit
import Testing


/// A fresh temporary folder.
private func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(name)-\(UUID().uuidString)")
}

/// Writes `text` to `folder/relative`, creating folders on the way.
private func write(_ text: String, to relative: String, in folder: URL) throws {
    let file = folder.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
}

/// A submission's `Assessment/` folder replaces the stub's (its README included) in the work
/// copy; the stub's training command stays; without one, the stub's README is kept.
@Test func theSubmittedAssessmentFolderReplacesTheStubs() throws {
    let scratch = temporaryFolder("assessment")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let submitted = scratch.appendingPathComponent("submission/FOMAML")
    try write("// the student's inner loop\n", to: "InnerLoop.swift", in: submitted)
    try write("weights", to: "Assessment/weights.checkpoint", in: submitted)
    try write("{}", to: "Assessment/metrics.json", in: submitted)
    let workCopy = try WorkCopy(repository: repository, root: scratch.appendingPathComponent("work"))

    let laid = try workCopy.install(exercise: "FOMAML", from: submitted)
    #expect(laid == ["InnerLoop.swift", "Assessment/metrics.json", "Assessment/weights.checkpoint"])
    let installed = workCopy.root.appendingPathComponent("Exercises/FOMAML")
    let assessment = try FileManager.default.contentsOfDirectory(atPath: installed.appendingPathComponent("Assessment").path).sorted()
    #expect(assessment == ["metrics.json", "weights.checkpoint"])
    #expect(try String(contentsOf: installed.appendingPathComponent("Assessment/weights.checkpoint"), encoding: .utf8) == "weights")
    #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent("Train/main.swift").path))

    try FileManager.default.removeItem(at: submitted.appendingPathComponent("Assessment"))
    #expect(try workCopy.install(exercise: "FOMAML", from: submitted) == ["InnerLoop.swift"])
    #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent("Assessment/README.md").path))
    #expect(!FileManager.default.fileExists(atPath: installed.appendingPathComponent("Assessment/weights.checkpoint").path))
}

/// Only an assessment folder's README goes to students; trained files in it never do.
@Test func trainedArtefactsAreWithheldFromStudents() {
    #expect(StudentBundle.isTrainedArtefact("Exercises/FOMAML/Assessment/weights.checkpoint"))
    #expect(StudentBundle.isTrainedArtefact("Exercises/FOMAML/Assessment/runs/metrics.json"))
    #expect(!StudentBundle.isTrainedArtefact("Exercises/FOMAML/Assessment/README.md"))
    #expect(!StudentBundle.isTrainedArtefact("Exercises/FOMAML/Train/main.swift"))
    #expect(!StudentBundle.isTrainedArtefact("Exercises/FOMAML/README.md"))
    // The rule is the same for every assessed exercise, whatever its files are called.
    #expect(StudentBundle.isTrainedArtefact("Exercises/TransferLearning/Assessment/pretrained.checkpoint"))
    #expect(StudentBundle.isTrainedArtefact("Exercises/TransferLearning/Assessment/validation.svg"))
    #expect(!StudentBundle.isTrainedArtefact("Exercises/TransferLearning/Assessment/README.md"))
    #expect(!StudentBundle.isTrainedArtefact("Exercises/TransferLearning/Train/main.swift"))
}
