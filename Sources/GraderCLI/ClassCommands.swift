import ArgumentParser
import Foundation
import GradingKit

/// `grader grade-all <folder> --out DIR`: grade a class in parallel and write the gradebook.
struct GradeAll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade-all",
        abstract: "Grade every submission of a folder (one subfolder or zip per student id) and write gradebook.csv, canvas.csv and leaderboard.html.")

    @OptionGroup var course: CourseOptions

    @Argument(help: "The folder of submissions: <student id>/ folders or <student id>.zip files.")
    var submissions: String

    @Option(help: "Where <student id>/ reports and gradebook.csv go.")
    var out: String

    @Option(help: "Submissions graded at the same time.")
    var jobs: Int = 1

    @Flag(help: "Grade again students already graded in --out.")
    var force = false

    @Option(help: "CSV of `student id,time` (ISO 8601); without it the files' modification times count.")
    var times: String?

    @Option(help: "Course config with deadline and late policy (default <repository>/Grading/course.json if present).")
    var config: String?

    @Option(name: .customLong("only"), help: "Regrade only this student (repeatable), with the seed of their earlier results.")
    var onlyStudents: [String] = []

    @Option(name: .customLong("exercise"), help: "Regrade only this exercise (repeatable), merged into the earlier results.")
    var exercises: [String] = []

    @OptionGroup var term: TermOptions

    func run() throws {
        let started = Date()
        let courseConfig = try course.courseConfig(path: config)
        let grader = try course.grader(config: courseConfig)
        try grader.manifest.checkDataFolders(for: exercises.isEmpty ? nil : exercises)
        let maxPoints = formatPoints(grader.manifest.maxPoints)
        var classGrader = ClassGrader(grader: grader, config: courseConfig)
        (classGrader.writtenScores, classGrader.canvas) = (term.writtenURL, try term.canvas(course: grader.manifest.course))
        let times = try times.map { try SubmissionTimes.loadCSV(from: URL(fileURLWithPath: $0)) }
        let report: @Sendable (ClassGrader.Outcome) -> Void = { outcome in
            if outcome.skipped { say("\(outcome.id): already graded, kept (use --force to grade again)") }
            else { say("\(outcome.id): \(formatPoints(outcome.score ?? 0)) / \(maxPoints) in \(Int(outcome.seconds)) s") }
        }
        let (folder, outURL) = (URL(fileURLWithPath: submissions), URL(fileURLWithPath: out))
        let gradebook = onlyStudents.isEmpty && exercises.isEmpty
            ? try classGrader.gradeAll(folder: folder, out: outURL, jobs: jobs, force: force, times: times, progress: report)
            : try classGrader.regrade(folder: folder, out: outURL, students: onlyStudents.isEmpty ? nil : onlyStudents,
                                      exercises: exercises.isEmpty ? nil : exercises, jobs: jobs, times: times, progress: report)
        say("\(gradebook.rows.count) students in \(out)/gradebook.csv; \(Int(Date().timeIntervalSince(started))) s in all.")
    }
}

/// `grader gradebook <folder>`: the gradebook of results already written (by `grade`, `grade-all` or Gradescope).
struct GradebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradebook",
        abstract: "Rebuild gradebook.csv, canvas.csv and leaderboard.html from a folder of <student id>/results.json, with the written scores and the deadlines applied.")

    @OptionGroup var course: CourseOptions

    @Argument(help: "A folder with one <student id>/results.json per student.")
    var results: String

    @Option(help: "The CSV to write (default: <folder>/gradebook.csv).")
    var out: String?

    @Option(help: "CSV of `student id,time` (ISO 8601) for late penalties.")
    var times: String?

    @OptionGroup var term: TermOptions

    func run() throws {
        let folder = URL(fileURLWithPath: results)
        let students = try gradedStudents(in: folder)
        let judges = try Judges.build(repository: course.repositoryURL, scratch: course.judgeBuildURL)
        let records = try ClassRecords.load(repository: course.repositoryURL, manifest: judges.manifest, config: try course.courseConfig(),
                                            out: folder, students: students, written: term.writtenURL,
                                            canvas: try term.canvas(course: judges.manifest.course))
        let book = try records.rebuild(out: folder, students: students,
                                       times: try times.map { try SubmissionTimes.loadCSV(from: URL(fileURLWithPath: $0)) } ?? [:])
        if let out {
            let target = URL(fileURLWithPath: out)
            try ReportFiles.write([(target.lastPathComponent, Data(book.csv().utf8))], into: target.deletingLastPathComponent())
        }
        say("\(book.rows.count) students in \(folder.path)/gradebook.csv (and canvas.csv)\(out.map { " and \($0)" } ?? "").")
    }
}

/// `grader release --out DIR`: the student bundle.
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the student bundle: the package without solutions and hidden tests.")

    @OptionGroup var course: CourseOptions

    @Option(help: "A new (or empty) folder for the bundle.")
    var out: String

    func validate() throws { try checkOutputFolder(out) }

    func run() throws {
        let files = try StudentBundle.make(repository: course.repositoryURL, out: URL(fileURLWithPath: out))
        say("Wrote \(files.count) files to \(out) (no Solutions/, Grading/ or grader tests; Package.swift builds Exercises/).")
    }
}

/// `grader check [<Exercise>]`: the visible checks, for students.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the visible checks of one exercise or of all of them.")

    @OptionGroup var course: CourseOptions

    @Argument(help: "The exercise to check (default: every exercise).")
    var exercise: String?

    func run() throws {
        let checks = VisibleChecks(package: course.repositoryURL, limits: course.limits(config: try course.courseConfig()))
        let names = try exercise.map { [$0] } ?? checks.exercises()
        var reports: [VisibleChecks.Report] = []
        for name in names {
            say("Building and checking \(name)…")
            let report = try checks.run(name)
            say(VisibleChecks.describe(report))
            reports.append(report)
        }
        say(VisibleChecks.total(reports))
        if !reports.allSatisfy(\.allPassed) { throw ExitCode.failure }
    }
}

/// `grader submit`: the zip a student uploads, after building every exercise.
struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build every exercise and write the zip to upload (your Swift files, ANSWERS.md and Assessment folders).")

    @Option(help: "The course package (default: the current folder).")
    var package: String = FileManager.default.currentDirectoryPath

    @Option(help: "The zip to write.")
    var out: String = "submission.zip"

    func run() throws {
        say("Building each exercise on its own (the first build takes a few minutes)…")
        let reports = try SubmissionPackage(package: URL(fileURLWithPath: package)).make(zip: URL(fileURLWithPath: out)) { report in
            if let errors = report.buildErrors {
                say("  ✗ \(report.exercise) does not compile; it would earn no points:")
                say(errors.split(separator: "\n").prefix(8).map { "      " + $0 }.joined(separator: "\n"))
            } else {
                say("  ✓ \(report.exercise): \(report.files.joined(separator: ", "))")
            }
        }
        let broken = reports.filter { $0.buildErrors != nil }.map(\.exercise)
        say("Wrote \(out) with \(reports.filter { !$0.files.isEmpty }.count) exercises."
            + (broken.isEmpty ? " Upload it." : " Fix \(broken.joined(separator: ", ")) first, or upload it as it is."))
        if !broken.isEmpty { throw ExitCode(2) }
    }
}

/// `grader gradescope --out autograder.zip`: the Gradescope autograder.
struct Gradescope: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Gradescope autograder zip (setup.sh, run_autograder, the course without its answers, the data).")

    @OptionGroup var course: CourseOptions

    @Option(help: "The zip to write.")
    var out: String = "autograder.zip"

    @Option(help: "The Swift release setup.sh installs where the image has none (default: this machine's).")
    var swiftVersion: String?

    @Option(help: "A folder holding the Omniglot zips (images_background*.zip) the judges re-evaluate trained weights on.")
    var omniglot: String?

    func run() throws {
        let version = try swiftVersion ?? AutograderPackage.installedSwiftVersion()
        let limits = course.limits(config: try course.courseConfig())
        let settings = AutograderPackage.Settings(swiftVersion: version, testSeconds: limits.testSeconds,
                                                  memoryMegabytes: limits.memoryMegabytes ?? 0)
        let judges = try Judges.build(repository: course.repositoryURL,
                                      scratch: course.judgeBuild.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader/judges"))
        let needing = judges.manifest.exercises.filter { !$0.dataFolders.isEmpty }.map(\.name)
        if omniglot == nil && !needing.isEmpty {
            throw ValidationError("the judges of \(needing.joined(separator: ", ")) re-evaluate trained weights on Omniglot: "
                + "pass --omniglot DIR, a folder holding the images_background*.zip files")
        }
        let bytes = try AutograderPackage.make(repository: course.repositoryURL, zip: URL(fileURLWithPath: out), settings: settings,
                                               maxPoints: judges.manifest.maxPoints, omniglot: omniglot.map { URL(fileURLWithPath: $0) })
        say("Wrote \(out) (\(bytes / 1024) KiB, Swift \(version)). Upload it as the assignment's autograder; students upload the zip `grader submit` makes.")
    }
}
