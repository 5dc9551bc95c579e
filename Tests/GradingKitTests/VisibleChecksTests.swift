import Foundation
import GradingKit
import Testing

@Test func checksAreDescribedCheckByCheck() {
    let report = VisibleChecks.Report(exercise: "GDStep", buildErrors: nil, checks: [
        TestOutcome(id: "GDStepChecks.stepHalves()", passed: true, unfinished: false, messages: []),
        TestOutcome(id: "GDStepChecks.keepsNames()", passed: false, unfinished: false, messages: ["Expectation failed: names"]),
    ], note: "")
    let text = VisibleChecks.describe(report)
    #expect(text.contains("✓ stepHalves") && text.contains("✗ keepsNames") && text.contains("Expectation failed: names"))
    #expect(text.contains("1 of 2 checks pass"))
    #expect(!report.allPassed)
}

@Test func aBuildFailureIsShownInsteadOfChecks() {
    let report = VisibleChecks.Report(exercise: "GDStep", buildErrors: "Exercises/GDStep/GDStep.swift:3:5: error: cannot find 'x'", checks: [], note: "")
    #expect(VisibleChecks.describe(report).contains("does not compile yet"))
    #expect(!report.allPassed)
}

@Test func anUnknownExerciseIsNamed() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    let checks = VisibleChecks(package: repository)
    #expect(try checks.exercises().contains("GDStep"))
    #expect(throws: GradingError.self) { try checks.run("NoSuchExercise") }
}
