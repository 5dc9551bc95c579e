import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// group and kills the whole group (test binaries included) after `seconds`. With
    /// `memoryMegabytes`, the command runs under `prlimit --as`, so an allocation beyond that
    /// address space fails inside the command (which then usually crashes) instead of swapping.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        seconds: Int, memoryMegabytes: Int? = nil, outputLimit: Int = 20_000
    ) throws -> Result {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw GradingError.commandFailed("cannot create the log file \(logURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: logURL) }
        let memoryLimit = memoryMegabytes.map { ["prlimit", "--as=\($0 * 1_048_576)", "--"] } ?? []
        let command = ["/usr/bin/env", "-C", directory.path, "/usr/bin/timeout", "--kill-after=5", "\(seconds)"] + memoryLimit + arguments
        let environmentLines = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let status = try spawnAndWait(command, environment: environmentLines, log: logURL.path)
        let data = (try? Data(contentsOf: logURL)) ?? Data()
        let text = String(decoding: data.suffix(outputLimit * 4), as: UTF8.self)
        return Result(status: status, output: String(text.suffix(outputLimit)), timedOut: status == 124 || status == 137)
    }

    /// Copies `source` to `destination` with `cp -a` (keeping times, so builds stay incremental).
    public static func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try run(["cp", "-a", source.path, destination.path], in: FileManager.default.temporaryDirectory, seconds: 120)
        guard result.status == 0 else { throw GradingError.commandFailed("cp \(source.path): \(result.output)") }
    }

    /// Starts `command` with `posix_spawn` (output to `log`, input from /dev/null) and waits for it with `waitpid`; returns its exit status, or
    /// 128 + the signal that ended it.
    static func spawnAndWait(_ command: [String], environment: [String], log: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, command[0], &actions, nil, argv, envp)  // `env -C` sets the directory
        guard started == 0 else {
            throw GradingError.commandFailed("cannot start \(command.joined(separator: " ")): error \(started)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
