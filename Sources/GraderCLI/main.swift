import ArgumentParser
import Foundation
import GradingKit

/// The course grader: validates the hidden tests and grades submissions.
struct Grader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grader",
        abstract: "Grade MAML workbook exercises with the hidden tests in Grading/.",
        subcommands: [Validate.self, Grade.self, GradeAll.self, Release.self, Check.self, Gradescope.self])
}

/// Options shared by the subcommands.
struct CourseOptions: ParsableArguments {
    @Option(help: "The course repository (holding Grading/, Exercises/, Solutions/).")
    var repository: String = FileManager.default.currentDirectoryPath

    @Option(help: "Seconds allowed for one exercise's tests (default: the course config's, else 120).")
    var testSeconds: Int?

    @Option(help: "Seconds allowed for building one exercise.")
    var buildSeconds: Int = 900

    @Option(help: "Address-space limit of each test process in MiB, 0 for none (default: the course config's, else 4096).")
    var memoryMegabytes: Int?

    var repositoryURL: URL { URL(fileURLWithPath: repository).standardizedFileURL }

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

    /// The limits with the repository's course config, if it has one.
    var limits: GradingLimits {
        get throws { limits(config: try courseConfig()) }
    }
}

/// `grader validate`: reference full marks, stubs zero, each wrong variant loses exactly its parts.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the hidden tests discriminate.")

    @OptionGroup var course: CourseOptions

    @Option(help: "Build folder reused across cases (default <repository>/.build-grader).")
    var scratchPath: String?

    @Option(name: .customLong("exercise"), help: "Validate only this exercise (repeatable; default: all of them).")
    var exercises: [String] = []

    func run() throws {
        let started = Date()
        let grader = try SubmissionGrader(repository: course.repositoryURL, limits: try course.limits)
        try grader.manifest.checkDataFolders(for: exercises.isEmpty ? nil : exercises)
        let validator = Validator(
            grader: grader,
            variants: course.repositoryURL.appendingPathComponent("Tests/GradingKitTests/Variants"),
            scratchPath: scratchPath.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader"),
            only: exercises.isEmpty ? nil : exercises)
        let checks = try validator.run { check in
            let mark = check.ok ? "ok  " : "FAIL"
            print("\(mark) \(check.name): \(formatPoints(check.score)) / \(formatPoints(check.maxPoints)), failed [\(check.failedParts.joined(separator: ", "))]"
                  + (check.ok ? "" : ", expected [\(check.expectedFailures.joined(separator: ", "))]"))
        }
        let bad = checks.filter { !$0.ok }
        print("\(checks.count - bad.count) of \(checks.count) cases behaved, in \(Int(Date().timeIntervalSince(started))) s.")
        if !bad.isEmpty { throw ExitCode.failure }
    }
}

/// `grader grade <submission> --out DIR`: grade one submission in a private work copy.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Grade one submission (a folder like Exercises/, or a zip).")

    @OptionGroup var course: CourseOptions

    @Argument(help: "The submission: a folder with one subfolder per exercise, or a .zip of it.")
    var submission: String

    @Option(help: "Where results.json, feedback.md and answers.md go.")
    var out: String

    func run() throws {
        let grader = try SubmissionGrader(repository: course.repositoryURL, limits: try course.limits)
        try grader.manifest.checkDataFolders()
        let results = try grader.grade(submission: URL(fileURLWithPath: submission), out: URL(fileURLWithPath: out))
        print("Score \(formatPoints(results.score)) / \(formatPoints(grader.manifest.maxPoints)) in \(results.execution_time) s; reports in \(out).")
    }
}

Grader.main()
