import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where student code runs: a process tree that cannot write anything of the grader's, see its
/// files or outlive its part.
///
/// Three levels, chosen by what the machine allows (`detect`), strongest first:
/// - **namespaces**: bubblewrap gives the probe its own mount, PID, network, IPC and user
///   namespaces: it sees only the system's read-only program folders and its own binary, has an
///   empty private `/tmp`, no network, and dies with its parent (every process it started dies
///   with the namespace). When the grader is root it also runs as a dedicated unprivileged user.
/// - **unprivileged user**: (a root grader where namespaces are refused, as in Gradescope's
///   Docker containers) the probe runs as a dedicated user id that owns nothing; the grader's
///   folders are private to root (mode 0700), so it can read and write only its own empty home
///   folder, and every process of that user id is killed after each part.
///   Probes that run at the same time (two exercises side by side, two students at once) run as
///   different user ids, so that the sweep after one part never touches a part still running.
/// - **none**: a grader that is neither root nor allowed namespaces runs the probe as itself,
///   with the time, memory and file-size limits only. The results say so.
///
/// Every level adds limits from outside the process: wall time (`timeout`), address space,
/// file size and process count (`prlimit`), no core files, and a cleared environment.
public final class Sandbox: @unchecked Sendable {
    /// The protection in force.
    public enum Isolation: String, Sendable, CaseIterable {
        /// bubblewrap namespaces (and a dedicated user id when the grader is root).
        case namespaces
        /// A dedicated unprivileged user id, without namespaces.
        case user
        /// No isolation: limits only.
        case none
    }

    /// The protection in force.
    public let isolation: Isolation
    /// The dedicated user id the probes run as, when the grader switches users (a probe started
    /// while another runs gets a further id of its own).
    public let userID: UInt32?
    /// Folders of the Swift runtime libraries the probes link against (mounted read-only in namespaces).
    public let runtimeLibraryFolders: [String]
    /// The user ids this sandbox holds (`userID` first), reserved for it while it lives.
    private let users: UserIDs?
    /// Every user id probes of this sandbox have run as so far (empty when it does not switch users).
    public var userIDs: [UInt32] { users?.all ?? [] }

    /// The strongest protection this machine allows, or `forced` (`MAML_GRADER_SANDBOX=namespaces|user|none`)
    /// when it is available; throws when a forced level is not.
    public static func detect(forced: Isolation? = nil) throws -> Sandbox {
        let root = geteuid() == 0
        let runtime = runtimeFolders()
        var reservation: (id: UInt32, lock: Int32)?
        if root && (forced ?? .namespaces) != .none {
            reservation = try reserveUserID()
        }
        let namespacesWork = (forced ?? .namespaces) == .namespaces && bubblewrapWorks(userID: reservation?.id, runtime: runtime)
        let isolation: Isolation
        switch forced {
        case .namespaces?:
            guard namespacesWork else { throw GradingError.commandFailed("the namespace sandbox (bubblewrap) does not work on this machine") }
            isolation = .namespaces
        case .user?:
            guard root else { throw GradingError.commandFailed("the unprivileged-user sandbox needs the grader to run as root") }
            isolation = .user
        case .none?:
            isolation = .none
        case nil:
            isolation = namespacesWork ? .namespaces : (root ? .user : .none)
        }
        if isolation == .none, let reservation { close(reservation.lock); return Sandbox(isolation: .none, userID: nil, runtime: runtime, lock: nil) }
        return Sandbox(isolation: isolation, userID: reservation?.id, runtime: runtime, lock: reservation?.lock)
    }

    private init(isolation: Isolation, userID: UInt32?, runtime: [String], lock: Int32?) {
        self.isolation = isolation
        self.userID = userID
        self.runtimeLibraryFolders = runtime
        self.users = userID.map { UserIDs(first: $0, lock: lock) }
    }

    /// The level from `MAML_GRADER_SANDBOX`, or nil to choose the strongest.
    public static func forcedIsolation(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Isolation? {
        guard let value = environment["MAML_GRADER_SANDBOX"], !value.isEmpty else { return nil }
        guard let isolation = Isolation(rawValue: value) else {
            throw GradingError.invalidConfig("MAML_GRADER_SANDBOX must be namespaces, user or none, got \(value)")
        }
        return isolation
    }

    /// The protection in words, for the results.
    public var description: String {
        switch isolation {
        case .namespaces:
            "student code ran in bubblewrap namespaces (no network, private /tmp, read-only system folders only"
                + (userID.map { ", as unprivileged user \($0))" } ?? ")")
        case .user:
            "student code ran as unprivileged user \(userID ?? 0) (no namespaces on this machine: network not isolated)"
        case .none:
            "student code ran as the grader's own user with time and memory limits only (run the grader as root or install bubblewrap for isolation)"
        }
    }

    /// Limits for one probe run.
    public struct Limits: Sendable {
        /// Wall-clock seconds.
        public var seconds: Int
        /// Address space in MiB (nil: none).
        public var memoryMegabytes: Int?
        /// Largest file the probe may write, in MiB (its report and output included).
        public var fileMegabytes: Int = 64
        /// Processes the probe's user may have at once (enforced for a dedicated user id).
        public var processes: Int = 64

        /// Limits of `seconds` of wall-clock time and `memoryMegabytes` of address space (nil: none).
        public init(seconds: Int, memoryMegabytes: Int?) {
            (self.seconds, self.memoryMegabytes) = (seconds, memoryMegabytes)
        }
    }

    /// Runs `binary part` in the sandbox with the inputs file on standard input, the output (and
    /// error) into `log` and the report channel (descriptor 3) into `report`; `home` is a new
    /// empty folder the probe may write (created here). Returns the exit status and whether the
    /// time limit stopped it. Every process the probe started is gone when this returns.
    public func run(binary: URL, arguments: [String], inputs: URL, report: URL, log: URL,
                    staging: URL, limits: Limits) throws -> (status: Int32, timedOut: Bool, leftover: Int) {
        let userID = try users?.take()
        defer { if let userID { users?.give(back: userID) } }
        let fileManager = FileManager.default
        // The binary is copied where the probe's user can read it, and nothing else is there.
        let binaries = staging.appendingPathComponent("bin")
        let home = staging.appendingPathComponent("home")
        try fileManager.createDirectory(at: binaries, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try fileManager.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fileManager.setAttributes([.posixPermissions: 0o711], ofItemAtPath: staging.path)
        let program = binaries.appendingPathComponent(binary.lastPathComponent)
        if !fileManager.fileExists(atPath: program.path) {
            try fileManager.copyItem(at: binary, to: program)
            try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        }
        if let userID { guard chown(home.path, userID, userID) == 0 else { throw GradingError.commandFailed("cannot give \(home.path) to user \(userID)") } }

        let limit = ["/usr/bin/prlimit", "--as=\(limits.memoryMegabytes.map { String($0 * 1_048_576) } ?? "unlimited")",
                     "--fsize=\(limits.fileMegabytes * 1_048_576)", "--nproc=\(limits.processes)", "--core=0", "--"]
        let switchUser = userID.map { ["/usr/bin/setpriv", "--reuid=\($0)", "--regid=\($0)", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"] } ?? []
        let environment = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"]
        let command: [String]
        switch isolation {
        case .namespaces:
            command = switchUser + bubblewrapCommand(runtime: runtimeLibraryFolders) + [
                "--ro-bind", binaries.path, "/probe", "--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--",
                "/probe/\(binary.lastPathComponent)"] + arguments
        case .user, .none:
            command = switchUser + ["/usr/bin/env", "-i", "-C", home.path] + environment + ["HOME=\(home.path)", "TMPDIR=\(home.path)",
                                                                                              program.path] + arguments
        }
        let status = try Shell.spawnAndWait(
            ["/usr/bin/timeout", "--signal=KILL", "\(limits.seconds)"] + limit + command, environment: environment,
            descriptors: [0: .read(inputs.path), 1: .write(log.path), 2: .write(log.path), 3: .write(report.path)])
        let leftover = sweep(userID)
        return (status, status == 124 || status == 137, leftover)
    }

    /// The first of `folders` that another user could read, following the permissions of every
    /// folder on the way from `/`; nil when none is reachable. Without namespaces, the probe's
    /// user is such an other user.
    public static func readableByOthers(_ folders: [URL]) -> URL? {
        folders.first { folder in
            guard FileManager.default.fileExists(atPath: folder.path) else { return false }
            var path = URL(fileURLWithPath: "/")
            for component in folder.standardizedFileURL.pathComponents.dropFirst() {
                guard mode(path) & 0o001 != 0 else { return false }
                path.appendPathComponent(component)
            }
            return mode(folder) & 0o005 != 0
        }
    }

    /// The permission bits of `url`, following links.
    static func mode(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
    }

    /// Kills every process of the dedicated user id (a probe that escaped its process group, say)
    /// and returns how many are still there afterwards (0 unless one could not be killed).
    /// Without namespaces it also deletes every file the user id left in the machine's shared
    /// writable folders (`/tmp`, `/var/tmp`, `/dev/shm`), so nothing a probe wrote outlives it.
    @discardableResult
    public func sweep() -> Int { sweep(userID) }

    /// `sweep()` for one of the sandbox's user ids.
    func sweep(_ userID: UInt32?) -> Int {
        guard let userID else { return 0 }
        var left = Self.processes(ofUser: userID).count
        for _ in 0..<20 where left > 0 {
            Self.processes(ofUser: userID).forEach { kill($0, SIGKILL) }
            usleep(20_000)
            left = Self.processes(ofUser: userID).count
        }
        if isolation == .user {
            for folder in Self.sharedWritableFolders { Self.removeFiles(ownedBy: userID, in: URL(fileURLWithPath: folder)) }
        }
        return left
    }

    /// The folders any user may write to on a Linux machine.
    static let sharedWritableFolders = ["/tmp", "/var/tmp", "/dev/shm"]

    /// Deletes every entry under `folder` (at any depth) whose owner is `userID`.
    static func removeFiles(ownedBy userID: UInt32, in folder: URL) {
        let fileManager = FileManager.default
        guard let entries = try? fileManager.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in entries {
            let url = folder.appendingPathComponent(entry)
            var status = stat()
            guard lstat(url.path, &status) == 0 else { continue }
            if status.st_uid == userID { try? fileManager.removeItem(at: url); continue }
            // Only folders every user may enter can hold the user's files deeper down.
            if status.st_mode & S_IFMT == S_IFDIR && status.st_mode & 0o003 == 0o003 { removeFiles(ownedBy: userID, in: url) }
        }
    }

    /// The ids of the live processes whose real user id is `userID`, read from /proc. Zombies (dead
    /// processes waiting for their parent to collect them, such as the sandbox's init just after it
    /// ended) hold nothing and cannot be signalled, so they are not counted.
    public static func processes(ofUser userID: UInt32) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8) else { return nil }
            let lines = status.split(separator: "\n")
            guard let uid = lines.first(where: { $0.hasPrefix("Uid:") }),
                  let state = lines.first(where: { $0.hasPrefix("State:") }), !state.contains("Z") else { return nil }
            let ids = uid.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
            return ids.first.flatMap { UInt32($0) } == userID ? pid : nil
        }
    }

    /// bubblewrap with every namespace unshared, the system's program folders read-only, a
    /// private /tmp, /proc of its own PID namespace, and nothing else of the host.
    func bubblewrapCommand(runtime: [String]) -> [String] {
        var command = ["/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
                       "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8",
                       "--ro-bind", "/usr", "/usr", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: top) {
                command += ["--symlink", target, top]
            } else if FileManager.default.fileExists(atPath: top) {
                command += ["--ro-bind", top, top]
            }
        }
        // The dynamic linker's cache and the alternatives links (OpenBLAS is found through them).
        for path in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives"] {
            command += ["--ro-bind-try", path, path]
        }
        for folder in runtime where !folder.hasPrefix("/usr/") {
            command += ["--ro-bind", folder, folder]
        }
        return command
    }

    /// True when bubblewrap runs `/bin/true` with this sandbox's options (as `userID` when given).
    static func bubblewrapWorks(userID: UInt32?, runtime: [String]) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") else { return false }
        let probe = Sandbox(isolation: .namespaces, userID: userID, runtime: runtime, lock: nil)
        let switchUser = userID.map { ["/usr/bin/setpriv", "--reuid=\($0)", "--regid=\($0)", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"] } ?? []
        let command = ["/usr/bin/timeout", "20"] + switchUser + probe.bubblewrapCommand(runtime: runtime) + ["--", "/bin/true"]
        let status = try? Shell.spawnAndWait(command, environment: ["PATH=/usr/bin:/bin"],
                                             descriptors: [0: .read("/dev/null"), 1: .write("/dev/null"), 2: .write("/dev/null")])
        return status == 0
    }

    /// Reserves a user id from 61000 to 61999 that no other grader on this machine holds (an
    /// exclusive lock on `/tmp/maml-grader-user-<id>.lock`, held while this sandbox lives), so a
    /// sweep never touches another grader's probes.
    static func reserveUserID() throws -> (id: UInt32, lock: Int32) {
        for id in UInt32(61_000)..<UInt32(62_000) {
            let descriptor = open("/tmp/maml-grader-user-\(id).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { continue }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return (id, descriptor) }
            close(descriptor)
        }
        throw GradingError.commandFailed("no free user id in 61000...61999 for the sandbox")
    }

    /// The Swift runtime's library folders (`swift -print-target-info`), which probes link against.
    static func runtimeFolders() -> [String] {
        guard let info = try? Shell.run(["swift", "-print-target-info"], in: FileManager.default.temporaryDirectory, seconds: 60,
                                        separateErrors: true),
              info.status == 0,
              let json = try? JSONSerialization.jsonObject(with: Data(info.output.utf8)) as? [String: Any],
              let paths = (json["paths"] as? [String: Any])?["runtimeLibraryPaths"] as? [String] else { return [] }
        return paths.filter { FileManager.default.fileExists(atPath: $0) }
    }
}

/// The user ids one sandbox holds: a probe takes a free one for its run and gives it back after
/// the sweep; when every held id is in use, one more is reserved (`Sandbox.reserveUserID`) and
/// kept until the sandbox goes.
private final class UserIDs: @unchecked Sendable {
    private let mutex = NSLock()
    private var free: [UInt32]
    private var locks: [Int32]
    private var held: [UInt32]

    init(first: UInt32, lock: Int32?) {
        free = [first]
        held = [first]
        locks = lock.map { [$0] } ?? []
    }

    /// Every id held, the first one first.
    var all: [UInt32] { mutex.withLock { held } }

    deinit { locks.forEach { close($0) } }

    /// A user id no running probe of this sandbox has.
    func take() throws -> UInt32 {
        if let id = mutex.withLock({ free.popLast() }) { return id }
        let reservation = try Sandbox.reserveUserID()
        mutex.withLock {
            locks.append(reservation.lock)
            held.append(reservation.id)
        }
        return reservation.id
    }

    /// Returns `id` for later probes; the lowest free id is handed out first (`userID` whenever free).
    func give(back id: UInt32) {
        mutex.withLock {
            free.append(id)
            free.sort(by: >)
        }
    }
}
