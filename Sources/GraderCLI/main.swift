import ArgumentParser
import Foundation
import GradingKit

/// The course grader: validates the hidden tests and grades submissions.
struct Grader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grader",
        abstract: "Grade MAML workbook exercises with the hidden tests in Grading/.",
        subcommands: [Check.self, Submit.self, Grade.self, GradeAll.self, GradebookCommand.self, WrittenCommand.self, SimilarityCommand.self,
                      CanvasCheck.self, Validate.self, Mutate.self, Release.self, Gradescope.self])
}

/// Options shared by the subcommands.
struct CourseOptions: ParsableArguments {
    @Option(help: "The course repository (holding Grading/, Exercises/, Solutions/).")
    var repository: String = FileManager.default.currentDirectoryPath

    @Option(help: "Seconds allowed for all the probes of one exercise (default: the course config's, else 300).")
    var testSeconds: Int?

    @Option(help: "Seconds allowed for building one exercise.")
    var buildSeconds: Int = 900

    @Option(help: "Address-space limit of each process running student code, in MiB; 0 for none (default: the course config's, else 4096).")
    var memoryMegabytes: Int?

    @Option(help: "Where the judges are built (default <repository>/.build-grader/judges).")
    var judgeBuild: String?

    @Option(help: "The sandbox for student code: namespaces, user or none (default: the strongest this machine allows).")
    var sandbox: String?

    var repositoryURL: URL { URL(fileURLWithPath: repository).standardizedFileURL }

    func validate() throws {
        if let testSeconds, testSeconds < 1 { throw ValidationError("--test-seconds must be at least 1, got \(testSeconds)") }
        if buildSeconds < 1 { throw ValidationError("--build-seconds must be at least 1, got \(buildSeconds)") }
        if let memoryMegabytes, memoryMegabytes < 0 { throw ValidationError("--memory-megabytes must be 0 or more, got \(memoryMegabytes)") }
        if let sandbox, Sandbox.Isolation(rawValue: sandbox) == nil {
            throw ValidationError("--sandbox must be namespaces, user or none, got \(sandbox)")
        }
    }

    /// `Grading/course.json` of the repository, or `path` when given; nil when there is none.
    func courseConfig(path: String? = nil) throws -> CourseConfig? {
        let url = path.map { URL(fileURLWithPath: $0) } ?? repositoryURL.appendingPathComponent("Grading/course.json")
        guard path != nil || FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try CourseConfig.load(from: url)
    }

    /// The limits: the command line's, else the course config's, else the defaults.
    func limits(config: CourseConfig?) -> GradingLimits {
        let defaults = GradingLimits()
        let memory = memoryMegabytes ?? config?.memoryMegabytes ?? defaults.memoryMegabytes ?? 0
        return GradingLimits(buildSeconds: buildSeconds, testSeconds: testSeconds ?? config?.testSeconds ?? defaults.testSeconds,
                             memoryMegabytes: memory > 0 ? memory : nil)
    }

    /// A grader of the course: its judges built, the sandbox chosen, the config's limits and visibility.
    func grader(config: CourseConfig?) throws -> SubmissionGrader {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repositoryURL.appendingPathComponent("Grading/Runtime").path, isDirectory: &isFolder),
              isFolder.boolValue else {
            throw ValidationError("\(repositoryURL.path) holds no hidden tests (Grading/): pass the course repository with --repository")
        }
        if let sandbox { setenv("MAML_GRADER_SANDBOX", sandbox, 1) }
        say("Building the judges…")
        let grader = try SubmissionGrader.prepare(repository: repositoryURL, judgeBuild: judgeBuild.map { URL(fileURLWithPath: $0) },
                                                  limits: limits(config: config), visibility: config?.visibility)
        say("Protection: \(grader.sandbox.description).")
        return grader
    }
}

/// A grading seed given on the command line.
struct SeedOption: ParsableArguments {
    @Option(help: "The seed of the hidden tests' inputs, to reproduce a grading (default: a new one, recorded in the results).")
    var seed: UInt64?
}

/// `grader validate`: reference full marks, stubs zero, each wrong variant loses exactly its parts.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the hidden tests discriminate.")

    @OptionGroup var course: CourseOptions
    @OptionGroup var seedOption: SeedOption

    @Option(help: "Folder reused across cases for the work copy and its build (default <repository>/.build-grader/validate).")
    var scratchPath: String?

    @Option(name: .customLong("exercise"), help: "Validate only this exercise (repeatable; default: all of them).")
    var exercises: [String] = []

    func run() throws {
        let started = Date()
        let grader = try course.grader(config: try course.courseConfig())
        try grader.manifest.checkDataFolders(for: exercises.isEmpty ? nil : exercises)
        let seed = seedOption.seed ?? SubmissionGrader.drawSeed()
        say("Inputs drawn with seed \(seed).")
        let workspace = scratchPath.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader/validate")
        let validator = Validator(grader: grader, workspace: workspace, only: exercises.isEmpty ? nil : exercises, seed: seed)
        let checks = try validator.run { check in
            let mark = check.ok ? "ok  " : "FAIL"
            var line = "\(mark) \(check.name): \(formatPoints(check.score)) / \(formatPoints(check.maxPoints)), lost [\(check.failedParts.joined(separator: ", "))]"
            if Set(check.failedParts) != Set(check.expectedFailures) { line += ", expected [\(check.expectedFailures.joined(separator: ", "))]" }
            if !check.brokenParts.isEmpty { line += "; broken variant: [\(check.brokenParts.joined(separator: ", "))]" }
            if !check.unclearFeedback.isEmpty { line += "; feedback without a sentence or without expected and actual values: [\(check.unclearFeedback.joined(separator: ", "))]" }
            say(line)
        }
        let bad = checks.filter { !$0.ok }
        say("\(checks.count - bad.count) of \(checks.count) cases behaved, in \(Int(Date().timeIntervalSince(started))) s (seed \(seed)).")
        if !bad.isEmpty { throw ExitCode.failure }
    }
}

/// `grader grade <submission> --out DIR`: grade one submission in a private work copy.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Grade one submission (a folder like Exercises/, or a zip).")

    @OptionGroup var course: CourseOptions
    @OptionGroup var seedOption: SeedOption

    @Argument(help: "The submission: a folder with one subfolder per exercise, or a .zip of it.")
    var submission: String

    @Option(help: "Where results.json, feedback.md and answers.md go.")
    var out: String

    @Option(help: "A folder kept between gradings for the work copy and its build, so that the library compiles once (default: a new one each time).")
    var workspace: String?

    func run() throws {
        let grader = try course.grader(config: try course.courseConfig())
        try grader.manifest.checkDataFolders()
        let results = try grader.grade(submission: URL(fileURLWithPath: submission), out: URL(fileURLWithPath: out), seed: seedOption.seed,
                                       workspace: workspace.map { URL(fileURLWithPath: $0) })
        say("Score \(formatPoints(results.score)) / \(formatPoints(grader.manifest.maxPoints)) in \(results.execution_time) s "
            + "(seed \(results.extra_data?.seed ?? "?")); reports in \(out).")
    }
}

/// Prints `line` at once: standard output is as often a log file or a pipe as a terminal, and
/// progress must reach it as it happens, not when the run ends.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

Grader.runReportingErrorsInOneLine()
