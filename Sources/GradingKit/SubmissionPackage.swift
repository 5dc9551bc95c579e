import Foundation

/// The zip a student uploads (`grader submit`): for every exercise, the files a student writes
/// (the top-level `.swift` files of `Exercises/<E>`), `ANSWERS.md` and the `Assessment/` folder,
/// laid out as `Exercises/<E>/…`, nothing else. Before writing it, each exercise is built on its
/// own so the student learns now, not from the grade, which ones do not compile; after writing it,
/// the zip is read back the way the grader reads submissions.
public struct SubmissionPackage: Sendable {
    /// What the check found for one exercise.
    public struct ExerciseReport: Sendable, Equatable {
        /// The exercise.
        public var exercise: String
        /// The files put in the zip, relative to `Exercises/<E>`.
        public var files: [String]
        /// The compiler's errors, when it does not build.
        public var buildErrors: String?
    }

    /// The package folder (the student bundle).
    public let package: URL
    /// Build folder shared with `grader check`.
    public let scratchPath: URL
    /// Seconds allowed to build one exercise.
    public let buildSeconds: Int

    /// A packager of the bundle at `package`.
    public init(package: URL, scratchPath: URL? = nil, buildSeconds: Int = 900) {
        self.package = package
        self.scratchPath = scratchPath ?? package.appendingPathComponent(".build-checks")
        self.buildSeconds = buildSeconds
    }

    /// The files of exercise `name` that go in the zip, relative to its folder.
    public func files(of name: String) -> [String] {
        let folder = package.appendingPathComponent("Exercises/\(name)")
        let fileManager = FileManager.default
        let top = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".swift") || $0 == "ANSWERS.md" }.sorted()
        let assessment = folder.appendingPathComponent(WorkCopy.assessmentFolder)
        let artefacts = (fileManager.subpaths(atPath: assessment.path) ?? []).sorted()
            .filter { !WorkCopy.isFolder(assessment.appendingPathComponent($0)) && $0 != "README.md" }
            .map { "\(WorkCopy.assessmentFolder)/\($0)" }
        return top + artefacts
    }

    /// Builds every exercise, writes the zip to `zip` and reads it back; calls `progress` after each exercise.
    public func make(zip: URL, progress: (ExerciseReport) -> Void = { _ in }) throws -> [ExerciseReport] {
        let exercises = try VisibleChecks(package: package, scratchPath: scratchPath).exercises()
        var reports: [ExerciseReport] = []
        for exercise in exercises {
            let build = try Shell.run(["swift", "build", "--manifest-cache", "none", "--disable-automatic-resolution", "--target", exercise, "--scratch-path", scratchPath.path], in: package,
                                      environment: ["MAML_GRADING_ONLY": "1", "MAML_IMPLEMENTATION": "exercises", "MAML_EXERCISES": exercise],
                                      seconds: buildSeconds)
            let errors = build.status == 0 ? nil : (build.timedOut ? "the build took longer than \(buildSeconds) s"
                                                                    : WorkCopy.compilerErrors(in: build.output, root: package))
            let report = ExerciseReport(exercise: exercise, files: files(of: exercise), buildErrors: errors)
            reports.append(report)
            progress(report)
        }
        let staging = try Shell.privateFolder(prefix: "grader-submit")
        defer { try? FileManager.default.removeItem(at: staging) }
        for report in reports {
            for file in report.files {
                try Shell.copy(package.appendingPathComponent("Exercises/\(report.exercise)/\(file)"),
                               to: staging.appendingPathComponent("Exercises/\(report.exercise)/\(file)"))
            }
        }
        try? FileManager.default.removeItem(at: zip)
        let zipped = try Shell.run(["zip", "-qr", zip.standardizedFileURL.path, "Exercises"], in: staging, seconds: 600)
        guard zipped.status == 0 else { throw GradingError.packagingFailed("zip failed: \(zipped.output)") }
        // Read back as the grader will read it.
        let scratch = try Shell.privateFolder(prefix: "grader-submit-check")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let read = try Submission.read(zip, known: exercises, into: scratch.appendingPathComponent("taken"), scratch: scratch)
        guard read.notes.isEmpty, Set(read.exercises) == Set(reports.filter { !$0.files.isEmpty }.map(\.exercise)) else {
            throw GradingError.packagingFailed("the zip does not read back as written: \(read.notes.joined(separator: " "))")
        }
        return reports
    }
}
