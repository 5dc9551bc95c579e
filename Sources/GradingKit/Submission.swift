import Foundation

/// A submission as the grader takes it in: per exercise, the student's top-level `.swift` files,
/// `ANSWERS.md` and the `Assessment/` folder, copied into a private folder of the grader's.
///
/// Only plain files are taken. Symbolic links, files with several hard links, special files,
/// hidden files, oversized files and anything else in the tree are left out and listed in
/// `notes` (a link could otherwise make the grader copy a file the student may not read, such as
/// the reference solution, into the build). A zip is listed before it is unpacked and refused
/// when it would unpack to more than `Limits.unpackedBytes`.
public struct Submission: Sendable {
    /// Size limits on what is taken in.
    public enum Limits {
        /// Largest Swift source or `ANSWERS.md`.
        public static let sourceBytes = 1 << 20
        /// Largest file of an assessment folder (trained weights are well under a megabyte).
        public static let assessmentFileBytes = 100 << 20
        /// Most Swift files per exercise.
        public static let swiftFiles = 64
        /// Most files in an assessment folder.
        public static let assessmentFiles = 200
        /// Largest total size a zip may unpack to.
        public static let unpackedBytes: Int64 = 500 << 20
    }

    /// The private folder holding one subfolder per exercise found (`<E>/*.swift`, `<E>/ANSWERS.md`, `<E>/Assessment/…`).
    public let folder: URL
    /// The exercises found in the submission.
    public let exercises: [String]
    /// What was left out, and why, one sentence each.
    public let notes: [String]

    /// The private copy of exercise `name`, or nil when the submission has none.
    public func exerciseFolder(_ name: String) -> URL? {
        exercises.contains(name) ? folder.appendingPathComponent(name) : nil
    }

    /// The submitted assessment folder of exercise `name`, when there is one.
    public func assessmentFolder(_ name: String) -> URL? {
        guard let exercise = exerciseFolder(name) else { return nil }
        let assessment = exercise.appendingPathComponent(WorkCopy.assessmentFolder)
        return FileManager.default.fileExists(atPath: assessment.path) ? assessment : nil
    }

    /// Takes in `submission` (a folder or a `.zip`) for the exercises `known`, copying what is
    /// accepted into `folder` (which must not exist yet; `scratch` is for unpacking).
    public static func read(_ submission: URL, known: [String], into folder: URL, scratch: URL) throws -> Submission {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: submission.path, isDirectory: &isFolder) else {
            throw GradingError.invalidSubmission("\(submission.lastPathComponent) does not exist")
        }
        var root = submission
        if !isFolder.boolValue {
            guard submission.pathExtension.lowercased() == "zip" else {
                throw GradingError.invalidSubmission("\(submission.lastPathComponent) is neither a folder nor a .zip")
            }
            root = scratch.appendingPathComponent("unpacked")
            try unpack(submission, into: root)
        }
        guard let exercisesRoot = exercisesFolder(in: root, known: known) else {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return Submission(folder: folder, exercises: [], notes: [
                "No exercise folder was found in the submission (expected folders named \(known.joined(separator: ", ")), "
                    + "or an Exercises folder holding them); every exercise was graded as not attempted."])
        }
        var notes: [String] = []
        var found: [String] = []
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in known {
            let source = exercisesRoot.appendingPathComponent(name)
            guard kind(of: source) == .typeDirectory else { continue }
            found.append(name)
            let target = folder.appendingPathComponent(name)
            try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
            notes += try takeSources(of: name, from: source, into: target)
            let assessment = source.appendingPathComponent(WorkCopy.assessmentFolder)
            if kind(of: assessment) == .typeDirectory {
                notes += try takeAssessment(of: name, from: assessment, into: target.appendingPathComponent(WorkCopy.assessmentFolder))
            }
        }
        return Submission(folder: folder, exercises: found, notes: notes)
    }

    /// The top-level `.swift` files and `ANSWERS.md` of one exercise folder.
    static func takeSources(of exercise: String, from source: URL, into target: URL) throws -> [String] {
        var notes: [String] = []
        var taken = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            let url = source.appendingPathComponent(name)
            let wanted = name.hasSuffix(".swift") || name == "ANSWERS.md"
            guard wanted else { continue }
            if let problem = problem(with: url, name: name, limit: Limits.sourceBytes) {
                notes.append("\(exercise)/\(name) was left out: \(problem).")
                continue
            }
            if name.hasSuffix(".swift") {
                guard taken < Limits.swiftFiles else {
                    notes.append("\(exercise)/\(name) was left out: at most \(Limits.swiftFiles) Swift files are taken per exercise.")
                    continue
                }
                taken += 1
            }
            try FileManager.default.copyItem(at: url, to: target.appendingPathComponent(name))
        }
        return notes
    }

    /// The plain files of an `Assessment/` folder, subfolders included.
    static func takeAssessment(of exercise: String, from source: URL, into target: URL) throws -> [String] {
        let fileManager = FileManager.default
        var notes: [String] = []
        var taken = 0
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        for relative in (fileManager.subpaths(atPath: source.path) ?? []).sorted() {
            let url = source.appendingPathComponent(relative)
            let name = url.lastPathComponent
            if kind(of: url) == .typeDirectory, !name.hasPrefix(".") { continue }
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if let problem = problem(with: url, name: name, limit: Limits.assessmentFileBytes) {
                notes.append("\(exercise)/Assessment/\(relative) was left out: \(problem).")
                continue
            }
            guard taken < Limits.assessmentFiles else {
                notes.append("\(exercise)/Assessment/\(relative) was left out: at most \(Limits.assessmentFiles) files are taken.")
                continue
            }
            taken += 1
            let destination = target.appendingPathComponent(relative)
            try fileManager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.copyItem(at: url, to: destination)
        }
        return notes
    }

    /// Why the entry at `url` cannot be taken, or nil for a plain, singly linked file within `limit` bytes.
    static func problem(with url: URL, name: String, limit: Int) -> String? {
        guard !name.hasPrefix(".") else { return "hidden files are not taken" }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return "it cannot be read" }
        let type = attributes[.type] as? FileAttributeType
        if type == .typeSymbolicLink { return "it is a symbolic link; submit the file itself" }
        guard type == .typeRegular else { return "it is not a plain file" }
        if let links = attributes[.referenceCount] as? Int, links > 1 { return "it is a hard link to another file" }
        if let size = attributes[.size] as? Int, size > limit { return "it is larger than \(limit / (1 << 20)) MiB" }
        return nil
    }

    /// The type of the entry at `url` itself (a link is not followed).
    static func kind(of url: URL) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
    }

    /// The folder holding the exercise folders: the root, its `Exercises/`, or the same one level
    /// down (a zip of a folder). Nil when none holds a folder named like a known exercise.
    static func exercisesFolder(in root: URL, known: [String]) -> URL? {
        func holdsExercises(_ folder: URL) -> Bool { known.contains { kind(of: folder.appendingPathComponent($0)) == .typeDirectory } }
        var candidates = [root, root.appendingPathComponent("Exercises")]
        let visible = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }
        if visible.count == 1, kind(of: root.appendingPathComponent(visible[0])) == .typeDirectory {
            candidates += [root.appendingPathComponent(visible[0]), root.appendingPathComponent("\(visible[0])/Exercises")]
        }
        return candidates.first(where: holdsExercises)
    }

    /// Unpacks `zip` into `folder` after checking, from its listing, that it unpacks to at most
    /// `Limits.unpackedBytes`.
    static func unpack(_ zip: URL, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let listing = try Shell.run(["unzip", "-Z", "-t", zip.path], in: folder, seconds: 120)
        guard listing.status == 0 else { throw GradingError.invalidSubmission("\(zip.lastPathComponent) is not a readable zip") }
        // `unzip -Z -t` ends with "N files, B bytes uncompressed, C bytes compressed: …".
        if let range = listing.output.range(of: #"([0-9]+) bytes uncompressed"#, options: .regularExpression),
           let bytes = Int64(listing.output[range].split(separator: " ")[0]), bytes > Limits.unpackedBytes {
            throw GradingError.invalidSubmission("\(zip.lastPathComponent) unpacks to \(bytes >> 20) MiB; at most \(Limits.unpackedBytes >> 20) MiB are accepted")
        }
        let unzip = try Shell.run(["unzip", "-q", "-o", zip.path, "-d", folder.path], in: folder, seconds: 300)
        guard unzip.status == 0 else { throw GradingError.invalidSubmission("cannot unzip \(zip.lastPathComponent): \(Scoring.truncated(unzip.output, limit: 500))") }
    }
}
