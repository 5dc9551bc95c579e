import Foundation

/// A deliberately changed version of an exercise's reference, kept as a small patch beside the
/// hidden tests (`Grading/<E>/Variants/<name>.variant`), with the parts it must lose: a wrong
/// answer (`breaks: update`), or a correct but unusual one that must lose nothing (`breaks: none`):
///
///     breaks: update differentiable
///
///     --- GDStep.swift
///          let gradient = grad(cost)(params)
///     -    return params - stepSize * gradient
///     +    return params + stepSize * gradient
///
/// Each hunk is a unified diff's hunk without line numbers (`' '` context, `'-'` removed, `'+'`
/// added; `@@` separates hunks of one file); its context and removed lines must occur exactly
/// once in the reference file. Files that cannot be patches (a trained checkpoint) lie in the
/// folder `<name>.files/` and replace the reference's file of the same relative path.
public struct Variant: Sendable, Equatable {
    /// One replacement of a block of lines in one file.
    public struct Hunk: Sendable, Equatable {
        /// The file, relative to the exercise's folder (`GDStep.swift`, `Assessment/metrics.json`).
        public var file: String
        /// The lines as they are in the reference.
        public var before: [String]
        /// The lines as they are in the variant.
        public var after: [String]
    }

    /// The exercise.
    public var exercise: String
    /// The variant's name (its file name without `.variant`).
    public var name: String
    /// The ids of the parts it must lose (none for a correct variant).
    public var breaks: [String]
    /// The patches.
    public var hunks: [Hunk]
    /// The folder of whole replacement files, when there is one.
    public var replacementFiles: URL?

    /// Reads `<name>.variant` (and `<name>.files/`) for `exercise`.
    public static func load(_ file: URL, exercise: String) throws -> Variant {
        let text = try String(contentsOf: file, encoding: .utf8)
        let name = file.deletingPathExtension().lastPathComponent
        var breaks: [String] = []
        var hunks: [Hunk] = []
        var currentFile: String?
        var before: [String] = [], after: [String] = []
        func closeHunk() {
            if let currentFile, !(before.isEmpty && after.isEmpty) { hunks.append(Hunk(file: currentFile, before: before, after: after)) }
            (before, after) = ([], [])
        }
        for line in text.components(separatedBy: "\n") {
            if currentFile == nil {
                if line.hasPrefix("breaks:") { breaks = line.dropFirst("breaks:".count).split(separator: " ").map(String.init) }
                if line.hasPrefix("--- ") { currentFile = String(line.dropFirst(4)) }
                continue
            }
            if line.hasPrefix("--- ") {
                closeHunk()
                currentFile = String(line.dropFirst(4))
            } else if line == "@@" {
                closeHunk()
            } else if line.hasPrefix(" ") {
                before.append(String(line.dropFirst()))
                after.append(String(line.dropFirst()))
            } else if line.hasPrefix("-") {
                before.append(String(line.dropFirst()))
            } else if line.hasPrefix("+") {
                after.append(String(line.dropFirst()))
            } else if !line.isEmpty {
                throw GradingError.invalidManifest("\(file.lastPathComponent): a hunk line must start with ' ', '-' or '+': \(line)")
            }
        }
        closeHunk()
        guard !breaks.isEmpty else {
            throw GradingError.invalidManifest("\(file.lastPathComponent) names no part it breaks (a line `breaks: <part> …`, or `breaks: none`)")
        }
        if breaks == ["none"] { breaks = [] }
        let files = file.deletingLastPathComponent().appendingPathComponent("\(name).files")
        return Variant(exercise: exercise, name: name, breaks: breaks, hunks: hunks,
                       replacementFiles: WorkCopy.isFolder(files) ? files : nil)
    }

    /// Every variant of the exercises `exercises` in `Grading/<E>/Variants/`, sorted by exercise order and name.
    public static func all(in repository: URL, exercises: [String]) throws -> [Variant] {
        try exercises.flatMap { exercise -> [Variant] in
            let folder = repository.appendingPathComponent("Grading/\(exercise)/Variants")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return try names.filter { $0.hasSuffix(".variant") }.sorted().map { try load(folder.appendingPathComponent($0), exercise: exercise) }
        }
    }

    /// Writes the reference of each of `exercises` (`Solutions/<E>` of `repository`: its top-level
    /// `.swift` files and assessment folder) into `folder`, laid out as a student hands them in.
    public static func writeReference(of exercises: [String], repository: URL, into folder: URL) throws {
        for exercise in exercises {
            try Variant(exercise: exercise, name: "reference", breaks: [], hunks: [], replacementFiles: nil)
                .write(reference: repository.appendingPathComponent("Solutions/\(exercise)"), into: folder)
        }
    }

    /// Writes the variant as a submission folder `folder/<exercise>/`: the reference's top-level
    /// `.swift` files and assessment folder from `reference` (`Solutions/<E>`), patched.
    public func write(reference: URL, into folder: URL) throws {
        let fileManager = FileManager.default
        let target = folder.appendingPathComponent(exercise)
        try? fileManager.removeItem(at: target)
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try fileManager.contentsOfDirectory(atPath: reference.path).sorted() where name.hasSuffix(".swift") {
            try fileManager.copyItem(at: reference.appendingPathComponent(name), to: target.appendingPathComponent(name))
        }
        let assessment = reference.appendingPathComponent(WorkCopy.assessmentFolder)
        if WorkCopy.isFolder(assessment) { try Shell.copy(assessment, to: target.appendingPathComponent(WorkCopy.assessmentFolder)) }
        for hunk in hunks {
            let url = target.appendingPathComponent(hunk.file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw GradingError.invalidManifest("variant \(exercise)/\(name) patches \(hunk.file), which the reference does not have")
            }
            let before = hunk.before.joined(separator: "\n"), after = hunk.after.joined(separator: "\n")
            let occurrences = text.components(separatedBy: before).count - 1
            guard occurrences == 1 else {
                throw GradingError.invalidManifest("variant \(exercise)/\(name): the lines it replaces occur \(occurrences) times in \(hunk.file), not once:\n\(before)")
            }
            try text.replacingOccurrences(of: before, with: after).write(to: url, atomically: true, encoding: .utf8)
        }
        if let replacementFiles {
            for relative in fileManager.subpaths(atPath: replacementFiles.path) ?? [] where !WorkCopy.isFolder(replacementFiles.appendingPathComponent(relative)) {
                let destination = target.appendingPathComponent(relative)
                try? fileManager.removeItem(at: destination)
                try fileManager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fileManager.copyItem(at: replacementFiles.appendingPathComponent(relative), to: destination)
            }
        }
    }
}
