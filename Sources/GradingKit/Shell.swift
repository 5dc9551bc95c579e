import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs helper programs (swift, cp, unzip) with a time limit, capturing their output in a file.
public enum Shell {
    /// What a finished command left behind.
    public struct Result: Sendable {
        /// The exit status (124 or 137 when the time limit stopped it; 128 + n after signal n).
        public var status: Int32
        /// The last part of its standard output (and error, unless kept apart), at most `outputLimit` characters.
        public var output: String
        /// The last part of its standard error when it was kept apart from the output, else "".
        public var errors: String
        /// True when the time limit stopped it.
        public var timedOut: Bool
    }

    /// Runs `arguments` in `directory` under `timeout`, which puts the command in its own process
    /// group and kills the whole group after `seconds`. With `memoryMegabytes`, the command runs
    /// under `prlimit --as`, so an allocation beyond that address space fails inside the command
    /// instead of swapping. `environment` is added to this process's environment.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        seconds: Int, memoryMegabytes: Int? = nil, outputLimit: Int = 20_000, separateErrors: Bool = false
    ) throws -> Result {
        let folder = try privateFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputPath = folder.appendingPathComponent("output").path
        let errorPath = separateErrors ? folder.appendingPathComponent("errors").path : outputPath
        let memoryLimit = memoryMegabytes.map { ["prlimit", "--as=\($0 * 1_048_576)", "--"] } ?? []
        let command = ["/usr/bin/env", "-C", directory.path, "/usr/bin/timeout", "--kill-after=5", "\(seconds)"] + memoryLimit + arguments
        let environmentLines = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let status = try spawnAndWait(command, environment: environmentLines,
                                      descriptors: [0: .read("/dev/null"), 1: .write(outputPath), 2: .write(errorPath)])
        return Result(status: status, output: tail(of: outputPath, limit: outputLimit),
                      errors: separateErrors ? tail(of: errorPath, limit: outputLimit) : "",
                      timedOut: status == 124 || status == 137)
    }

    /// Copies `source` to `destination` with `cp -a` (keeping times, so builds stay incremental).
    public static func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try run(["cp", "-a", source.path, destination.path], in: FileManager.default.temporaryDirectory, seconds: 120)
        guard result.status == 0 else { throw GradingError.commandFailed("cp \(source.path): \(result.output)") }
    }

    /// A new folder only this process's user can enter (mode 0700), under the temporary folder.
    public static func privateFolder(prefix: String = "grader") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }

    /// The last `limit` characters of the file at `path` (empty when it cannot be read).
    static func tail(of path: String, limit: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(limit * 4) ? size - UInt64(limit * 4) : 0
        try? handle.seek(toOffset: start)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return String(text.suffix(limit))
    }

    /// How a child's file descriptor is opened.
    public enum Descriptor: Sendable {
        /// The file, for reading.
        case read(String)
        /// The file, created or truncated, for writing (mode 0600).
        case write(String)
    }

    /// Starts `command` with `posix_spawn` with exactly the file descriptors in `descriptors`
    /// open (every other descriptor of this process is closed in the child, so a child never
    /// inherits a file another thread opened) and waits for it. Returns its exit status, or
    /// 128 + the signal that ended it.
    public static func spawnAndWait(_ command: [String], environment: [String], descriptors: [Int32: Descriptor]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var openedForWriting: [String: Int32] = [:]  // one open file description per path, shared by dup2
        for (descriptor, file) in descriptors.sorted(by: { $0.key < $1.key }) {
            switch file {
            case .read(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_RDONLY, 0)
            case .write(let path):
                if let first = openedForWriting[path] {
                    posix_spawn_file_actions_adddup2(&actions, first, descriptor)
                } else {
                    posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                    openedForWriting[path] = descriptor
                }
            }
        }
        closeInheritedDescriptors(&actions, from: (descriptors.keys.max() ?? 2) + 1)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard started == 0 else {
            throw GradingError.commandFailed("cannot start \(command.joined(separator: " ")): error \(started)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Adds to `actions` the closing of every descriptor from `lowest` up: with glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` where it exists (2.34 and later), else one close
    /// per descriptor this process has open now.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t, from lowest: Int32) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, lowest) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor >= lowest {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
