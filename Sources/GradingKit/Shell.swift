import Foundation

/// Runs helper programs (swift, cp, unzip) with a time limit, capturing their output in a file.
public enum Shell {
    /// What a finished command left behind.
    public struct Result: Sendable {
        /// The exit status (124 or 137 when the time limit stopped it).
        public var status: Int32
        /// The last part of its standard output and error, at most `outputLimit` characters.
        public var output: String
        /// True when the time limit stopped it.
        public var timedOut: Bool
    }

    /// Runs `arguments` in `directory` under `timeout`, which puts the command in its own process
    /// group and kills the whole group (test binaries included) after `seconds`.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        seconds: Int, outputLimit: Int = 20_000
    ) throws -> Result {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw GradingError.commandFailed("cannot create the log file \(logURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: logURL) }
        let log = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", "\(seconds)"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw GradingError.commandFailed("cannot start \(arguments.joined(separator: " ")): \(error)")
        }
        process.waitUntilExit()
        try? log.close()
        let data = (try? Data(contentsOf: logURL)) ?? Data()
        let text = String(decoding: data.suffix(outputLimit * 4), as: UTF8.self)
        let status = process.terminationStatus
        return Result(status: status, output: String(text.suffix(outputLimit)), timedOut: status == 124 || status == 137)
    }

    /// Copies `source` to `destination` with `cp -a` (keeping times, so builds stay incremental).
    public static func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try run(["cp", "-a", source.path, destination.path], in: FileManager.default.temporaryDirectory, seconds: 120)
        guard result.status == 0 else { throw GradingError.commandFailed("cp \(source.path): \(result.output)") }
    }
}
