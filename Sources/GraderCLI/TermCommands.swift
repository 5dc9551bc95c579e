import ArgumentParser
import Foundation
import GradingKit

/// Options for the class's records: written scores and the Canvas export.
struct TermOptions: ParsableArguments {
    @Option(help: "CSV of hand-given written scores (student,exercise,question,score,comment); default <out>/written.csv if present.")
    var written: String?

    @Option(help: "Title of the Canvas assignment in canvas.csv; add \" (<id>)\" to update an existing one (default: the course's title).")
    var canvasAssignment: String?

    @Option(help: "A Canvas gradebook export to take students' Canvas identifiers from.")
    var canvasRoster: String?

    @Option(help: "The Canvas column that holds the grader's student ids: SIS Login ID, SIS User ID or ID.")
    var canvasIdColumn: String = "SIS Login ID"

    var writtenURL: URL? { written.map { URL(fileURLWithPath: $0) } }

    /// The Canvas export these options describe, for a course titled `course`.
    func canvas(course: String) throws -> CanvasExport {
        let roster = try canvasRoster.map { path -> [[String: String]] in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the Canvas roster \(path)") }
            return try CanvasExport.roster(from: String(decoding: data, as: UTF8.self))
        }
        return try CanvasExport(assignment: canvasAssignment ?? course, idColumn: canvasIdColumn, roster: roster)
    }
}

/// `grader similarity <submissions> --out DIR`: pairwise similarity of the class's code.
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Compare every pair of students per exercise and write a ranked report (index.html, similarity.csv, side-by-side pages).")

    @Option(help: "The course repository (holding Exercises/, for the stub and given code to leave out).")
    var repository: String = FileManager.default.currentDirectoryPath

    @Argument(help: "The folder of submissions: <student id>/ folders or <student id>.zip files.")
    var submissions: String

    @Option(help: "Where the report goes.")
    var out: String

    @Option(help: "Flag pairs from this score on (shared over the smaller side's distinctive fingerprints).")
    var threshold: Double = 0.5

    @Option(help: "Flag only pairs sharing at least this many fingerprints.")
    var minimumShared: Int = 3

    @Option(help: "Ignore fingerprints found in more than this share of an exercise's submissions.")
    var commonShare: Double = 0.5

    @Option(name: .customLong("exercise"), help: "Compare only this exercise (repeatable; default: all of them).")
    var exercises: [String] = []

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be from 0 to 1, got \(threshold)") }
        guard minimumShared >= 1 else { throw ValidationError("--minimum-shared must be at least 1, got \(minimumShared)") }
        guard commonShare > 0 && commonShare <= 1 else { throw ValidationError("--common-share must be above 0 and at most 1, got \(commonShare)") }
    }

    func run() throws {
        let course = URL(fileURLWithPath: repository).standardizedFileURL
        let known = try PackageStructure.load(package: course).exercises
        if let unknown = exercises.first(where: { !known.contains($0) }) { throw GradingError.unknownExercise(unknown, known: known) }
        let selected = exercises.isEmpty ? known : exercises
        let outURL = URL(fileURLWithPath: out)
        let scratch = try Shell.privateFolder(prefix: "grader-similarity")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var works: [Similarity.Work] = []
        for entry in try ClassGrader.submissions(in: URL(fileURLWithPath: submissions), excluding: outURL) {
            let taken = try Submission.read(entry.url, known: known, into: scratch.appendingPathComponent("\(entry.id)/files"),
                                            scratch: scratch.appendingPathComponent(entry.id))
            works += Similarity.works(student: entry.id, root: taken.folder, exercises: selected)
        }
        let settings = Similarity.Settings(threshold: threshold, minimumShared: minimumShared, commonShare: commonShare)
        let pairs = Similarity.compare(works, handedOut: { Fingerprints.handedOut(exercise: $0, repository: course) }, settings: settings)
        try SimilarityReport.write(pairs, settings: settings, into: outURL)
        let flagged = pairs.filter(\.flagged)
        say("\(pairs.count) pairs compared, \(flagged.count) flagged; report in \(out)/index.html and \(out)/similarity.csv.")
        for pair in flagged.prefix(10) {
            say("  \(pair.exercise): \(pair.a.student) and \(pair.b.student), score \(String(format: "%.2f", pair.score)) (\(pair.shared) shared)")
        }
    }
}

/// `grader written <results>`: the sheet of written questions for the graders to fill in.
struct WrittenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "written",
        abstract: "Write (or complete) the sheet of written answers to grade by hand: one row per student and question.")

    @OptionGroup var course: CourseOptions

    @Argument(help: "A folder with one <student id>/results.json per student (from grade-all).")
    var results: String

    @Option(help: "The sheet to write or complete (default <results>/written.csv); scores and comments already in it are kept.")
    var sheet: String?

    func run() throws {
        let folder = URL(fileURLWithPath: results)
        let students = try gradedStudents(in: folder)
        let judges = try Judges.build(repository: course.repositoryURL, scratch: course.judgeBuildURL)
        let questions = try WrittenQuestion.load(repository: course.repositoryURL, manifest: judges.manifest,
                                                 points: try course.courseConfig()?.written)
        guard !questions.isEmpty else { throw ValidationError("the course has no written questions (no Solutions/<E>/RUBRIC.md beside an ANSWERS.md)") }
        let url = sheet.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent(ClassRecords.writtenFile)
        let scores = try WrittenScores.load(from: url, questions: questions, students: Set(students))
        try ReportFiles.write([(url.lastPathComponent, Data(scores.template(students: students, questions: questions).utf8))],
                              into: url.deletingLastPathComponent())
        let scored = questions.filter { $0.points > 0 }
        let points = scored.isEmpty ? "none carries points; give them points under \"written\" in course.json"
            : "worth " + scored.map { "\($0.key) \(formatPoints($0.points))" }.joined(separator: ", ")
        say("\(students.count) students × \(questions.count) questions in \(url.path) (\(points)). "
            + "Fill in score and comment, then run `grader gradebook`.")
    }
}

/// `grader canvas-check <file.csv>`: whether a CSV has the layout Canvas's gradebook import takes.
struct CanvasCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canvas-check", abstract: "Check that a CSV has the layout Canvas's gradebook import accepts.")

    @Argument(help: "The CSV to check (canvas.csv from grade-all or gradebook).")
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        try CanvasImportFormat.check(String(decoding: data, as: UTF8.self))
        say("\(file) has the layout Canvas's gradebook import accepts.")
    }
}

/// The students of a results folder: its subfolders holding a results.json.
func gradedStudents(in folder: URL) throws -> [String] {
    let students = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        .filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/results.json").path) }
    guard !students.isEmpty else { throw ValidationError("\(folder.path) holds no <student id>/results.json") }
    return students
}

extension CourseOptions {
    /// The judges' build folder: `--judge-build`, else `<repository>/.build-grader/judges`.
    var judgeBuildURL: URL {
        judgeBuild.map { URL(fileURLWithPath: $0) } ?? repositoryURL.appendingPathComponent(".build-grader/judges")
    }
}
