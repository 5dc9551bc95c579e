import Foundation

/// The package students receive (`grader release`), defined by what goes in rather than by what
/// stays out: the core library (Autodiff, NeuralNetworks, TaskData, Plots, GraphDiagrams and the
/// system-library shims), the page machinery and the student workbook (Notebook, ExerciseChapters,
/// its command), the grader's student commands (check, submit), the exercises (stubs, given code,
/// handouts, visible checks, assessment READMEs), the library's own tests, and the student README
/// (`Exercises/README.md`, also copied to the bundle's top as `README.md`). `Package.swift` is the
/// repository's unchanged: with no `Solutions/`, `Grading/` or `MetaLearning` on disk it builds
/// the students' files and no target that needs the instructor's side. Before finishing, the
/// bundle is searched for the answers (`LeakCheck`), and it is deleted if one is found.
public enum StudentBundle {
    /// Folders (and files) of the repository that go into the bundle, and nothing else.
    public static let shipped = [
        "Package.swift", "Package.resolved", ".gitignore",
        "Sources/Autodiff", "Sources/NeuralNetworks", "Sources/TaskData", "Sources/Plots", "Sources/GraphDiagrams",
        "Sources/CGraphviz", "Sources/COpenBLAS", "Sources/CPNG",
        "Sources/Notebook", "Sources/CommandLineSupport", "Sources/ExerciseChapters", "Sources/ExerciseWorkbookCLI",
        "Sources/GradingKit", "Sources/GraderCLI",
        "Exercises",
        "Tests/AutodiffTests", "Tests/NeuralNetworksTests", "Tests/TaskDataTests", "Tests/PlotsTests", "Tests/GraphDiagramsTests",
        "Tests/ExerciseChaptersTests",
        "scripts/ensure-deps.sh",
    ]

    /// The student README inside the repository, copied to the bundle's `README.md`.
    public static let studentReadme = "Exercises/README.md"

    /// Writes the bundle into `out` (which must not exist or be empty) and returns its files.
    /// Refuses (and deletes the bundle) if a file of it holds an answer.
    @discardableResult
    public static func make(repository: URL, out: URL) throws -> [String] {
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
            throw GradingError.packagingFailed("\(out.path) is not empty; choose a new folder for the bundle")
        }
        let files = try PackageFiles.list(repository: repository).filter { path in
            shipped.contains { PackageFiles.path(path, isIn: $0) } && !isTrainedArtefact(path)
        }
        try PackageFiles.copy(files, from: repository, to: out)
        if fileManager.fileExists(atPath: repository.appendingPathComponent(studentReadme).path) {
            try? fileManager.removeItem(at: out.appendingPathComponent("README.md"))
            try fileManager.copyItem(at: repository.appendingPathComponent(studentReadme), to: out.appendingPathComponent("README.md"))
        }
        let leaks = try LeakCheck(repository: repository).leaks(in: out)
        guard leaks.isEmpty else {
            try? fileManager.removeItem(at: out)
            throw GradingError.packagingFailed("the bundle would give answers away: "
                + leaks.prefix(5).map(\.description).joined(separator: "; "))
        }
        return files + ["README.md"]
    }

    /// True for a file of an exercise's assessment folder other than its README
    /// (`Exercises/<E>/Assessment/weights.checkpoint`, say): weights trained in the course
    /// repository are never handed out, only the README saying what belongs there.
    public static func isTrainedArtefact(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.count >= 4 && components[0] == "Exercises" && components[2] == Substring(WorkCopy.assessmentFolder)
            && !(components.count == 4 && components[3] == "README.md")
    }
}

/// Finds answers in a folder by their fingerprints rather than their wording: every reference
/// file (`Solutions/<E>/*.swift`) is fingerprinted (`Fingerprints`), less what the exercise's stub
/// and given code already hand out; a Swift file of the folder that shares most of one answer's
/// remaining fingerprints holds that answer, however its names, comments and spacing were changed.
public struct LeakCheck: Sendable {
    /// One answer found in a file.
    public struct Leak: Sendable, Equatable, CustomStringConvertible {
        /// The file, relative to the folder searched.
        public var file: String
        /// The reference file whose answer it holds (`Solutions/GDStep/GDStep.swift`).
        public var answer: String
        /// The answer's distinctive fingerprints found in the file, out of how many.
        public var shared: Int, of: Int
        /// The file's lines where shared runs start.
        public var lines: [Int]

        /// "Sources/X.swift holds the answer of Solutions/GDStep/GDStep.swift (4 of 5 fingerprints, lines 12, 14)".
        public var description: String {
            "\(file) holds the answer of \(answer) (\(shared) of \(of) fingerprints, lines \(lines.map(String.init).joined(separator: ", ")))"
        }
    }

    /// An answer's distinctive fingerprints.
    struct Answer: Sendable {
        var file: String
        var hashes: Set<UInt64>
    }

    /// The answers of the repository.
    let answers: [Answer]

    /// The fingerprints of every reference file of `repository`, less its stub's and given code's.
    public init(repository: URL) throws {
        let fileManager = FileManager.default
        let solutions = repository.appendingPathComponent("Solutions")
        var answers: [Answer] = []
        for exercise in try fileManager.contentsOfDirectory(atPath: solutions.path).sorted() {
            let given = Fingerprints.handedOut(exercise: exercise, repository: repository)
            for file in Self.swiftFiles(in: solutions.appendingPathComponent(exercise), recursive: false) {
                let distinctive = Fingerprints(source: file.text).hashes.subtracting(given)
                if !distinctive.isEmpty { answers.append(Answer(file: "Solutions/\(exercise)/\(file.name)", hashes: distinctive)) }
            }
        }
        self.answers = answers
    }

    /// The answers found in the Swift files under `folder`: a file holds an answer when it shares
    /// at least half of the answer's distinctive fingerprints, and at least two of them (or the
    /// only one of an answer that has one).
    public func leaks(in folder: URL) throws -> [Leak] {
        var leaks: [Leak] = []
        for file in Self.swiftFiles(in: folder, recursive: true) {
            let marks = Fingerprints(source: file.text).marks
            let hashes = Set(marks.map(\.hash))
            for answer in answers {
                let shared = answer.hashes.intersection(hashes)
                guard shared.count * 2 >= answer.hashes.count, shared.count >= min(2, answer.hashes.count) else { continue }
                let lines = Array(Set(marks.filter { shared.contains($0.hash) }.map(\.line))).sorted()
                leaks.append(Leak(file: file.name, answer: answer.file, shared: shared.count, of: answer.hashes.count, lines: lines))
            }
        }
        return leaks
    }

    /// The `.swift` files of `folder` (at any depth when `recursive`) with their text, names relative to `folder`.
    static func swiftFiles(in folder: URL, recursive: Bool) -> [(name: String, text: String)] {
        let fileManager = FileManager.default
        let names: [String] = recursive
            ? (fileManager.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
            : ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? [])
        return names.filter { $0.hasSuffix(".swift") }.sorted().compactMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
    }
}
