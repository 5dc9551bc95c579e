import Foundation

/// Where a crash happened in the student's code: the Swift runtime prints the failed check
/// ("Fatal error: Index out of range") and a stack of return addresses; the addresses inside the
/// probe program are looked up in its debug information (`llvm-symbolizer`) and the first frame
/// in one of the exercise's own files gives the file and line to show.
public enum CrashReport {
    /// One frame of the runtime's stack: the image and the offset inside it.
    public struct Frame: Equatable, Sendable {
        /// The image (program or library) the address lies in.
        public var image: String
        /// The address's offset from the image's start.
        public var offset: UInt64
    }

    /// The frames of `log` that lie in `image`, innermost first: lines such as
    /// `7    GDStepProbes    0x00005570cdddaf84 <unavailable> + 302980`.
    public static func frames(in log: String, image: String) -> [Frame] {
        log.split(separator: "\n").compactMap { line -> Frame? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, Int(fields[0]) != nil, fields[1] == image, fields[fields.count - 2] == "+",
                  let offset = UInt64(fields[fields.count - 1]) else { return nil }
            return Frame(image: String(fields[1]), offset: offset)
        }
    }

    /// True for the lines of a stack listing (shown as a location instead): the runtime's plain
    /// frames (`7  GDStepProbes  0x… <unavailable> + 302980`), the backtracer's frames
    /// (`1 [ra]  0x… gdStep(_:_:stepSize:) + 209 in GDStepProbes at /…/GDStep.swift:14:5`) and
    /// the headers around them.
    public static func isFrameLine(_ line: Substring) -> Bool {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let plainFrame = fields.count >= 4 && Int(fields[0]) != nil && fields[2].hasPrefix("0x")
        let backtracerFrame = fields.count >= 3 && Int(fields[0]) != nil && fields.contains { $0.hasPrefix("0x") } && line.contains(" in ")
        let header = line.hasPrefix("Current stack trace:") || line.contains("Stack dump:") || line.hasPrefix("***")
            || line.hasPrefix("Thread ") || line.hasPrefix("Platform: ") || line.hasPrefix("Registers:") || line.hasPrefix("Images ")
            || line.hasPrefix("swift-runtime: ") || line.trimmingCharacters(in: .whitespaces) == "..."
        return plainFrame || backtracerFrame || header
    }

    /// `Exercises/<E>/File.swift:12` of the innermost frame of `log` in one of exercise `exercise`'s
    /// files (its own files before its given code), or nil when none is found.
    ///
    /// Three sources, the most precise first: the runtime backtracer's frames, which name each
    /// frame's file and line; the plain frames' offsets looked up in `program`'s debug information;
    /// and the place a `fatalError`, `precondition` or forced unwrap in the student's own code
    /// names in its message (`GDStep/GDStep.swift:14: Fatal error: …`).
    public static func studentLocation(log: String, program: URL, exercise: String) -> String? {
        let traced = pick(backtracerLocations(in: log, exercise: exercise))
        return traced ?? symbolizedLocation(log: log, program: program, exercise: exercise) ?? messageLocation(in: log, exercise: exercise)
    }

    /// The student's own file first, else the given code.
    private static func pick(_ locations: [String]) -> String? {
        locations.first { !$0.contains("/Given/") } ?? locations.first
    }

    /// `Exercises/<E>/…:line` of every frame line whose source path lies in the exercise's folder.
    static func backtracerLocations(in log: String, exercise: String) -> [String] {
        log.split(separator: "\n").compactMap { line -> String? in
            guard isFrameLine(line), let at = line.range(of: " at ", options: .backwards) else { return nil }
            return exerciseRelative(line[at.upperBound...], exercise: exercise)
        }
    }

    /// The plain frames' offsets in `program`, looked up with `llvm-symbolizer`.
    private static func symbolizedLocation(log: String, program: URL, exercise: String) -> String? {
        let offsets = frames(in: log, image: program.lastPathComponent).map { "0x" + String($0.offset, radix: 16) }
        guard !offsets.isEmpty, let symbolizer = symbolizer() else { return nil }
        guard let result = try? Shell.run([symbolizer, "--obj=\(program.path)"] + offsets, in: program.deletingLastPathComponent(),
                                          seconds: 60, separateErrors: true), result.status == 0 else { return nil }
        return pick(result.output.split(separator: "\n").compactMap { exerciseRelative($0, exercise: exercise) })
    }

    /// The place a trap's message names when it lies in the exercise's module
    /// (`<E>/File.swift:14: Fatal error: …`, the form `#fileID` gives).
    static func messageLocation(in log: String, exercise: String) -> String? {
        for line in log.split(separator: "\n") where line.hasPrefix("\(exercise)/") {
            let parts = line.split(separator: ":", maxSplits: 2)
            guard parts.count == 3, parts[0].hasSuffix(".swift"), Int(parts[1]) != nil,
                  parts[2].contains("Fatal error") || parts[2].contains("Precondition failed") || parts[2].contains("Assertion failed")
            else { continue }
            return "Exercises/\(parts[0]):\(parts[1])"
        }
        return nil
    }

    /// `Exercises/<E>/<rest>:<line>` from a path-and-line text holding `/Exercises/<E>/`.
    private static func exerciseRelative(_ text: Substring, exercise: String) -> String? {
        guard let range = text.range(of: "/Exercises/\(exercise)/") else { return nil }
        let parts = ("Exercises/\(exercise)/" + text[range.upperBound...]).split(separator: ":")
        guard parts.count >= 2, Int(parts[1]) != nil else { return nil }
        return "\(parts[0]):\(parts[1])"
    }

    /// `llvm-symbolizer` from the PATH or from the Swift toolchain beside `swift`.
    static func symbolizer() -> String? {
        let candidates = ["/usr/bin/llvm-symbolizer"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/llvm-symbolizer" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
