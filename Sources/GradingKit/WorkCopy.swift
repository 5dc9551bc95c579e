import Foundation

/// A private, reduced copy of the package where one submission is built and tested:
/// `Package.swift`, the `Sources` folders of the library modules the exercises use (read from
/// the manifest, see `requiredSourceFolders`) and `Exercises/` (the repository's stubs and
/// checks with the submission's Swift files laid over them). It never holds
/// `Solutions/`; each exercise's hidden tests are copied in only while that exercise builds.
public struct WorkCopy: Sendable {
    /// The copy's root folder.
    public let root: URL
    /// The repository it was made from.
    public let repository: URL

    /// Makes (or refreshes) the copy at `root`. The core files are copied afresh every time
    /// (so a reused copy never builds from a stale `Package.swift` or library), with their
    /// modification times kept, so files that did not change are not rebuilt.
    public init(repository: URL, root: URL) throws {
        self.root = root
        self.repository = repository
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        let manifest = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let core = ["Package.swift"] + WorkCopy.requiredSourceFolders(manifest: manifest)
        for item in core {
            try? fileManager.removeItem(at: root.appendingPathComponent(item))
            try Shell.copy(repository.appendingPathComponent(item), to: root.appendingPathComponent(item))
        }
        try? fileManager.removeItem(at: root.appendingPathComponent("Solutions"))
        try fileManager.createDirectory(at: root.appendingPathComponent("Grading"), withIntermediateDirectories: true)
        // The hidden tests' trait module holds no answers; the manifest it reads stays out of the copy.
        let support = root.appendingPathComponent(WorkCopy.gradingSupportFolder)
        try? fileManager.removeItem(at: support)
        try Shell.copy(repository.appendingPathComponent(WorkCopy.gradingSupportFolder), to: support)
    }

    /// The module of the `.graded` trait the hidden tests import (no answers, no manifest).
    public static let gradingSupportFolder = "Grading/Support"

    /// Puts exercise `name` in place: the repository's stub folder (handout, checks), then every
    /// top-level `.swift` file and `ANSWERS.md` of `submitted` over it, and the submitted
    /// `Assessment/` folder (trained weights, metrics, curve) in place of the stub's. Returns the
    /// names laid over (`Assessment/<file>` for the assessment's files).
    @discardableResult
    public func install(exercise name: String, from submitted: URL?) throws -> [String] {
        let fileManager = FileManager.default
        let target = root.appendingPathComponent("Exercises/\(name)")
        try? fileManager.removeItem(at: target)
        try Shell.copy(repository.appendingPathComponent("Exercises/\(name)"), to: target)
        defer { Self.markChanged(target) }
        guard let submitted, fileManager.fileExists(atPath: submitted.path) else { return [] }
        let files = try fileManager.contentsOfDirectory(atPath: submitted.path)
            .filter { $0.hasSuffix(".swift") || $0 == "ANSWERS.md" }.sorted()
        for file in files {
            let destination = target.appendingPathComponent(file)
            try? fileManager.removeItem(at: destination)
            try fileManager.copyItem(at: submitted.appendingPathComponent(file), to: destination)
        }
        return files + (try installAssessment(from: submitted.appendingPathComponent(Self.assessmentFolder),
                                              to: target.appendingPathComponent(Self.assessmentFolder)))
    }

    /// The folder of an exercise that holds the artefacts of a long assessment.
    public static let assessmentFolder = "Assessment"

    /// Replaces the stub's assessment folder by the submitted one, when one was submitted.
    /// Returns the submitted files as `Assessment/<relative path>`, sorted.
    private func installAssessment(from submitted: URL, to target: URL) throws -> [String] {
        guard Self.isFolder(submitted) else { return [] }
        try? FileManager.default.removeItem(at: target)
        try Shell.copy(submitted, to: target)
        let files = (FileManager.default.enumerator(atPath: target.path)?.allObjects as? [String] ?? [])
            .filter { !Self.isFolder(target.appendingPathComponent($0)) }
        return files.sorted().map { "\(Self.assessmentFolder)/\($0)" }
    }

    /// True when `url` is an existing folder.
    static func isFolder(_ url: URL) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
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

    /// Copies in the hidden tests of exercise `name`, or replaces them by an empty placeholder
    /// file (the manifest still names the folder, and `swift test --skip-build` reads the manifest).
    public func setHiddenTests(of name: String, present: Bool) throws {
        let destination = root.appendingPathComponent("Grading/\(name)")
        try? FileManager.default.removeItem(at: destination)
        if present {
            try Shell.copy(repository.appendingPathComponent("Grading/\(name)"), to: destination)
        } else {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            try "// The hidden tests are compiled into the test binary and removed from this copy.\n"
                .write(to: destination.appendingPathComponent("Removed.swift"), atomically: true, encoding: .utf8)
        }
    }

    /// The `Sources/<module>` folders the exercises need, read from the text of `Package.swift`:
    /// every module in an exercise's `libraries` (rows `("Name", writtenAnswers, [modules])` of
    /// `exerciseList`), then everything those use in turn (rows `("Name", [modules])` of the
    /// `libraries` table), system libraries included. Sorted; Autodiff and COpenBLAS at least.
    public static func requiredSourceFolders(manifest: String) -> [String] {
        let exerciseRow = /\("\w+",\s*(?:true|false),\s*\[([^\]]*)\]\)/
        let libraryRow = /\("(\w+)",\s*\[([^\]]*)\]\)/
        /// The quoted names of a comma-separated list.
        func names(_ list: Substring) -> [String] {
            list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                .filter { !$0.isEmpty }
        }
        var dependencies: [String: [String]] = [:]
        for match in manifest.matches(of: libraryRow) { dependencies[String(match.1)] = names(match.2) }
        var pending = ["Autodiff"] + manifest.matches(of: exerciseRow).flatMap { names($0.1) }
        var needed = Set<String>()
        while let module = pending.popLast() {
            guard needed.insert(module).inserted else { continue }
            pending += dependencies[module] ?? []
        }
        return needed.sorted().map { "Sources/\($0)" }
    }
}
