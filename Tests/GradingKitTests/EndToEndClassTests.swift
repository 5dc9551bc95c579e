import Foundation
import GradingKit
import Testing

private let endToEnd = ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"

/// A GDStep that allocates until the memory limit stops it.
private let memoryHog = """
    import Autodiff
    public func gdStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double) throws -> Parameters {
        var hoard: [[UInt8]] = []
        while true { hoard.append([UInt8](repeating: 7, count: 64 << 20)) }
    }
    """

/// A MetaObjective that prints passing lines and a perfect results JSON, then leaves with status 0.
private let liar = """
    import Autodiff
    import Foundation
    public typealias GradientStep = (
        _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ stepSize: Double
    ) throws -> Parameters
    public struct MetaObjective {
        public init(innerCost: @escaping (Parameters) -> Tensor, numSteps: Int, stepSize: Double, step: @escaping GradientStep) throws {}
        public func callAsFunction(_ params: Parameters) throws -> Tensor {
            print("✔ Test valuePart_costAfterExactlyKSteps() passed")
            print(#"{"score": 9, "tests": []}"#)
            exit(0)
        }
    }
    """

/// Builds every submission from scratch (a few minutes): only with GRADER_END_TO_END=1.
@Test(.enabled(if: endToEnd))
func gradeAllKeepsHostileSubmissionsToTheirOwnExercises() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-class-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let submissions = root.appendingPathComponent("submissions")
    try referenceSubmission("ref", in: submissions)
    try referenceSubmission("hog", in: submissions, replacing: ["GDStep/GDStep.swift": memoryHog])
    try referenceSubmission("liar", in: submissions, replacing: ["MetaObjective/MetaObjective.swift": liar])
    let grader = try SubmissionGrader(repository: repository, limits: GradingLimits(testSeconds: 60, memoryMegabytes: 2048))
    try grader.manifest.checkDataFolders()
    let started = Date()
    let book = try ClassGrader(grader: grader, config: nil).gradeAll(folder: submissions, out: root.appendingPathComponent("out"), jobs: 2)
    print("grade-all --jobs 2 of 3 submissions: \(Int(Date().timeIntervalSince(started))) s")
    let totals = Dictionary(uniqueKeysWithValues: book.rows.map { ($0.student, $0.total) })
    let full = try referencePoints()
    #expect(totals == ["ref": full, "hog": full - 2, "liar": full - 2])
    let hog = try #require(book.rows.first { $0.student == "hog" })
    #expect(Array(hog.partScores.prefix(2)) == [0, 0])
}

/// The bundle's visible checks build and run from Exercises/ (builds Autodiff): only with GRADER_END_TO_END=1.
@Test(.enabled(if: endToEnd))
func releasedBundleRunsItsVisibleChecks() throws {
    let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("grader-bundle-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: bundle) }
    try StudentBundle.make(repository: repository, out: bundle)
    let report = try VisibleChecks(package: bundle).run("GDStep")
    #expect(report.buildErrors == nil, "\(report.buildErrors ?? "")")
    #expect(!report.checks.isEmpty)
    #expect(!report.allPassed)  // the stub is not an answer
}

/// run_autograder grades the reference to full marks in a fake /autograder tree: only with GRADER_END_TO_END=1.
@Test(.enabled(if: endToEnd))
func runAutograderGradesTheReferenceToFullMarks() throws {
    let grader = repository.appendingPathComponent(".build/debug/grader")
    try #require(FileManager.default.isExecutableFile(atPath: grader.path), "build the grader first: swift build --product grader")
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-gradescope-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try AutograderPackage.stage(repository: repository, into: root.appendingPathComponent("source"), settings: .init(swiftVersion: "6.3.1"))
    try referenceSubmission("submission", in: root)
    let run = try Shell.run([root.appendingPathComponent("source/run_autograder").path], in: root,
                            environment: ["AUTOGRADER_ROOT": root.path, "GRADER_BIN": grader.path], seconds: 900)
    #expect(run.status == 0, "\(run.output)")
    let results = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: root.appendingPathComponent("results/results.json")))
    #expect(results.score == (try referencePoints()))
    #expect(results.tests.allSatisfy { $0.status == "passed" })
}
