import Foundation

/// Runs the visible checks of the exercises (`<Exercise>Checks`, in `Exercises/<E>/Checks`) the
/// way a student does while working, and describes the outcome in plain words.
///
/// Each exercise is built on its own from `Exercises/` (with `MAML_GRADING_ONLY=1`, so only
/// Autodiff and the exercise compile), into one reused build folder.
public struct VisibleChecks: Sendable {
    /// What happened to one exercise's checks.
    public struct Report: Equatable, Sendable {
        /// The exercise.
        public var exercise: String
        /// The compiler's error lines when the exercise did not build (nil when it built).
        public var buildErrors: String?
        /// Each check's outcome, as the test runner reported it.
        public var checks: [TestOutcome]
        /// A note when the run was cut short (time limit, crash).
        public var note: String

        /// Collects a report's fields.
        public init(exercise: String, buildErrors: String?, checks: [TestOutcome], note: String) {
            self.exercise = exercise
            self.buildErrors = buildErrors
            self.checks = checks
            self.note = note
        }

        /// True when it built and every check passed.
        public var allPassed: Bool { buildErrors == nil && !checks.isEmpty && checks.allSatisfy(\.passed) && note.isEmpty }
    }

    /// The test binary SwiftPM links for the package on Linux.
    public static let testBundleName = "MAMLWorkbookPackageTests.xctest"

    /// The package folder (a student bundle or the course repository).
    public let package: URL
    /// Build folder reused between runs.
    public let scratchPath: URL
    /// Time limits for each exercise's build and checks.
    public let limits: GradingLimits

    /// Checks in `package`, building into `scratchPath` (default `<package>/.build-checks`).
    public init(package: URL, scratchPath: URL? = nil, limits: GradingLimits = GradingLimits()) {
        self.package = package
        self.scratchPath = scratchPath ?? package.appendingPathComponent(".build-checks")
        self.limits = limits
    }

    /// The exercises that have visible checks: `Exercises/<E>/Checks`, sorted.
    public func exercises() throws -> [String] {
        let folder = package.appendingPathComponent("Exercises")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw GradingError.invalidSubmission("no Exercises folder in \(package.path); run this in the course package")
        }
        return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/Checks").path) }.sorted()
    }

    /// Builds and runs the checks of `exercise`.
    public func run(_ exercise: String) throws -> Report {
        let known = try exercises()
        guard known.contains(exercise) else {
            throw GradingError.unknownExercise(exercise, known: known)
        }
        let environment = ["MAML_GRADING_ONLY": "1", "MAML_IMPLEMENTATION": "exercises", "MAML_EXERCISES": exercise]
        let build = try Shell.run(["swift", "build", "--manifest-cache", "none", "--disable-automatic-resolution", "--build-tests", "--scratch-path", scratchPath.path], in: package,
                                  environment: environment, seconds: limits.buildSeconds)
        guard build.status == 0 else {
            var seen = Set<Substring>()
            let errors = build.output.replacingOccurrences(of: package.path + "/", with: "").split(separator: "\n")
                .filter { $0.contains("error:") && !$0.contains("`-") && seen.insert($0).inserted }.joined(separator: "\n")
            let text = build.timedOut ? "The build took longer than \(limits.buildSeconds) s." : (errors.isEmpty ? build.output : errors)
            return Report(exercise: exercise, buildErrors: Scoring.truncated(text), checks: [], note: "")
        }
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("grader-checks-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: events) }
        let binary = scratchPath.appendingPathComponent("debug/\(VisibleChecks.testBundleName)").path
        let run = try Shell.run(
            [binary, "--testing-library", "swift-testing", "--filter", "^\(exercise)Checks\\.",
             "--event-stream-output-path", events.path, "--event-stream-version", "0"],
            in: package, environment: environment, seconds: limits.testSeconds, memoryMegabytes: limits.memoryMegabytes)
        let report = TestRunReport.parse(eventStream: (try? String(contentsOf: events, encoding: .utf8)) ?? "")
        var note = ""
        if run.timedOut { note = "The checks were stopped after \(limits.testSeconds) s: is there an endless loop?" }
        else if !report.runEnded {
            let fatal = run.output.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("Precondition failed") }
                .map { ": " + $0.replacingOccurrences(of: package.path + "/", with: "") } ?? ""
            let location = CrashReport.studentLocation(log: run.output, program: URL(fileURLWithPath: binary), exercise: exercise)
            note = "The checks stopped early\(location.map { ", at \($0)" } ?? " (a crash, a call to exit, or too much memory)")\(fatal)."
        }
        return Report(exercise: exercise, buildErrors: nil, checks: report.outcomes.filter { $0.module == "\(exercise)Checks" }, note: note)
    }

    /// The report in friendly words: ✓ or ✗ per check with the failure messages, and a summary.
    public static func describe(_ report: Report) -> String {
        var lines = ["\(report.exercise)"]
        if let errors = report.buildErrors {
            lines += ["  ✗ does not compile yet:"] + errors.split(separator: "\n").map { "      " + $0 }
            return lines.joined(separator: "\n")
        }
        for check in report.checks {
            let name = check.functionName
            if check.passed { lines.append("  ✓ \(name)") }
            else if check.unfinished { lines.append("  ✗ \(name): started but never finished") }
            else {
                lines.append("  ✗ \(name)")
                lines += check.messages.flatMap { $0.split(separator: "\n") }.prefix(12).map { "      " + $0 }
            }
        }
        if !report.note.isEmpty { lines.append("  ! \(report.note)") }
        let passed = report.checks.filter(\.passed).count
        lines.append(report.allPassed
            ? "  All \(passed) checks pass. The hidden tests check more; see the handout."
            : "  \(passed) of \(report.checks.count) checks pass.")
        return lines.joined(separator: "\n")
    }

    /// The closing line of a run over several exercises: checks passed in all, and exercises done.
    public static func total(_ reports: [Report]) -> String {
        let checks = reports.flatMap(\.checks)
        let done = reports.filter(\.allPassed).count
        return "Total: \(checks.filter(\.passed).count) of \(checks.count) checks pass; \(done) of \(reports.count) exercises pass all their checks"
            + (reports.contains { $0.buildErrors != nil } ? " (\(reports.filter { $0.buildErrors != nil }.map(\.exercise).joined(separator: ", ")) do not compile)." : ".")
    }
}
