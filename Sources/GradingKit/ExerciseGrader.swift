import Foundation

/// Limits for one exercise's build and test run.
public struct GradingLimits: Sendable {
    /// Seconds allowed to build one exercise (the first build of a work copy compiles Autodiff).
    public var buildSeconds: Int
    /// Seconds allowed for one exercise's hidden tests, all of them together.
    public var testSeconds: Int
    /// Address-space limit of the test process in MiB (`prlimit --as`); nil for none.
    public var memoryMegabytes: Int?

    /// Defaults that fit the handouts' small exercises on a busy machine: 15 minutes to build,
    /// 2 minutes and 4 GiB of address space to run an exercise's hidden tests.
    public init(buildSeconds: Int = 900, testSeconds: Int = 120, memoryMegabytes: Int? = 4096) {
        self.buildSeconds = buildSeconds
        self.testSeconds = testSeconds
        self.memoryMegabytes = memoryMegabytes
    }
}

/// Builds and runs one exercise at a time in a work copy, each in its own `swift` processes,
/// and turns the runner's event stream into part results.
public struct ExerciseGrader: Sendable {
    /// The test binary SwiftPM links for the package on Linux.
    public static let testBundleName = "MAMLWorkbookPackageTests.xctest"

    /// Where the submission is built.
    public let workCopy: WorkCopy
    /// The build folder (kept across exercises so Autodiff compiles once).
    public let scratchPath: URL
    /// Time limits.
    public let limits: GradingLimits

    /// Grades in `workCopy`, building into `scratchPath`.
    public init(workCopy: WorkCopy, scratchPath: URL, limits: GradingLimits = GradingLimits()) {
        self.workCopy = workCopy
        self.scratchPath = scratchPath
        self.limits = limits
    }

    /// Builds exercise `exercise` (already installed in the work copy) with its hidden tests,
    /// removes the hidden test sources again, runs the tests and scores the parts.
    public func grade(_ exercise: GradingManifest.Exercise) throws -> [PartResult] {
        let environment = [
            "MAML_GRADING_ONLY": "1", "MAML_IMPLEMENTATION": "exercises", "MAML_EXERCISES": exercise.name,
        ]
        let scratch = ["--scratch-path", scratchPath.path]
        try workCopy.setHiddenTests(of: exercise.name, present: true)
        let build = try Shell.run(["swift", "build", "--build-tests"] + scratch, in: workCopy.root,
                                  environment: environment, seconds: limits.buildSeconds)
        try workCopy.setHiddenTests(of: exercise.name, present: false)
        guard build.status == 0 else {
            var seen = Set<Substring>()
            let errors = build.output.replacingOccurrences(of: workCopy.root.path + "/", with: "")
                .split(separator: "\n").filter { $0.contains("error:") && !$0.contains("`-") && seen.insert($0).inserted }
                .joined(separator: "\n")
            let log = build.timedOut ? "The build took longer than \(limits.buildSeconds) s." : (errors.isEmpty ? build.output : errors)
            return Scoring.grade(exercise, report: nil, buildLog: Scoring.truncated(log))
        }
        let eventsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("grader-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: eventsFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: eventsFolder) }
        let events = eventsFolder.appendingPathComponent("\(UUID().uuidString).jsonl")
        let filter = "^\(exercise.gradingModule)\\."
        // The test binary is run directly (not through `swift test`, which starts it in a process
        // group of its own that the time limit would not reach).
        let testBinary = scratchPath.appendingPathComponent("debug/\(ExerciseGrader.testBundleName)").path
        let run = try Shell.run(
            [testBinary, "--testing-library", "swift-testing", "--filter", filter,
             "--event-stream-output-path", events.path, "--event-stream-version", "0"],
            in: workCopy.root, environment: environment, seconds: limits.testSeconds, memoryMegabytes: limits.memoryMegabytes)
        let stream = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
        let report = TestRunReport.parse(eventStream: stream)
        var note = ""
        if run.timedOut { note = "The tests were stopped after \(limits.testSeconds) s." }
        else if !report.runEnded {
            let memory = limits.memoryMegabytes.map { " (a crash, exit, or more than its \($0) MiB of memory)" } ?? ""
            note = "The test process ended early\(memory), exit status \(run.status)."
        }
        return Scoring.grade(exercise, report: report, runnerNote: note)
    }
}
