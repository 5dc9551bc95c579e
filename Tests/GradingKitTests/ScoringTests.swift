import Foundation
import GradingKit
import Testing

@Test func pointsFollowTheRunnersReport() {
    let gd = sampleManifest.exercises[0]
    let results = Scoring.grade(gd, report: report(module: "GDStepGrading", ran: ["updatePart", "differentiablePart"], failing: ["differentiablePart"]))
    #expect(results.map(\.score) == [1, 0])
    #expect(results.map(\.status) == [.passed, .failed])
    #expect(results[1].output == "Expectation failed: differentiablePart")
}

@Test func testsOfAnotherModuleDoNotCount() {
    let gd = sampleManifest.exercises[0]
    let results = Scoring.grade(gd, report: report(module: "GDStepChecks", ran: ["updatePart", "differentiablePart"]))
    #expect(results.allSatisfy { $0.status == .notRun && $0.score == 0 })
}

@Test func aCompileErrorCostsEveryPartOfItsExerciseOnly() {
    let gd = Scoring.grade(sampleManifest.exercises[0], report: nil, buildLog: "error: expected '}'")
    let adam = Scoring.grade(sampleManifest.exercises[1], report: report(module: "AdamEquivalencesGrading", ran: ["rmspropPart", "momentumPart"]))
    #expect(gd.allSatisfy { $0.status == .compileError && $0.score == 0 })
    #expect(adam.reduce(0) { $0 + $1.score } == 1)
}

@Test func longOutputIsTruncated() {
    let text = String(repeating: "x", count: 5000)
    let cut = Scoring.truncated(text, limit: 100)
    #expect(cut.hasPrefix(String(repeating: "x", count: 100)))
    #expect(cut.hasSuffix("(4900 more characters cut)"))
    #expect(Scoring.truncated("short", limit: 100) == "short")
}
