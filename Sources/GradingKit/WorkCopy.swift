import Foundation

/// A private, reduced copy of the course where a submission's exercises are built, one at a time:
/// `Package.swift`, the folders the exercises' probe programs need (library modules, the exercise
/// support module, the hidden tests' runtime and each exercise's probes, read from the package's
/// structure), and `Exercises/` (the stubs, given code and checks, with a submission's files laid
/// over them). It never holds `Solutions/` or the judges, so the manifest builds the exercises
/// from `Exercises/` and nothing there can compute an expected value.
public struct WorkCopy: Sendable {
    /// The copy's root folder.
    public let root: URL
    /// The repository it was made from.
    public let repository: URL

    /// The folder of an exercise that holds the artefacts of a long assessment.
    public static let assessmentFolder = "Assessment"

    /// Makes (or refreshes) the copy at `root` for the exercises `exercises` of `structure` (the
    /// repository's). Copies keep their modification times, so a reused build folder rebuilds
    /// only what changed.
    public init(repository: URL, root: URL, structure: PackageStructure, exercises: [String]) throws {
        self.root = root
        self.repository = repository
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        let probes = exercises.map { "\($0)Probes" }
        let exerciseFolders = Set(exercises.compactMap { structure.target($0)?.folder })
        let folders = structure.folders(reachableFrom: probes).filter { !exerciseFolders.contains($0) }
        for item in ["Package.swift"] + folders {
            let target = root.appendingPathComponent(item)
            try? fileManager.removeItem(at: target)
            try Shell.copy(repository.appendingPathComponent(item), to: target)
        }
        for exercise in exercises { try installStub(exercise) }
    }

    /// Puts exercise `name` in place: the repository's stub folder (handout, given code, checks),
    /// then the submitted top-level `.swift` files and `ANSWERS.md` over it. Returns the names laid over.
    @discardableResult
    public func install(exercise name: String, from submitted: URL?) throws -> [String] {
        try installStub(name)
        let target = root.appendingPathComponent("Exercises/\(name)")
        defer { Self.markChanged(target) }
        guard let submitted else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: submitted.path)
            .filter { $0.hasSuffix(".swift") || $0 == "ANSWERS.md" }.sorted()
        for file in files {
            let destination = target.appendingPathComponent(file)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: submitted.appendingPathComponent(file), to: destination)
        }
        return files
    }

    /// Replaces `Exercises/<name>` by the repository's.
    func installStub(_ name: String) throws {
        let target = root.appendingPathComponent("Exercises/\(name)")
        try? FileManager.default.removeItem(at: target)
        try Shell.copy(repository.appendingPathComponent("Exercises/\(name)"), to: target)
    }

    /// Builds the probe program of `exercise` into `scratch`; returns the program, or the
    /// compiler's errors (paths relative to the copy) when it does not build.
    public func buildProbes(of exercise: String, scratch: URL, seconds: Int) throws -> (program: URL?, errors: String?) {
        try? FileManager.default.removeItem(at: Self.probes(of: exercise, in: scratch))
        let build = try runBuild(exercises: [exercise], product: "\(exercise)Probes", scratch: scratch, seconds: seconds)
        guard build.status == 0 else {
            if build.timedOut { return (nil, "The build took longer than \(seconds) s.") }
            return (nil, Scoring.truncated(Self.compilerErrors(in: build.output, root: root)))
        }
        return (Self.probes(of: exercise, in: scratch), nil)
    }

    /// Builds the probe programs of all of `exercises` in one build (SwiftPM plans once and
    /// compiles the exercises side by side) and returns those that were built this time.
    ///
    /// Each exercise is still a module of its own, compiled from its own files only. When one does
    /// not compile, the build stops without some programs; those are missing from the result, and
    /// `buildProbes(of:)` builds each on its own to name the errors (the modules that did compile
    /// are reused).
    public func buildAllProbes(of exercises: [String], scratch: URL, seconds: Int) throws -> Set<String> {
        for exercise in exercises { try? FileManager.default.removeItem(at: Self.probes(of: exercise, in: scratch)) }
        guard exercises.count > 1 else { return [] }
        _ = try runBuild(exercises: exercises, product: nil, scratch: scratch, seconds: seconds)
        return Set(exercises.filter { FileManager.default.isExecutableFile(atPath: Self.probes(of: $0, in: scratch).path) })
    }

    /// Runs `swift build` in the copy for the probes of `exercises` (one `product`, or all of them).
    private func runBuild(exercises: [String], product: String?, scratch: URL, seconds: Int) throws -> Shell.Result {
        try Shell.run(
            ["swift", "build", "--manifest-cache", "none", "--disable-automatic-resolution"] + (product.map { ["--product", $0] } ?? [])
                + ["--scratch-path", scratch.path], in: root,
            environment: ["MAML_GRADING_ONLY": "1", "MAML_PROBES_ONLY": "1", "MAML_IMPLEMENTATION": "exercises",
                          "MAML_EXERCISES": exercises.joined(separator: ",")],
            seconds: seconds)
    }

    /// Where the build in `scratch` puts the probe program of `exercise`.
    static func probes(of exercise: String, in scratch: URL) -> URL {
        scratch.appendingPathComponent("debug/\(exercise)Probes")
    }

    /// The distinct `error:` lines of a build log, with the copy's path taken off.
    static func compilerErrors(in log: String, root: URL) -> String {
        var seen = Set<Substring>()
        let errors = log.replacingOccurrences(of: root.path + "/", with: "").split(separator: "\n")
            .filter { $0.contains("error:") && !$0.contains("`-") && seen.insert($0).inserted }
        return errors.isEmpty ? log.replacingOccurrences(of: root.path + "/", with: "") : errors.joined(separator: "\n")
    }

    /// Gives every file of an installed exercise the current time as its modification time.
    ///
    /// Copies keep their source's time, and files checked out together share nearly the same
    /// one; the compiler's incremental build compares these times, so a submission laid over a
    /// reused copy could otherwise be taken for the previous one and not be recompiled.
    static func markChanged(_ folder: URL) {
        let fileManager = FileManager.default
        let now = Date()
        for case let relative as String in fileManager.enumerator(atPath: folder.path) ?? FileManager.DirectoryEnumerator() {
            try? fileManager.setAttributes([.modificationDate: now], ofItemAtPath: folder.appendingPathComponent(relative).path)
        }
    }

    /// True when `url` is an existing folder.
    static func isFolder(_ url: URL) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
    }
}
