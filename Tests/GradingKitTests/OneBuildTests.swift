import Foundation
import GradingKit
import Testing

// A submission's exercises are built in one build, and an exercise that does not compile must
// neither sink the others nor be graded from a previous submission's module. These tests build
// the judges and the probes: only with GRADER_END_TO_END=1.

private let endToEnd = ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"

@Suite(.serialized, .enabled(if: endToEnd))
struct OneBuildTests {
    /// Three exercises, the middle one broken, graded after a submission where all three compiled
    /// (in the same workspace, so that stale modules and programs are there to be picked up).
    @Test func aBrokenExerciseFailsAloneAndIsNeverGradedFromAnOldBuild() throws {
        let grader = try SubmissionGrader.prepare(repository: repository, limits: GradingLimits(buildSeconds: 1800, testSeconds: 300))
        let root = try temporaryFolder("one-build")
        defer { try? FileManager.default.removeItem(at: root) }
        let exercises = ["GDStep", "MetaObjective", "ScaleInvariance"]
        let workspace = root.appendingPathComponent("workspace")

        try writeStudent("good", Dictionary(uniqueKeysWithValues: exercises.map { ($0, nil) }), into: root)
        let good = try grader.gradeFolder(root.appendingPathComponent("good"), workspace: workspace, seed: 7, only: exercises)
        #expect(good.allSatisfy { $0.status == .passed }, "\(good.filter { $0.status != .passed })")

        try writeStudent("broken", Dictionary(uniqueKeysWithValues: exercises.map { ($0, nil) }), into: root)
        try write("func metaObjectiveHelper() -> Int { return \"not a number\" }\n", to: "broken/MetaObjective/Broken.swift", in: root)
        let broken = try grader.gradeFolder(root.appendingPathComponent("broken"), workspace: workspace, seed: 7, only: exercises)
        for result in broken {
            if result.exercise == "MetaObjective" {
                #expect(result.status == .compileError)
                #expect(result.problem.contains("Broken.swift"), "\(result.problem)")
            } else {
                #expect(result.status == .passed, "\(result.exercise)/\(result.part.id): \(result.status) \(result.problem)")
            }
        }
        #expect(Set(broken.map(\.exercise)) == Set(exercises))
    }
}
