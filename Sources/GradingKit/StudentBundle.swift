import Foundation

/// The package students receive (`grader release`): the repository without the reference
/// solutions, the hidden tests, the grader's own tests (whose wrong variants are near copies of
/// the reference) and the CI script that validates them, with a `Package.swift` that always
/// builds the exercises from `Exercises/` and declares no hidden-test targets.
public enum StudentBundle {
    /// Folders of the repository that never go into the bundle.
    public static let withheldFolders = ["Solutions", "Grading", "Tests/GradingKitTests", ".ci"]

    /// Writes the bundle into `out` (which must not exist or be empty) and returns its files.
    /// Refuses (and deletes the bundle) if any file of it holds a distinctive reference line.
    @discardableResult
    public static func make(repository: URL, out: URL) throws -> [String] {
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
            throw GradingError.packagingFailed("\(out.path) is not empty; choose a new folder for the bundle")
        }
        let files = try PackageFiles.list(repository: repository).filter { path in
            !withheldFolders.contains { PackageFiles.path(path, isIn: $0) } && !isTrainedArtefact(path)
        }
        try PackageFiles.copy(files, from: repository, to: out)
        let leaks = try revealingLines(in: out, repository: repository)
        guard leaks.isEmpty else {
            try? fileManager.removeItem(at: out)
            throw GradingError.packagingFailed("the bundle would reveal reference code: "
                + leaks.prefix(5).map { "\($0.file) holds \"\($0.line)\"" }.joined(separator: "; "))
        }
        return files
    }

    /// True for a file of an exercise's assessment folder other than its README
    /// (`Exercises/<E>/Assessment/weights.checkpoint`, say): weights trained in the course
    /// repository are never handed out, only the README saying what belongs there.
    public static func isTrainedArtefact(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.count >= 4 && components[0] == "Exercises" && components[2] == Substring(WorkCopy.assessmentFolder)
            && !(components.count == 4 && components[3] == "README.md")
    }

    /// A line of reference code found in a file.
    public struct Leak: Equatable, Sendable {
        /// The file's path relative to the folder searched.
        public var file: String
        /// The reference line (trimmed).
        public var line: String
    }

    /// The distinctive lines of the reference: trimmed lines of `Solutions/*/*.swift` at least
    /// 12 characters long that are neither comments nor found in any stub file (the stubs are
    /// the students' own starting point; they share argument checks across exercises).
    public static func distinctiveReferenceLines(repository: URL) throws -> Set<String> {
        let fileManager = FileManager.default
        let solutions = repository.appendingPathComponent("Solutions")
        var distinctive = Set<String>()
        // Lines the stubs share with the reference are given to students on purpose, and lines the
        // public library also holds (a plain loop header, say) reveal nothing about the solution.
        let publicLines = Set(swiftLines(in: repository.appendingPathComponent("Exercises"))
            + swiftLines(in: repository.appendingPathComponent("Sources")))
        for exercise in try fileManager.contentsOfDirectory(atPath: solutions.path) {
            for line in swiftLines(in: solutions.appendingPathComponent(exercise))
            where line.count >= 12 && !line.hasPrefix("//") && !publicLines.contains(line) {
                distinctive.insert(line)
            }
        }
        return distinctive
    }

    /// Every file under `folder` holding a distinctive reference line of `repository`.
    public static func revealingLines(in folder: URL, repository: URL) throws -> [Leak] {
        let distinctive = try distinctiveReferenceLines(repository: repository)
        var leaks: [Leak] = []
        let fileManager = FileManager.default
        for case let relative as String in fileManager.enumerator(atPath: folder.path) ?? FileManager.DirectoryEnumerator() {
            guard let data = fileManager.contents(atPath: folder.appendingPathComponent(relative).path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if distinctive.contains(trimmed) { leaks.append(Leak(file: relative, line: trimmed)) }
            }
        }
        return leaks
    }

    /// The trimmed lines of every `.swift` file under `folder`.
    static func swiftLines(in folder: URL) -> [String] {
        let fileManager = FileManager.default
        var lines: [String] = []
        for case let relative as String in fileManager.enumerator(atPath: folder.path) ?? FileManager.DirectoryEnumerator()
        where relative.hasSuffix(".swift") {
            let text = (try? String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)) ?? ""
            lines += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return lines
    }
}
