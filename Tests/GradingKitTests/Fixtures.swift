import Foundation
import GradingKit

/// The repository root, two folders above this file.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

/// The repository's own manifest.
func repositoryManifest() throws -> GradingManifest {
    try GradingManifest.load(from: repository.appendingPathComponent("Grading/manifest.json"))
}

/// The points the reference earns: the course's full marks and every extra-credit point.
func referencePoints() throws -> Double {
    let manifest = try repositoryManifest()
    return manifest.maxPoints + manifest.extraPoints
}

/// A copy of the reference as `<folder>/<name>/`, with `replacements` (file path → contents) laid over it.
func referenceSubmission(_ name: String, in folder: URL, replacing replacements: [String: String] = [:]) throws {
    let submission = folder.appendingPathComponent(name)
    try Shell.copy(repository.appendingPathComponent("Solutions"), to: submission)
    for (path, text) in replacements {
        try text.write(to: submission.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }
}

/// A two-exercise manifest used across the tests (3 points in all).
let sampleManifest = GradingManifest(course: "Sample", exercises: [
    .init(name: "GDStep", question: "Q1", parts: [
        .init(id: "update", points: 1, test: "updatePart", section: "Part update", summary: "the update"),
        .init(id: "differentiable", points: 1, test: "differentiablePart", section: "Part differentiable", summary: "second order"),
    ]),
    .init(name: "AdamEquivalences", question: "Q2", parts: [
        .init(id: "rmsprop", points: 0.5, test: "rmspropPart", section: "Part (a)", summary: "RMSprop"),
        .init(id: "momentum", points: 0.5, test: "momentumPart", section: "Part (b)", summary: "momentum"),
    ]),
])

/// A runner report: the given tests of `module` ended, passing unless listed in `failing`.
func report(module: String, ran tests: [String], failing: [String] = [], ended: Bool = true) -> TestRunReport {
    TestRunReport(outcomes: tests.map { name in
        TestOutcome(id: "\(module).\(name)()", passed: !failing.contains(name), unfinished: false,
                    messages: failing.contains(name) ? ["Expectation failed: \(name)"] : [])
    }, runEnded: ended)
}
