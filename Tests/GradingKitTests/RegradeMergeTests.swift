import Foundation
import GradingKit
import Testing

/// Regrading one exercise replaces that exercise's entries and feedback section only; the result
/// equals what grading everything at once would have given.
@Test func aRegradedExerciseReplacesItsPartsAndKeepsTheRest() throws {
    let context = sampleContext
    let before = results(sampleManifest, failing: ["update", "momentum"])
    let regradedParts = results(sampleManifest).filter { $0.exercise == "GDStep" }
    let old = GradescopeResults.make(from: before, manifest: sampleManifest, seconds: 2, context: context)
    let new = GradescopeResults.make(from: regradedParts, manifest: sampleManifest, seconds: 1, context: context)
    let merged = old.merging(new, exercises: ["GDStep"], manifest: sampleManifest)
    let after = before.map { old in old.exercise == "GDStep" ? regradedParts.first { $0.part.id == old.part.id }! : old }
    var whole = GradescopeResults.make(from: after, manifest: sampleManifest, seconds: 3, context: context)
    whole.execution_time = merged.execution_time
    #expect(merged == whole)
    let feedback = Feedback.merging(Feedback.markdown(parts: before, manifest: sampleManifest, context: context),
                                    Feedback.markdown(parts: regradedParts, manifest: sampleManifest, context: context),
                                    exercises: ["GDStep"], results: merged, manifest: sampleManifest)
    #expect(feedback == Feedback.markdown(parts: after, manifest: sampleManifest, context: context))
}
