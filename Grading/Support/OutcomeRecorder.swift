import Synchronization

/// Whether one running test has recorded a failing issue; issues may arrive from any thread.
final class OutcomeRecorder: Sendable {
    private let failure = Mutex(false)

    /// Notes a failing issue (or a thrown error).
    func markFailed() { failure.withLock { $0 = true } }

    /// True once a failure has been noted.
    var failed: Bool { failure.withLock { $0 } }
}
