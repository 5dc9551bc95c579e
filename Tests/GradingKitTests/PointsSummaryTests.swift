import Foundation
@testable import GradingSupport
import Testing

// The points summary a plain `swift test` prints: the report's text, and the trait's recording.

private let manifestJSON = """
{ "exercises": [
  { "name": "GDStep", "parts": [
    { "id": "update", "points": 1, "test": "updatePart_a", "section": "Part update", "summary": "one step" },
    { "id": "differentiable", "points": 1, "test": "differentiablePart_b", "section": "Part differentiable", "summary": "second order" } ] },
  { "name": "Bonus", "extraCredit": true, "parts": [
    { "id": "extra", "points": 10, "test": "extraPart_c", "section": "Extra", "summary": "extra credit" } ] },
  { "name": "FOMAML", "parts": [
    { "id": "fresh", "points": 3, "test": "freshPart_d", "section": "Part fresh", "summary": "reset per task" } ] } ] }
"""

private func report(_ outcomes: [String: Bool]) throws -> String? {
    let manifest = try JSONDecoder().decode(PartsManifest.self, from: Data(manifestJSON.utf8))
    return PointsReport(manifest: manifest, outcomes: outcomes, implementation: "Exercises/").text
}

@Test func summaryNamesEveryLostPartWithItsPointsAndSection() throws {
    let text = try #require(try report(["GDStepGrading.updatePart_a": true, "GDStepGrading.differentiablePart_b": false,
                                        "BonusGrading.extraPart_c": true]))
    #expect(text.contains("against Exercises/"))
    #expect(text.contains("✗ GDStep             1 / 2"))
    #expect(text.contains("lost 1 on part differentiable: second order (re-read “Part differentiable”)"))
    #expect(text.contains("✓ Bonus              10 / 10 extra credit"))
    #expect(text.contains("Total: 1 / 2 + 10 extra (1 part not run in this test run)"))
    #expect(!text.contains("FOMAML"))
}

@Test func summaryIsSilentWhenNoGradedPartRan() throws {
    #expect(try report([:]) == nil)
    #expect(try report(["SomeTests.updatePart_a": true]) == nil)
}

@Test func theRepositoryManifestDecodesForTheSummary() throws {
    let manifest = try PartsManifest.load(from: PartsManifest.defaultLocation)
    #expect(manifest.exercises.contains { $0.name == "GDStep" })
}

private struct Thrown: Error {}

/// The trait records a thrown error as a lost part, and a clean run as an earned one; a test
/// with several argument cases is earned only if every case is.
@Test func gradedTraitRecordsPassAndThrownFailure() async throws {
    let test = try #require(Test.current)
    let key = "\(test.id.moduleName).\(GradedTrait.functionName(test.name))"
    try await GradedTrait().provideScope(for: test, testCase: nil) {}
    #expect(PointsSummary.shared.outcomes[key] == true)
    await #expect(throws: Thrown.self) {
        try await GradedTrait().provideScope(for: test, testCase: nil) { throw Thrown() }
    }
    #expect(PointsSummary.shared.outcomes[key] == false)
    try await GradedTrait().provideScope(for: test, testCase: nil) {}
    #expect(PointsSummary.shared.outcomes[key] == false)
}

@Test func functionNamesDropTheirArgumentList() {
    #expect(GradedTrait.functionName("updatePart_x(steps:)") == "updatePart_x")
    #expect(GradedTrait.functionName("plain") == "plain")
}
