import Foundation
import Synchronization

private let interruptRequested = Atomic<Bool>(false)

/// Turns Ctrl-C (SIGINT) into a flag a training loop polls, so it can save a checkpoint and
/// stop cleanly instead of dying mid-step. A second Ctrl-C exits at once.
public enum Interruption {
    /// Installs the handler; later Ctrl-C presses set `requested`. Ctrl-C is also unblocked
    /// on the calling thread: a program started by a parent that blocks signals (a test
    /// runner's worker thread, some process managers) inherits the block and would otherwise
    /// never see it.
    public static func install() {
        interruptRequested.store(false, ordering: .relaxed)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        signal(SIGINT) { _ in
            if interruptRequested.exchange(true, ordering: .relaxed) { _exit(130) }
        }
    }

    /// Whether Ctrl-C was pressed since `install()`.
    public static var requested: Bool { interruptRequested.load(ordering: .relaxed) }

    /// Restores the default Ctrl-C behaviour.
    public static func uninstall() { signal(SIGINT, SIG_DFL) }
}
