import Foundation
import GradingKit
import Testing

/// Plain `swift test` grades the exercises of this build (the reference by default, the files of
/// `Exercises/` with `MAML_IMPLEMENTATION=exercises`) with the same probe and judge programs
/// as the grader, one process per part, and prints the points table at the end. It does not
/// sandbox the probes: `grader grade` is the hardened path. `GRADING_SEED=N` fixes the inputs'
/// seed (default 1).
enum HiddenTests {
    /// The folder holding this test binary, and so the probe and judge programs of the same build.
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    /// The package root, found from this file's place in `Grading/Tests/`.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Where the exercises of this build come from.
    static let implementation = ProcessInfo.processInfo.environment["MAML_IMPLEMENTATION"] == "exercises"
        || !FileManager.default.fileExists(atPath: package.appendingPathComponent("Solutions").path) ? "Exercises" : "Solutions"
    /// The seed of the inputs.
    static let seed = ProcessInfo.processInfo.environment["GRADING_SEED"].flatMap(UInt64.init) ?? 1

    /// The judges and runner of this build, or why they could not be set up.
    static let course = Result { () throws -> (judges: Judges, runner: PartRunner) in
        let structure = try PackageStructure.load(package: package)
        let judges = try Judges(binaries: binaries, exercises: structure.gradedExercises)
        let runner = PartRunner(judges: judges, sandbox: try Sandbox.detect(forced: Sandbox.Isolation.none), seed: seed,
                                limits: GradingLimits(testSeconds: 900, memoryMegabytes: nil), privatePaths: [package.path])
        return (judges, runner)
    }

    /// The exercises whose hidden tests this build holds, in course order.
    static var exercises: [String] { (try? course.get().judges.manifest.exercises.map(\.name)) ?? ["(the course could not be read)"] }

    /// Every part's result so far, printed as the points table when the process ends.
    nonisolated(unsafe) static var results: [PartResult] = []
    static let lock = NSLock()
}

/// Every part of one exercise, graded through its probe and judge.
@Test(.serialized, arguments: HiddenTests.exercises)
func hiddenParts(of exercise: String) throws {
    let (judges, runner) = try HiddenTests.course.get()
    let described = try #require(judges.manifest.exercise(named: exercise))
    let probes = HiddenTests.binaries.appendingPathComponent("\(exercise)Probes")
    let assessment = HiddenTests.package.appendingPathComponent("\(HiddenTests.implementation)/\(exercise)/Assessment")
    let results: [PartResult]
    do {
        results = try runner.grade(described, probes: probes, buildProblem: nil,
                                   assessment: FileManager.default.fileExists(atPath: assessment.path) ? assessment : nil)
    } catch {
        // The grading itself failed (a judge that could not draw its inputs, say): every part of
        // the exercise is shown as lost in the table, not left out of it.
        results = described.parts.map { PartResult(exercise: exercise, part: $0, status: .notRun, problem: "grading failed: \(error)") }
    }
    HiddenTests.lock.withLock {
        if HiddenTests.results.isEmpty {
            atexit {
                let table = PointsTable.text(HiddenTests.results, manifest: (try? HiddenTests.course.get().judges.manifest) ?? GradingManifest(course: "", exercises: []),
                                             heading: "\nPoints (hidden tests run against \(HiddenTests.implementation)/, seed \(HiddenTests.seed))")
                FileHandle.standardError.write(Data((table + "\n").utf8))
            }
        }
        HiddenTests.results += results
    }
    for result in results where result.status != .passed {
        Issue.record("\(exercise)/\(result.part.id) lost \(formatPoints(result.part.points)) (\(result.status.rawValue)): \(result.explanation)")
    }
}
