import Foundation
import GradingKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

// Two probes of one sandbox at once (two exercises side by side, two students in `grade-all
// --jobs 2`): the sweep after the shorter one must not kill the longer one. Root only (the
// sandbox switches to dedicated user ids).

@Test(.enabled(if: geteuid() == 0))
func aProbeEndingNeverStopsAnotherStillRunning() throws {
    let sandbox = try Sandbox.detect()
    let folder = try temporaryFolder("sandbox-concurrency")
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputs = folder.appendingPathComponent("inputs")
    try Data().write(to: inputs)
    let outcomes = Outcomes()
    let group = DispatchGroup()
    for (index, seconds) in ["0.2", "2"].enumerated() {
        group.enter()
        Thread {
            defer { group.leave() }
            let run = Result {
                // The probe's binary and home live outside the test's private folder, which the probe's user cannot enter.
                let staging = try Shell.privateFolder(prefix: "sandbox-concurrency-\(index)")
                defer { try? FileManager.default.removeItem(at: staging) }
                return try sandbox.run(binary: URL(fileURLWithPath: "/bin/sleep"), arguments: [seconds], inputs: inputs,
                                       report: folder.appendingPathComponent("report-\(index)"), log: folder.appendingPathComponent("log-\(index)"),
                                       staging: staging, limits: Sandbox.Limits(seconds: 30, memoryMegabytes: nil))
            }
            outcomes.add(seconds, run.map(\.status))
        }.start()
    }
    group.wait()
    #expect(outcomes.all["0.2"] == 0 && outcomes.all["2"] == 0, "exit statuses \(outcomes.all) (137: killed)")
    #expect(sandbox.userIDs.count == 2, "the two probes ran as \(sandbox.userIDs)")
    for user in sandbox.userIDs { #expect(Sandbox.processes(ofUser: user).isEmpty) }
}

/// Exit statuses by probe, gathered from two threads.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String: Int32] = [:]

    func add(_ name: String, _ status: Result<Int32, any Error>) {
        lock.withLock { statuses[name] = (try? status.get()) ?? -1 }
    }

    var all: [String: Int32] { lock.withLock { statuses } }
}
