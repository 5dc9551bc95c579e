import Foundation
import Synchronization

/// Collects the outcome of every graded test of this process and, when the process exits,
/// prints the points per exercise and part, read against `Grading/manifest.json`.
///
/// The summary needs the manifest beside this module's sources; where it is absent (the
/// grader's work copies, which grade from the test runner's event stream instead) nothing is printed.
public final class PointsSummary: Sendable {
    /// The process-wide collector.
    public static let shared = PointsSummary()

    private struct State {
        var outcomes: [String: Bool] = [:]
        var exitHookInstalled = false
    }
    private let state = Mutex(State())

    /// Records that `test` of module `module` (e.g. `GDStepGrading`) passed or failed; a test with
    /// several argument cases passes only if every case does. The first record arranges for the summary to be printed at exit.
    public func record(module: String, test: String, passed: Bool) {
        let installHook = state.withLock { state -> Bool in
            state.outcomes["\(module).\(test)", default: true] = state.outcomes["\(module).\(test)", default: true] && passed
            defer { state.exitHookInstalled = true }
            return !state.exitHookInstalled
        }
        if installHook { atexit { PointsSummary.shared.printAtExit() } }
    }

    /// The outcomes recorded so far, keyed `<Module>.<test>`.
    public var outcomes: [String: Bool] { state.withLock { $0.outcomes } }

    /// Prints the report for the outcomes recorded so far, if the manifest can be read, on
    /// standard error: the stream the test runner reports on, so the summary comes after its last line.
    func printAtExit() {
        guard let manifest = try? PartsManifest.load(from: PartsManifest.defaultLocation) else { return }
        let implementation = ProcessInfo.processInfo.environment["MAML_IMPLEMENTATION"] == "exercises" ? "Exercises/" : "Solutions/"
        guard let text = PointsReport(manifest: manifest, outcomes: outcomes, implementation: implementation).text else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
