import Foundation

/// The exercises' judge programs (`<E>Judge`): trusted code, built from the course repository
/// and never linked with student code, that draws each part's inputs from the grading seed,
/// declares the parts and their points, and decides each part from a probe's report.
public struct Judges: Sendable {
    /// The folder holding the `<E>Judge` programs.
    public let binaries: URL
    /// The exercises and parts the judges declare, in course order.
    public let manifest: GradingManifest

    /// Judges in `binaries` whose parts are already known (`manifest`).
    public init(binaries: URL, manifest: GradingManifest) {
        self.binaries = binaries
        self.manifest = manifest
    }

    /// Judges already built into `binaries`, for the exercises `exercises` (course order).
    public init(binaries: URL, exercises: [String], course: String = "MAML workbook") throws {
        self.binaries = binaries
        var described: [GradingManifest.Exercise] = []
        for exercise in exercises {
            let output = try Self.run(binaries.appendingPathComponent("\(exercise)Judge"), ["parts"], seconds: 60)
            do { described.append(try JSONDecoder().decode(GradingManifest.Exercise.self, from: output)) }
            catch { throw GradingError.invalidManifest("\(exercise)Judge parts printed no exercise description: \(error)") }
        }
        manifest = GradingManifest(course: course, exercises: described)
        try manifest.check()
    }

    /// Builds the judges of the course repository at `repository` into `scratch` (a build folder
    /// of its own, reused across runs) and loads their parts. The build holds the judges and the
    /// modules they use only (`MAML_GRADING_ONLY=1 MAML_JUDGES_ONLY=1`): no exercise, no probe.
    /// `structure` is the repository's, when the caller has read it already.
    public static func build(repository: URL, scratch: URL, seconds: Int = 1800, structure: PackageStructure? = nil) throws -> Judges {
        let structure = try structure ?? PackageStructure.load(package: repository)
        let exercises = structure.gradedExercises
        guard !exercises.isEmpty else { throw GradingError.invalidManifest("\(repository.path) has no exercise with a judge (Grading/<E>/main.swift)") }
        // `--manifest-cache none`: the manifest decides from what is on disk, which a cached evaluation
        // would not see change. `--disable-automatic-resolution`: a reduced package has no
        // dependencies, and resolving it would empty the course's pinned Package.resolved.
        let build = try Shell.run(["swift", "build", "--manifest-cache", "none", "--disable-automatic-resolution", "--scratch-path", scratch.path], in: repository,
                                  environment: ["MAML_GRADING_ONLY": "1", "MAML_JUDGES_ONLY": "1"], seconds: seconds)
        guard build.status == 0 else {
            throw GradingError.commandFailed("building the judges failed:\n\(Scoring.truncated(build.output))")
        }
        return try Judges(binaries: scratch.appendingPathComponent("debug"), exercises: exercises)
    }

    /// Writes the inputs of `part` of `exercise` for grading seed `seed` into `file`.
    public func writeInputs(exercise: String, part: String, seed: UInt64, to file: URL) throws {
        let data = try Self.run(program(exercise), ["inputs", part, "--seed", String(seed)], seconds: 300)
        try data.write(to: file)
    }

    /// The judge's verdict on `part`: from the probe's `report` (probed parts) and the submitted
    /// `assessment` folder (parts that read files).
    public func verdict(exercise: String, part: String, seed: UInt64, report: URL?, assessment: URL?) throws -> JudgeVerdict {
        var arguments = ["judge", part, "--seed", String(seed)]
        if let report { arguments += ["--report", report.path] }
        if let assessment { arguments += ["--assessment", assessment.path] }
        let data = try Self.run(program(exercise), arguments, seconds: 1200)
        do { return try JSONDecoder().decode(JudgeVerdict.self, from: data) }
        catch { throw GradingError.commandFailed("\(exercise)Judge judge \(part) printed no verdict: \(error)") }
    }

    /// The judge program of `exercise`.
    func program(_ exercise: String) -> URL { binaries.appendingPathComponent("\(exercise)Judge") }

    /// Runs a judge program and returns its standard output; throws with its error output when it fails.
    static func run(_ program: URL, _ arguments: [String], seconds: Int) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            throw GradingError.commandFailed("the judge program \(program.path) is missing; build the judges first")
        }
        let folder = try Shell.privateFolder(prefix: "grader-judge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (output, errors) = (folder.appendingPathComponent("output"), folder.appendingPathComponent("errors"))
        let status = try Shell.spawnAndWait(["/usr/bin/timeout", "--signal=KILL", "\(seconds)", program.path] + arguments,
                                            environment: ProcessInfo.processInfo.environment.map { "\($0)=\($1)" },
                                            descriptors: [0: .read("/dev/null"), 1: .write(output.path), 2: .write(errors.path)])
        guard status == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw GradingError.commandFailed("\(program.lastPathComponent) \(arguments.prefix(2).joined(separator: " ")) failed "
                + "(status \(status)): \(Scoring.truncated(message, limit: 2000))")
        }
        return try Data(contentsOf: output)
    }
}

/// A judge's verdict on one part, as `<E>Judge judge` prints it.
public struct JudgeVerdict: Codable, Equatable, Sendable {
    /// One check that did not hold.
    public struct Failure: Codable, Equatable, Sendable {
        /// What must hold, as a sentence.
        public var statement: String
        /// The inputs it was checked on, in words.
        public var inputs: String?
        /// The value expected, shortened.
        public var expected: String?
        /// The value the student's code gave, shortened.
        public var actual: String?

        /// Collects a failure's fields.
        public init(statement: String, inputs: String? = nil, expected: String? = nil, actual: String? = nil) {
            (self.statement, self.inputs, self.expected, self.actual) = (statement, inputs, expected, actual)
        }
    }

    /// True when every check held.
    public var passed: Bool
    /// How many checks were made.
    public var checks: Int
    /// The checks that failed.
    public var failures: [Failure]
    /// Numbers the judge measured while deciding (a re-evaluated accuracy), by name; nil when none.
    public var measurements: [String: Double]?

    /// Collects a verdict's fields.
    public init(passed: Bool, checks: Int, failures: [Failure], measurements: [String: Double]? = nil) {
        (self.passed, self.checks, self.failures, self.measurements) = (passed, checks, failures, measurements)
    }
}
