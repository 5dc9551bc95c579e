import Foundation

/// Checks that the hidden tests discriminate: the reference earns every point, the stubs earn
/// none, and every deliberately wrong variant loses exactly the parts it declares.
///
/// A variant is a folder `<variants>/<Exercise>/<variant>/` holding Swift files that replace the
/// reference's files of the same name, optionally an `Assessment/` folder whose files replace
/// those of the reference's assessment folder (a wrong curve, untrained weights), and
/// `breaks.txt` listing the part ids it must fail.
public struct Validator: Sendable {
    /// One checked case and whether it behaved.
    public struct Check: Equatable, Sendable {
        /// `reference`, `stubs` or `<Exercise>/<variant>`.
        public var name: String
        /// Points earned out of the points at stake.
        public var score: Double
        /// Points at stake in this case.
        public var maxPoints: Double
        /// The parts that failed.
        public var failedParts: [String]
        /// The parts expected to fail.
        public var expectedFailures: [String]
        /// True when exactly the expected parts failed.
        public var ok: Bool { Set(failedParts) == Set(expectedFailures) }
    }

    /// The grader used for every case.
    public let grader: SubmissionGrader
    /// Folder of wrong variants.
    public let variants: URL
    /// Build folder reused by every case.
    public let scratchPath: URL
    /// The exercises to validate (nil for all of the manifest's).
    public let only: [String]?

    /// Validates `grader`'s repository with the variants in `variants`, building in `scratchPath`;
    /// `only` restricts the reference, the stubs and the variants to the named exercises.
    public init(grader: SubmissionGrader, variants: URL, scratchPath: URL, only: [String]? = nil) {
        self.grader = grader
        self.variants = variants
        self.scratchPath = scratchPath
        self.only = only
    }

    /// Runs every case, calling `progress` after each one.
    public func run(progress: (Check) -> Void = { _ in }) throws -> [Check] {
        let repository = grader.repository
        let workRoot = scratchPath.appendingPathComponent("work")
        let buildPath = scratchPath.appendingPathComponent("build")
        if let only, let unknown = only.first(where: { name in !grader.manifest.exercises.contains { $0.name == name } }) {
            throw GradingError.invalidSubmission("no exercise named \(unknown) in the manifest")
        }
        let allParts = grader.manifest.exercises.filter { only?.contains($0.name) ?? true }
            .flatMap { e in e.parts.map { "\(e.name)/\($0.id)" } }
        var checks: [Check] = []
        func record(_ name: String, _ results: [PartResult], expected: [String]) {
            let check = Check(name: name, score: results.reduce(0) { $0 + $1.score },
                              maxPoints: results.reduce(0) { $0 + $1.part.points },
                              failedParts: results.filter { $0.status != .passed }.map { "\($0.exercise)/\($0.part.id)" },
                              expectedFailures: expected)
            checks.append(check)
            progress(check)
        }
        let reference = try grader.gradeFolder(repository.appendingPathComponent("Solutions"), workRoot: workRoot,
                                               scratchPath: buildPath, only: only)
        record("reference", reference, expected: [])
        let stubs = try grader.gradeFolder(repository.appendingPathComponent("Exercises"), workRoot: workRoot,
                                           scratchPath: buildPath, only: only)
        record("stubs", stubs, expected: allParts)
        for (exercise, variant, folder) in try variantFolders() {
            let submission = scratchPath.appendingPathComponent("variant/\(exercise)")
            try? FileManager.default.removeItem(at: submission)
            try Shell.copy(repository.appendingPathComponent("Solutions/\(exercise)"), to: submission)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
                try? FileManager.default.removeItem(at: submission.appendingPathComponent(file))
                try FileManager.default.copyItem(at: folder.appendingPathComponent(file), to: submission.appendingPathComponent(file))
            }
            try layAssessment(of: folder, over: submission)
            let breaks = try String(contentsOf: folder.appendingPathComponent("breaks.txt"), encoding: .utf8)
                .split(whereSeparator: \.isNewline).map { "\(exercise)/\($0.trimmingCharacters(in: .whitespaces))" }
            let results = try grader.gradeFolder(submission.deletingLastPathComponent(), workRoot: workRoot,
                                                 scratchPath: buildPath, only: [exercise])
            record("\(exercise)/\(variant)", results, expected: breaks)
        }
        return checks
    }

    /// Copies each file of the variant's `Assessment/` folder (if any) over the same file of the
    /// submission's assessment folder; the reference's other artefacts stay.
    func layAssessment(of variant: URL, over submission: URL) throws {
        let fileManager = FileManager.default
        let source = variant.appendingPathComponent(WorkCopy.assessmentFolder)
        let target = submission.appendingPathComponent(WorkCopy.assessmentFolder)
        guard WorkCopy.isFolder(source) else { return }
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        for file in try fileManager.contentsOfDirectory(atPath: source.path) {
            try? fileManager.removeItem(at: target.appendingPathComponent(file))
            try fileManager.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
        }
    }

    /// Every `(exercise, variant, folder)` under `variants`, sorted.
    func variantFolders() throws -> [(String, String, URL)] {
        let fileManager = FileManager.default
        var found: [(String, String, URL)] = []
        for exercise in grader.manifest.exercises.map(\.name) where only?.contains(exercise) ?? true {
            let folder = variants.appendingPathComponent(exercise)
            guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else { continue }
            for variant in names.sorted() where fileManager.fileExists(atPath: folder.appendingPathComponent("\(variant)/breaks.txt").path) {
                found.append((exercise, variant, folder.appendingPathComponent(variant)))
            }
        }
        return found
    }
}
