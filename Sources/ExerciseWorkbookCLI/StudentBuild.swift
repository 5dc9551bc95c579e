import Foundation

/// Builds the student workbook from the student's files (`MAML_IMPLEMENTATION=exercises`) into
/// its own build folder and runs that program, for `--impl student`.
enum StudentBuild {
    /// Set in the environment of the program started from the student build, so that it never
    /// starts another build.
    static let marker = "MAML_WORKBOOK_STUDENT_BUILD"
    /// The build folder of the student variant, inside the package (SwiftPM's `--scratch-path`):
    /// its own folder, because `--skip-build` after switching variants would reuse the wrong binary.
    static let folderName = ".build-student"

    /// Why the student build could not be made or run.
    enum Failure: Error, CustomStringConvertible {
        /// No MAMLWorkbook package above the current folder or the program's source.
        case packageNotFound(searched: [String])
        /// The student's files do not compile; the compiler's errors and the files they name.
        case compileErrors(errors: [String], files: [String], log: String)
        /// `swift build` failed for another reason (its last lines).
        case buildFailed(status: Int32, tail: String, log: String)
        /// The program started from the student build was not built from the student's files.
        case notStudentBuild(String)

        var description: String {
            switch self {
            case .packageNotFound(let searched):
                return "cannot find the MAMLWorkbook package (a Package.swift beside an Exercises/Support folder) "
                    + "in \(searched.joined(separator: " or ")) or any folder above; run the command inside the package"
            case .compileErrors(let errors, let files, let log):
                return "the student's exercise files do not compile; fix \(files.isEmpty ? "the errors below" : files.joined(separator: ", ")):\n"
                    + errors.joined(separator: "\n") + "\n(full compiler output: \(log))"
            case .buildFailed(let status, let tail, let log):
                return "building the student's exercises failed (swift build exited with \(status)); its last lines:\n\(tail)\n(full output: \(log))"
            case .notStudentBuild(let path):
                return "\(path) was not built from the student's files (MAML_IMPLEMENTATION=exercises); delete \(folderName) and retry"
            }
        }
    }

    /// The package root: the first folder, from the current directory upwards and then from this
    /// source file upwards, holding a Package.swift and an `Exercises/Support` folder.
    static func packageRoot(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                            source: URL = URL(fileURLWithPath: #filePath)) throws -> URL {
        for origin in [start, source.deletingLastPathComponent()] {
            var folder = origin.standardizedFileURL
            while true {
                if isPackageRoot(folder) { return folder }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw Failure.packageNotFound(searched: [start.path, source.deletingLastPathComponent().path])
    }

    /// Whether `folder` holds this package: a `Package.swift` beside `Exercises/Support`, the folder
    /// only this course's package has.
    static func isPackageRoot(_ folder: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent("Exercises/Support").path, isDirectory: &isFolder)
            && isFolder.boolValue
    }

    /// The product built and run: the student workbook's name beside the lecture workbook.
    static let product = "exercise-workbook"

    /// Builds the student variant (debug, like the exercises' own checks) into `<root>/.build-student`
    /// and returns the path of its program; `say` reports progress. `swift build` runs every time,
    /// so an edited exercise file is always compiled before its chapter runs.
    static func build(root: URL, say: (String) -> Void) throws -> URL {
        let scratch = root.appendingPathComponent(folderName)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let log = scratch.appendingPathComponent("build.log")
        say("Building the workbook from the student's files in \(root.appendingPathComponent("Exercises").path) "
            + "(into \(scratch.path); the first build takes a few minutes)...")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--product", product, "--package-path", root.path, "--scratch-path", scratch.path]
        var environment = ProcessInfo.processInfo.environment
        environment["MAML_IMPLEMENTATION"] = "exercises"
        environment["MAML_GRADING_ONLY"] = nil
        environment["MAML_EXERCISES"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let start = Date()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try data.write(to: log)
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw failure(output: text, status: process.terminationStatus, log: log.path)
        }
        say(String(format: "Built in %.0f s.", Date().timeIntervalSince(start)))
        return scratch.appendingPathComponent("debug").appendingPathComponent(product)
    }

    /// The failure a build's output shows: compile errors (with the files they name) or the last lines.
    static func failure(output: String, status: Int32, log: String) -> Failure {
        let lines = output.split(separator: "\n").map(String.init)
        var seen = Set<String>()
        let errors = lines.filter { $0.contains(": error:") && seen.insert($0).inserted }
        guard !errors.isEmpty else {
            return .buildFailed(status: status, tail: lines.suffix(30).joined(separator: "\n"), log: log)
        }
        let files = errors.compactMap { line -> String? in
            guard let range = line.range(of: "/Exercises/") else { return nil }
            let path = line[range.lowerBound...].split(separator: ":").first.map(String.init) ?? ""
            return "Exercises/" + path.dropFirst("/Exercises/".count)
        }
        var unique = Set<String>()
        return .compileErrors(errors: errors, files: files.filter { unique.insert($0).inserted }, log: log)
    }

    /// Runs `program` with `arguments` and the marker, sharing this terminal; returns its exit
    /// status. A crash (a trap in an exercise function: `fatalError`, a failed precondition such
    /// as mismatched tensor shapes) is reported as such, with 128 + the signal as the status.
    static func run(_ program: URL, arguments: [String], say: (String) -> Void) throws -> Int32 {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([marker: "1"]) { $1 }
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .uncaughtSignal else { return process.terminationStatus }
        say("The workbook built from the student's files crashed (signal \(process.terminationStatus)): the exercise function "
            + "it ran after the last line above trapped (fatalError, a failed precondition such as mismatched shapes, an index "
            + "out of range). Run that exercise's visible checks to find it.")
        return 128 + process.terminationStatus
    }
}
