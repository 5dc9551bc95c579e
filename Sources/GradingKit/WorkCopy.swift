import Foundation

/// A private, reduced copy of the package where one submission is built and tested:
/// `Package.swift`, `Sources/Autodiff`, `Sources/COpenBLAS` and `Exercises/` (the repository's
/// stubs and checks with the submission's Swift files laid over them). It never holds
/// `Solutions/`; each exercise's hidden tests are copied in only while that exercise builds.
public struct WorkCopy: Sendable {
    /// The copy's root folder.
    public let root: URL
    /// The repository it was made from.
    public let repository: URL

    /// Makes (or refreshes) the copy at `root`. The core files are copied only when missing,
    /// so a reused copy keeps its build.
    public init(repository: URL, root: URL) throws {
        self.root = root
        self.repository = repository
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        for item in ["Package.swift", "Sources/Autodiff", "Sources/COpenBLAS"] where !fileManager.fileExists(atPath: root.appendingPathComponent(item).path) {
            try Shell.copy(repository.appendingPathComponent(item), to: root.appendingPathComponent(item))
        }
        try? fileManager.removeItem(at: root.appendingPathComponent("Solutions"))
        try fileManager.createDirectory(at: root.appendingPathComponent("Grading"), withIntermediateDirectories: true)
    }

    /// Puts exercise `name` in place: the repository's stub folder (handout, checks), then every
    /// top-level `.swift` file and `ANSWERS.md` of `submitted` over it. Returns the names laid over.
    @discardableResult
    public func install(exercise name: String, from submitted: URL?) throws -> [String] {
        let fileManager = FileManager.default
        let target = root.appendingPathComponent("Exercises/\(name)")
        try? fileManager.removeItem(at: target)
        try Shell.copy(repository.appendingPathComponent("Exercises/\(name)"), to: target)
        guard let submitted, fileManager.fileExists(atPath: submitted.path) else { return [] }
        let files = try fileManager.contentsOfDirectory(atPath: submitted.path)
            .filter { $0.hasSuffix(".swift") || $0 == "ANSWERS.md" }.sorted()
        for file in files {
            let destination = target.appendingPathComponent(file)
            try? fileManager.removeItem(at: destination)
            try fileManager.copyItem(at: submitted.appendingPathComponent(file), to: destination)
        }
        return files
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
}
