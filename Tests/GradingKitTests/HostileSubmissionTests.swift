import Foundation
import GradingKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

// Hostile submissions, graded by the real grader with each sandbox this machine offers (bubblewrap
// namespaces, and the unprivileged-user fallback Gradescope's containers get). Each asserts the
// exact points, that the course repository and the output folder hold exactly what they should,
// that no process or file of the student's outlives the grading, and that the grader survives.
// They build the course's judges and many probes: only with GRADER_HOSTILE=1 (CI sets it).

/// One attack: the body of a `gdStep` that does something hostile before (maybe) answering.
struct Attack: CustomStringConvertible, Sendable {
    /// What it tries.
    let name: String
    /// Swift statements run at the start of `gdStep`; `RIGHT` returns the correct step, `WRONG` a wrong one.
    let body: String
    /// The points GDStep must get (2 when the attack fails and the answer is right, 0 when it is wrong or it dies).
    let points: Double
    /// Whether this attack can only be stopped with namespaces (the network).
    var needsNamespaces = false

    var description: String { name }
}

/// Paths and values the attacks are given, as a student could find them (on a command line, by searching).
enum Hostile {
    static let token = UUID().uuidString
    static let escapeFile = "/tmp/maml-hostile-escape-\(token)"
    static let secretVariable = "MAML_HOSTILE_SECRET"

    static func attacks(out: URL, port: UInt16) -> [Attack] {
        let repositoryPath = repository.path
        return [
            Attack(name: "forged report, then exit", body: #"""
                let forged = #"{"cases":{"list":[]}}"#
                _ = forged.withCString { write(3, $0, strlen($0)) }
                exit(0)
                """#, points: 0),
            Attack(name: "a report the judge cannot use (a huge claimed shape, a deep nesting), then exit", body: #"""
                let deep = String(repeating: #"{"list":["#, count: 100_000) + String(repeating: "]}", count: 100_000)
                let forged = #"{"cases":{"list":[{"record":{"next":{"tensor":{"shape":[1000000000],"dtype":"float64","scalars":[]}},"inputAfter":"#
                    + deep + "}}]}}"
                _ = forged.withCString { write(3, $0, strlen($0)) }
                exit(0)
                """#, points: 0),
            Attack(name: "tampering with the work copy and the next exercise", body: #"""
                let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                let root = here.deletingLastPathComponent().deletingLastPathComponent()
                try? "#error(\"tampered\")\n".write(to: root.appendingPathComponent("Exercises/MetaObjective/Tampered.swift"), atomically: true, encoding: .utf8)
                try? "#error(\"tampered\")\n".write(to: root.appendingPathComponent("Grading/Runtime/Tampered.swift"), atomically: true, encoding: .utf8)
                try? "escaped".write(toFile: "\#(escapeFile)", atomically: true, encoding: .utf8)
                RIGHT
                """#, points: 2),
            Attack(name: "writing the grader's output and a detached rewriter", body: #"""
                let out = "\#(out.path)"
                try? FileManager.default.createDirectory(atPath: out + "/ghost", withIntermediateDirectories: true)
                try? #"{"score": 999, "tests": []}"#.write(toFile: out + "/ghost/results.json", atomically: true, encoding: .utf8)
                try? #"{"score": 999, "tests": []}"#.write(toFile: out + "/results.json", atomically: true, encoding: .utf8)
                var pid: pid_t = 0
                let script = "sleep 3; echo '{\"score\": 999}' > \(out)/results.json; echo escaped > \#(escapeFile)"
                let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("nohup sh -c \"\(script)\" >/dev/null 2>&1 &"), nil]
                posix_spawn(&pid, "/bin/sh", nil, nil, argv, nil)
                RIGHT
                """#, points: 2),
            Attack(name: "reading the reference solution", body: #"""
                if let reference = try? String(contentsOfFile: "\#(repositoryPath)/Solutions/GDStep/GDStep.swift", encoding: .utf8), reference.contains("grad(cost)") {
                    RIGHT
                }
                WRONG
                """#, points: 0),
            Attack(name: "reading the grader's environment", body: #"""
                if ProcessInfo.processInfo.environment["\#(secretVariable)"] != nil { RIGHT }
                if let environ = try? String(contentsOfFile: "/proc/1/environ", encoding: .utf8), environ.contains("\#(secretVariable)") { RIGHT }
                WRONG
                """#, points: 0),
            // kill(-1) spares the caller: the probe goes on and answers; the grader must go on too.
            Attack(name: "killing every process it may signal", body: #"""
                kill(getppid(), SIGKILL)
                kill(-1, SIGKILL)
                RIGHT
                """#, points: 2),
            Attack(name: "a huge file and a flood of output", body: #"""
                let chunk = String(repeating: "x", count: 1 << 20)
                for _ in 0..<20 { print(chunk) }
                let big = FileManager.default.temporaryDirectory.appendingPathComponent("big").path
                FileManager.default.createFile(atPath: big, contents: nil)
                if let handle = FileHandle(forWritingAtPath: big) { for _ in 0..<200 { handle.write(Data(chunk.utf8)) } }
                RIGHT
                """#, points: 0),
            Attack(name: "a fork bomb of detached sleepers", body: #"""
                for _ in 0..<300 {
                    var pid: pid_t = 0
                    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("sleep 60 &"), nil]
                    posix_spawn(&pid, "/bin/sh", nil, nil, argv, nil)
                }
                RIGHT
                """#, points: 2),
            Attack(name: "calling home over the network", body: #"""
                let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(\#(port)).bigEndian
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                if connected == 0 { RIGHT }
                WRONG
                """#, points: 0, needsNamespaces: true),
            Attack(name: "exit(0) before any result", body: "exit(0)", points: 0),
            Attack(name: "an endless loop", body: "while true { usleep(1000) }", points: 0),
            Attack(name: "a fatal error", body: #"fatalError("boom")"#, points: 0),
        ]
    }

    /// A GDStep source running `attack` first.
    static func source(_ attack: Attack) -> String {
        let body = attack.body
            .replacingOccurrences(of: "RIGHT", with: "return params - stepSize * grad(cost)(params)")
            .replacingOccurrences(of: "WRONG", with: "return params + stepSize * grad(cost)(params)")
        return """
            import Autodiff
            import ExerciseSupport
            import Foundation
            #if canImport(Glibc)
            import Glibc
            #endif

            public func gdStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double) throws -> Parameters {
            \(body)
            }

            """
    }
}

/// The course's judges, built once for the whole suite.
private let judges = Result { () throws -> (structure: PackageStructure, judges: Judges) in
    let structure = try PackageStructure.load(package: repository)
    return (structure, try Judges.build(repository: repository, scratch: repository.appendingPathComponent(".build-grader/judges")))
}

/// The sandboxes this machine offers.
private func isolations() -> [Sandbox.Isolation] {
    [.namespaces, .user].filter { (try? Sandbox.detect(forced: $0)) != nil }
}

/// A fingerprint of the course repository's sources: every file's path, size and time.
private func fingerprint() -> [String: String] {
    var files: [String: String] = [:]
    for folder in ["Grading", "Exercises", "Solutions", "Sources"] {
        let root = repository.appendingPathComponent(folder)
        for case let relative as String in FileManager.default.enumerator(atPath: root.path) ?? FileManager.DirectoryEnumerator() {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(relative).path)
            files["\(folder)/\(relative)"] = "\(attributes?[.size] ?? 0) \(attributes?[.modificationDate] ?? 0)"
        }
    }
    return files
}

/// Grades `submission` (GDStep and MetaObjective) with `isolation` into `out`; returns the points per exercise.
private func grade(_ submission: URL, out: URL, isolation: Sandbox.Isolation, workspace: URL) throws -> (points: [String: Double], results: GradescopeResults) {
    let (structure, judges) = try judges.get()
    let sandbox = try Sandbox.detect(forced: isolation)
    let grader = SubmissionGrader(repository: repository, structure: structure, judges: judges, sandbox: sandbox,
                                  limits: GradingLimits(testSeconds: 40))
    let results = try grader.grade(submission: submission, out: out, workspace: workspace, only: ["GDStep", "MetaObjective"])
    var points: [String: Double] = [:]
    for test in results.tests where test.tags.count == 2 { points[test.tags[0], default: 0] += test.score }
    for user in sandbox.userIDs { #expect(Sandbox.processes(ofUser: user).isEmpty, "processes of the student's user \(user) outlived the grading") }
    return (points, results)
}

/// The repository made unreadable to other users for the unprivileged-user sandbox (as Gradescope's autograder does), restored afterwards.
private func withPrivateRepository<T>(_ isolation: Sandbox.Isolation, _ body: () throws -> T) rethrows -> T {
    guard isolation == .user else { return try body() }
    let original = (try? FileManager.default.attributesOfItem(atPath: repository.path))?[.posixPermissions] as? NSNumber
    chmod(repository.path, 0o750)
    defer { chmod(repository.path, mode_t(original?.intValue ?? 0o755)) }
    return try body()
}

/// True when the suite should run: asked for, and as root (the sandboxes switch users).
private let hostileSuiteEnabled = ProcessInfo.processInfo.environment["GRADER_HOSTILE"] == "1" && geteuid() == 0

@Suite(.serialized)
struct HostileSubmissionTests {
    @Test(.enabled(if: hostileSuiteEnabled), arguments: hostileSuiteEnabled ? isolations() : [])
    func everyAttackEarnsNothingAndChangesNothing(isolation: Sandbox.Isolation) throws {
        let folder = try temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        setenv(Hostile.secretVariable, "the grader's secret", 1)
        let listener = try LocalListener()
        let out = folder.appendingPathComponent("out")
        let workspace = folder.appendingPathComponent("workspace")
        let before = fingerprint()
        try withPrivateRepository(isolation) {
            for attack in Hostile.attacks(out: out, port: listener.port) where !(attack.needsNamespaces && isolation != .namespaces) {
                let submission = folder.appendingPathComponent("submission")
                try? FileManager.default.removeItem(at: submission)
                try write(Hostile.source(attack), to: "GDStep/GDStep.swift", in: submission)
                try Shell.copy(repository.appendingPathComponent("Solutions/MetaObjective/MetaObjective.swift"),
                               to: submission.appendingPathComponent("MetaObjective/MetaObjective.swift"))
                try? FileManager.default.removeItem(at: out)
                let graded = try grade(submission, out: out, isolation: isolation, workspace: workspace)
                #expect(graded.points["GDStep"] == attack.points, "\(attack): GDStep earned \(graded.points["GDStep"] ?? -1)")
                #expect(graded.points["MetaObjective"] == 2, "\(attack): the next exercise was affected")
                sleep(attack.name.contains("detached") ? 5 : 0)
                #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["answers.md", "feedback.md", "results.json"],
                        "\(attack): the output folder holds something the grader did not write")
                let written = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: out.appendingPathComponent("results.json")))
                #expect(written == graded.results, "\(attack): results.json was changed after the grader wrote it")
                #expect(!FileManager.default.fileExists(atPath: Hostile.escapeFile), "\(attack): a file outside the sandbox was written")
                if attack.name == "a fatal error" {
                    let feedback = try String(contentsOf: out.appendingPathComponent("feedback.md"), encoding: .utf8)
                    #expect(feedback.contains("Exercises/GDStep/GDStep.swift:") && feedback.contains("boom"), "the crash's place and message are shown")
                }
            }
        }
        #expect(fingerprint() == before, "the course repository changed")
        #expect(listener.accepted == 0 || isolation != .namespaces, "a probe reached the network")
    }

    /// A submitted file that links to the reference (or is a hard link to it) is left out, never followed.
    @Test(.enabled(if: hostileSuiteEnabled), arguments: hostileSuiteEnabled ? isolations() : [])
    func linksToTheReferenceAreLeftOut(isolation: Sandbox.Isolation) throws {
        let folder = try temporaryFolder("hostile-links")
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = repository.appendingPathComponent("Solutions/GDStep/GDStep.swift")
        try withPrivateRepository(isolation) {
            for (name, link) in [("symbolic", FileManager.default.createSymbolicLink(at:withDestinationURL:)), ("hard", FileManager.default.linkItem(at:to:))] {
                let submission = folder.appendingPathComponent("submission-\(name)")
                try FileManager.default.createDirectory(at: submission.appendingPathComponent("GDStep"), withIntermediateDirectories: true)
                if name == "symbolic" { try link(submission.appendingPathComponent("GDStep/GDStep.swift"), reference) }
                else { try link(reference, submission.appendingPathComponent("GDStep/GDStep.swift")) }
                try Shell.copy(repository.appendingPathComponent("Solutions/MetaObjective/MetaObjective.swift"),
                               to: submission.appendingPathComponent("MetaObjective/MetaObjective.swift"))
                let graded = try grade(submission, out: folder.appendingPathComponent("out-\(name)"), isolation: isolation,
                                       workspace: folder.appendingPathComponent("workspace"))
                #expect(graded.points["GDStep"] == 0, "a \(name) link to the reference earned points")
                #expect(graded.results.output.contains("link"), "the left-out link is named")
            }
        }
    }
}

/// A TCP listener on 127.0.0.1 that counts the connections it accepts (a probe must not reach it).
final class LocalListener: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32
    private let lock = NSLock()
    private var count = 0

    init() throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, length) == 0 && getsockname(listening, $0, &length) == 0 }
        }
        guard bound, listen(listening, 16) == 0 else { throw GradingError.commandFailed("cannot listen on 127.0.0.1") }
        descriptor = listening
        port = UInt16(bigEndian: address.sin_port)
        startAccepting()
    }

    /// Accepts connections on a thread of its own, counting them.
    private func startAccepting() {
        let thread = Thread { [self] in
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                lock.withLock { count += 1 }
                close(client)
            }
        }
        thread.start()
    }

    /// Connections accepted so far.
    var accepted: Int { lock.withLock { count } }
}
