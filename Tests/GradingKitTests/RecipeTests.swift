import Foundation
import GradingKit
import Testing

// The recipe of `Grading/README.md` ("Adding an exercise"), followed in a copy of the course:
// one list entry in Package.swift and one folder per side, then `grader validate` on the new
// exercise. Builds the copy's judges and probes (minutes): only with GRADER_END_TO_END=1.

/// The files of the throwaway exercise, as the recipe lays them out.
private let throwaway: [String: String] = [
    "Exercises/Throwaway/Throwaway.swift": """
        import ExerciseSupport

        /// Twice `x`.
        public func double(_ x: Double) throws -> Double {
            throw ExerciseError.notImplemented("double")
        }

        """,
    "Exercises/Throwaway/README.md": "# Throwaway\n\n### Part value (1 point)\n`double(x)` is 2x.\n",
    "Exercises/Throwaway/Checks/ThrowawayChecks.swift": """
        import Testing
        import Throwaway

        @Test func doublesOne() throws { #expect(try double(1) == 2) }

        """,
    "Solutions/Throwaway/Throwaway.swift": """
        import ExerciseSupport

        /// Twice `x`.
        public func double(_ x: Double) throws -> Double {
            2 * x
        }

        """,
    "Grading/Throwaway/main.swift": "import GradingRuntime\n\nJudgeProgram.run(throwawayParts)\n",
    "Grading/Throwaway/Parts.swift": """
        import GradingRuntime

        /// The throwaway exercise's one part.
        let throwawayParts = ExerciseParts("Throwaway", question: "Q0", parts: [
            Part("value", points: 1, section: "Part value", summary: "twice x",
                 inputs: { random in ["x": .number(random.rounded(-5, 5))] },
                 judge: { inputs, observed in
                     var judgement = Judgement(inputs: "x = \\(Rendering.number(try inputs.number("x")))")
                     judgement.close(try observed.number("y"), 2 * (try inputs.number("x")), within: 1e-12, "double(x) should be 2x.")
                     return judgement
                 }),
        ])

        """,
    "Grading/Throwaway/Probes/main.swift": """
        import GradingRuntime
        import Throwaway

        ProbeProgram.run(["value": { inputs in ["y": .number(try double(try inputs.number("x")))] }])

        """,
    "Grading/Throwaway/Variants/triple.variant": "breaks: value\n\n--- Throwaway.swift\n public func double(_ x: Double) throws -> Double {\n-    2 * x\n+    3 * x\n }\n",
]

@Test(.enabled(if: ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"))
func theRecipeAddsAnExerciseThatGrades() throws {
    let copy = try temporaryFolder("recipe")
    defer { try? FileManager.default.removeItem(at: copy) }
    try PackageFiles.copy(try PackageFiles.list(repository: repository), from: repository, to: copy)
    // Step 1: one entry in the list of exercises.
    let edit = try Shell.run(["sed", "-i", #"s|^let exerciseList: \[(name: String, libraries: \[String\])\] = \[|&\n    ("Throwaway", ["Autodiff"]),|"#,
                              "Package.swift"], in: copy, seconds: 30)
    #expect(edit.status == 0)
    // Steps 2 to 5: the folders.
    for (path, text) in throwaway { try write(text, to: path, in: copy) }
    let structure = try PackageStructure.load(package: copy)
    #expect(structure.exercises.first == "Throwaway" && structure.gradedExercises.contains("Throwaway"))
    let judges = try Judges.build(repository: copy, scratch: copy.appendingPathComponent(".build-grader/judges"))
    let grader = SubmissionGrader(repository: copy, structure: structure, judges: judges,
                                  sandbox: try Sandbox.detect(forced: Sandbox.Isolation.none), limits: GradingLimits())
    let checks = try Validator(grader: grader, workspace: copy.appendingPathComponent(".build-grader/validate"), only: ["Throwaway"], seed: 5).run()
    #expect(checks.map(\.name) == ["reference", "stubs", "Throwaway/triple"])
    for check in checks { #expect(check.ok, "\(check.name): lost \(check.failedParts), expected \(check.expectedFailures)") }
}
