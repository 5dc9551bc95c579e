import Foundation

/// Grades submissions against the course's hidden tests: each exercise built on its own from the
/// student's files in a private work copy, each part run through its probe in the sandbox and
/// decided by its trusted judge, and the reports written by the grader alone, last.
public struct SubmissionGrader: Sendable {
    /// The course repository (holds `Grading/`, `Exercises/` and usually `Solutions/`).
    public let repository: URL
    /// The package's structure.
    public let structure: PackageStructure
    /// The trusted judges and the points they declare.
    public let judges: Judges
    /// Where student code runs.
    public let sandbox: Sandbox
    /// Time and memory limits.
    public let limits: GradingLimits
    /// Visibility of each part's result on Gradescope (nil: everything visible).
    public let visibility: VisibilityRules?
    /// Verdicts on handed-in files, shared by every submission this grader grades.
    public let verdicts = VerdictCache()

    /// The points of the course.
    public var manifest: GradingManifest { judges.manifest }

    /// A grader of the course at `repository` with judges already built.
    public init(repository: URL, structure: PackageStructure, judges: Judges, sandbox: Sandbox, limits: GradingLimits,
                visibility: VisibilityRules? = nil) {
        (self.repository, self.structure, self.judges, self.sandbox, self.limits, self.visibility) =
            (repository, structure, judges, sandbox, limits, visibility)
    }

    /// Reads the course's structure, builds its judges into `judgeBuild` (default
    /// `<repository>/.build-grader/judges`) and chooses the strongest sandbox the machine allows
    /// (or the one `MAML_GRADER_SANDBOX` names).
    public static func prepare(repository: URL, judgeBuild: URL? = nil, limits: GradingLimits = GradingLimits(),
                               visibility: VisibilityRules? = nil) throws -> SubmissionGrader {
        let structure = try PackageStructure.load(package: repository)
        let judges = try Judges.build(repository: repository,
                                      scratch: judgeBuild ?? repository.appendingPathComponent(".build-grader/judges"), structure: structure)
        let sandbox = try Sandbox.detect(forced: try Sandbox.forcedIsolation())
        // Without namespaces, student code sees the machine's files as any other user does.
        if sandbox.isolation == .user,
           let exposed = Sandbox.readableByOthers(["Solutions", "Grading"].map { repository.appendingPathComponent($0) }) {
            throw GradingError.unsafeCourse("\(exposed.path) can be read by other users, and so by student code in the unprivileged-user "
                + "sandbox; run `chmod o-rwx \(repository.path)` first (the Gradescope autograder does this)")
        }
        return SubmissionGrader(repository: repository, structure: structure, judges: judges, sandbox: sandbox, limits: limits,
                                visibility: visibility)
    }

    /// How many exercises' parts run at once: two where the machine has two cores or more.
    public static let exerciseJobs = min(2, ProcessInfo.processInfo.activeProcessorCount)

    /// A seed for the inputs of one grading, drawn from the system's generator (the one random
    /// choice that must not be predictable); the results record it so that a regrade can reuse it.
    public static func drawSeed() -> UInt64 { UInt64.random(in: 0...UInt64.max) }

    /// Grades the exercises of `submission` (all of the manifest's, or `only`) in a work copy in
    /// `workspace` (reused between calls: the library builds once), with inputs from `seed`.
    /// An exercise the submission lacks is graded as the stub.
    public func gradeExercises(_ submission: Submission, workspace: URL, seed: UInt64, only: [String]? = nil) throws -> [PartResult] {
        let exercises = manifest.exercises.filter { only?.contains($0.name) ?? true }
        let workCopy = try WorkCopy(repository: repository, root: workspace.appendingPathComponent("work"), structure: structure,
                                    exercises: manifest.exercises.map(\.name))
        let scratch = workspace.appendingPathComponent("build")
        let runner = PartRunner(judges: judges, sandbox: sandbox, seed: seed, limits: limits,
                                privatePaths: [workCopy.root.path, submission.folder.path, workspace.path], verdicts: verdicts)
        for exercise in exercises { try workCopy.install(exercise: exercise.name, from: submission.exerciseFolder(exercise.name)) }
        // One build for every exercise first; an exercise it did not build is built on its own, which names its errors.
        let probed = exercises.filter { $0.parts.contains(where: \.probed) }.map(\.name)
        let builtTogether = try workCopy.buildAllProbes(of: probed, scratch: scratch, seconds: limits.buildSeconds)
        let builds: [(program: URL?, errors: String?)] = try exercises.map { exercise in
            !probed.contains(exercise.name) ? (nil, nil)
                : builtTogether.contains(exercise.name) ? (WorkCopy.probes(of: exercise.name, in: scratch), nil)
                : try workCopy.buildProbes(of: exercise.name, scratch: scratch, seconds: limits.buildSeconds)
        }
        // Exercises' parts run side by side (each part is a process of its own, under its own limits).
        return try Workers.map(count: exercises.count, jobs: Self.exerciseJobs) { index in
            try runner.grade(exercises[index], probes: builds[index].program, buildProblem: builds[index].errors,
                             assessment: submission.assessmentFolder(exercises[index].name))
        }.flatMap { $0 }
    }

    /// Grades the exercise folders in `folder` (laid out like `Exercises/`; all of the manifest's
    /// exercises, or `only`) as a submission, without writing reports: the files are read into a
    /// private folder first, then graded by `gradeExercises`. `grader validate` grades its cases
    /// and `grader mutate` its mutants this way.
    public func gradeFolder(_ folder: URL, workspace: URL, seed: UInt64, only: [String]? = nil) throws -> [PartResult] {
        let temporary = try Shell.privateFolder(prefix: "grader-case")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let submission = try Submission.read(folder, known: manifest.exercises.map(\.name),
                                             into: temporary.appendingPathComponent("submission"), scratch: temporary)
        return try gradeExercises(submission, workspace: workspace, seed: seed, only: only)
    }

    /// Grades `submission` (a folder laid out like `Exercises/`, or a zip of one) and writes
    /// `results.json`, `feedback.md` and `answers.md` into `out`. `seed` fixes the inputs (a
    /// regrade); by default a new one is drawn; `only` grades just the named exercises. The
    /// reports are written last, each into place in one rename, from the grader's own state.
    @discardableResult
    public func grade(submission url: URL, out: URL, seed: UInt64? = nil, workspace: URL? = nil, only: [String]? = nil) throws -> GradescopeResults {
        let started = Date()
        let seed = seed ?? Self.drawSeed()
        let temporary = try Shell.privateFolder(prefix: "grader-submission")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var parts: [PartResult] = []
        var problem: String?
        var submission: Submission?
        do {
            let read = try Submission.read(url, known: manifest.exercises.map(\.name), into: temporary.appendingPathComponent("submission"),
                                           scratch: temporary)
            submission = read
            parts = try gradeExercises(read, workspace: workspace ?? temporary.appendingPathComponent("workspace"), seed: seed, only: only)
        } catch {
            problem = "\(error)"
        }
        let context = GradingContext(seed: seed, protection: sandbox.description, notes: submission?.notes ?? [])
        let results = GradescopeResults.make(from: parts, manifest: manifest, seconds: Date().timeIntervalSince(started), problem: problem,
                                             context: context, visibility: visibility)
        try ReportFiles.write([
            ("feedback.md", Data(Feedback.markdown(parts: parts, manifest: manifest, problem: problem, context: context).utf8)),
            ("answers.md", Data(WrittenAnswers.markdown(manifest: manifest, submission: submission, repository: repository).utf8)),
            ("results.json", try results.encoded()),
        ], into: out)
        return results
    }
}

/// What a report says about how the grading ran.
public struct GradingContext: Sendable, Equatable {
    /// The seed the inputs were drawn from.
    public var seed: UInt64
    /// The sandbox's protection, in words.
    public var protection: String
    /// What was left out of the submission, and why.
    public var notes: [String]

    /// Collects the context's fields.
    public init(seed: UInt64, protection: String, notes: [String] = []) {
        (self.seed, self.protection, self.notes) = (seed, protection, notes)
    }
}

/// Writing reports so that a reader never sees half of one and nothing but the grader writes them.
public enum ReportFiles {
    /// Writes each `(name, data)` into `folder` (created if needed) through a temporary file in
    /// the same folder and one rename, in the order given (put the file others wait for last).
    public static func write(_ files: [(String, Data)], into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, data) in files {
            let temporary = folder.appendingPathComponent(".\(name).\(UUID().uuidString).partial")
            try data.write(to: temporary)
            if rename(temporary.path, folder.appendingPathComponent(name).path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw GradingError.commandFailed("cannot write \(folder.appendingPathComponent(name).path)")
            }
        }
    }
}
