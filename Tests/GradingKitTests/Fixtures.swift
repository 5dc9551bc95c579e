import Foundation
import GradingKit

/// The repository root, two folders above this file.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

/// A fresh private temporary folder (removed by the caller).
func temporaryFolder(_ name: String) throws -> URL {
    try Shell.privateFolder(prefix: "grader-test-\(name)")
}

/// Writes `text` to `folder/relative`, creating folders on the way.
func write(_ text: String, to relative: String, in folder: URL) throws {
    let file = folder.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
}

/// A two-exercise manifest used across the tests (3 points in all) and a 2-point extra-credit one.
let sampleManifest = GradingManifest(course: "Sample", exercises: [
    .init(name: "GDStep", question: "Q1", parts: [
        .init(id: "update", points: 1, section: "Part update", summary: "the update"),
        .init(id: "differentiable", points: 1, section: "Part differentiable", summary: "second order"),
    ]),
    .init(name: "AdamEquivalences", question: "Q2", parts: [
        .init(id: "rmsprop", points: 0.5, section: "Part (a)", summary: "RMSprop"),
        .init(id: "momentum", points: 0.5, section: "Part (b)", summary: "momentum"),
    ]),
])

/// `sampleManifest` with a 2-point extra-credit exercise.
let manifestWithExtra: GradingManifest = {
    var manifest = sampleManifest
    manifest.exercises.append(.init(name: "Bonus", question: "extra", extraCredit: true, parts: [
        .init(id: "first", points: 1.5, section: "Part first", summary: "first bonus"),
        .init(id: "second", points: 0.5, section: "Part second", summary: "second bonus"),
    ]))
    return manifest
}()

/// Every part of `manifest` passed except those whose ids are in `failing`, which fail with a
/// judge's failed check.
func results(_ manifest: GradingManifest, failing: Set<String> = []) -> [PartResult] {
    manifest.exercises.flatMap { exercise in
        exercise.parts.map { part in
            failing.contains(part.id)
                ? PartResult(exercise: exercise.name, part: part, status: .failed, failures: [
                    JudgeVerdict.Failure(statement: "Case 1: \(part.id) should hold.", inputs: "η = 0.25",
                                         expected: "shape [2]: [0.5, 1]", actual: "shape [2]: [0.7, 1] (largest difference 0.2 at index 0)")])
                : PartResult(exercise: exercise.name, part: part, status: .passed)
        }
    }
}

/// The context of a test grading.
let sampleContext = GradingContext(seed: 42, protection: "limits only")
