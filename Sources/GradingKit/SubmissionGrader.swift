import Foundation

/// Grades one submission (a folder laid out like `Exercises/`, or a zip of one) against the
/// hidden tests of a repository and writes `results.json`, `feedback.md` and `answers.md`.
public struct SubmissionGrader: Sendable {
    /// The course repository (holds `Grading/`, `Exercises/`, `Solutions/`).
    public let repository: URL
    /// The points.
    public let manifest: GradingManifest
    /// Time limits.
    public let limits: GradingLimits

    /// Loads `Grading/manifest.json` from `repository`.
    public init(repository: URL, limits: GradingLimits = GradingLimits()) throws {
        self.repository = repository
        self.manifest = try GradingManifest.load(from: repository.appendingPathComponent("Grading/manifest.json"))
        self.limits = limits
    }

    /// Grades the exercise folders under `exercisesFolder` (one subfolder per exercise) in a work
    /// copy at `workRoot`, building into `scratchPath`. Missing exercises are graded as the stub.
    public func gradeFolder(_ exercisesFolder: URL, workRoot: URL, scratchPath: URL, only: [String]? = nil) throws -> [PartResult] {
        let workCopy = try WorkCopy(repository: repository, root: workRoot)
        let grader = ExerciseGrader(workCopy: workCopy, scratchPath: scratchPath, limits: limits)
        var results: [PartResult] = []
        for exercise in manifest.exercises where only?.contains(exercise.name) ?? true {
            try workCopy.install(exercise: exercise.name, from: exercisesFolder.appendingPathComponent(exercise.name))
            results += try grader.grade(exercise)
        }
        return results
    }

    /// Grades `submission` in a fresh private work copy and writes the three reports into `out`.
    @discardableResult
    public func grade(submission: URL, out: URL) throws -> GradescopeResults {
        let started = Date()
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: out, withIntermediateDirectories: true)
        let temporary = fileManager.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: temporary) }
        var parts: [PartResult] = []
        var problem: String?
        var exercisesFolder: URL?
        do {
            let folder = try SubmissionLayout.exercisesFolder(of: submission, unpackingInto: temporary.appendingPathComponent("submission"))
            exercisesFolder = folder
            parts = try gradeFolder(folder, workRoot: temporary.appendingPathComponent("work"),
                                    scratchPath: temporary.appendingPathComponent("build"))
        } catch {
            problem = "\(error)"
        }
        let results = GradescopeResults.make(from: parts, maxPoints: manifest.maxPoints,
                                             seconds: Date().timeIntervalSince(started), problem: problem,
                                             extraCredit: manifest.extraCreditExercises)
        try results.encoded().write(to: out.appendingPathComponent("results.json"))
        try Feedback.markdown(parts: parts, manifest: manifest, problem: problem)
            .write(to: out.appendingPathComponent("feedback.md"), atomically: true, encoding: .utf8)
        try WrittenAnswers.markdown(manifest: manifest, submission: exercisesFolder, repository: repository)
            .write(to: out.appendingPathComponent("answers.md"), atomically: true, encoding: .utf8)
        return results
    }
}

/// Finds the folder of exercise subfolders inside a submission.
public enum SubmissionLayout {
    /// `submission` itself, its `Exercises/` subfolder, or the same inside an unpacked zip.
    public static func exercisesFolder(of submission: URL, unpackingInto scratch: URL) throws -> URL {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: submission.path, isDirectory: &isFolder) else {
            throw GradingError.invalidSubmission("\(submission.path) does not exist")
        }
        var folder = submission
        if !isFolder.boolValue {
            guard submission.pathExtension == "zip" else {
                throw GradingError.invalidSubmission("\(submission.lastPathComponent) is neither a folder nor a .zip")
            }
            try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
            let unzip = try Shell.run(["unzip", "-q", "-o", submission.path, "-d", scratch.path], in: scratch, seconds: 120)
            guard unzip.status == 0 else { throw GradingError.invalidSubmission("cannot unzip: \(unzip.output)") }
            folder = scratch
        }
        let nested = folder.appendingPathComponent("Exercises")
        if fileManager.fileExists(atPath: nested.path) { folder = nested }
        return folder
    }
}
