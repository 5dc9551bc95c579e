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

    /// True for the lines of a stack listing (shown as a location instead).
    public static func isFrameLine(_ line: Substring) -> Bool {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        return fields.count >= 4 && Int(fields[0]) != nil && fields[2].hasPrefix("0x")
            || line.hasPrefix("Current stack trace:") || line.contains("Stack dump:")
    }

    /// `Exercises/<E>/File.swift:12` of the innermost frame of `log` in one of exercise `exercise`'s
    /// files (its own files before its given code), or nil when none is found.
    public static func studentLocation(log: String, program: URL, exercise: String) -> String? {
        let offsets = frames(in: log, image: program.lastPathComponent).map { "0x" + String($0.offset, radix: 16) }
        guard !offsets.isEmpty, let symbolizer = symbolizer() else { return nil }
        guard let result = try? Shell.run([symbolizer, "--obj=\(program.path)"] + offsets, in: program.deletingLastPathComponent(),
                                          seconds: 60, separateErrors: true), result.status == 0 else { return nil }
        let locations = result.output.split(separator: "\n").filter { $0.contains(".swift:") }
            .compactMap { line -> String? in
                guard let range = line.range(of: "/Exercises/\(exercise)/") else { return nil }
                let relative = "Exercises/\(exercise)/" + line[range.upperBound...]
                let parts = relative.split(separator: ":")
                return parts.count >= 2 ? "\(parts[0]):\(parts[1])" : nil
            }
        return locations.first { !$0.contains("/Given/") } ?? locations.first
    }

    /// `llvm-symbolizer` from the PATH or from the Swift toolchain beside `swift`.
    static func symbolizer() -> String? {
        let candidates = ["/usr/bin/llvm-symbolizer"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/llvm-symbolizer" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
