#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stamps for graph nodes: one logical clock per thread (a Lamport clock).
///
/// A new node's stamp is one more than the newest of its thread's clock and its inputs' stamps:
///
///     stamp(node) = max(clock, stamp(input₁), ..., stamp(inputₙ)) + 1,   then clock ← stamp(node).
///
/// Two facts follow, whatever the threads. A node's stamp exceeds the stamp of everything it
/// depends on (along a path n → … → t the stamps fall strictly), and on one thread stamps count
/// nodes in the order they were made. Reverse mode uses both: a node older than every target
/// cannot lead to one, so the walk from an output stops there instead of visiting all history;
/// and the sweep takes nodes newest first, an order that does not depend on where a walk began.
enum NodeClock {
    /// The next stamp on this thread for a node whose newest input has stamp `newestInput`.
    @inline(__always)
    static func tick(after newestInput: UInt64) -> UInt64 {
        let clock = threadClock()
        let stamp = Swift.max(clock.pointee, newestInput) + 1
        clock.pointee = stamp
        return stamp
    }

    /// The newest stamp made on this thread so far.
    static var now: UInt64 { threadClock().pointee }

    /// Moves this thread's clock to at least `stamp` (a worker thread starts where its caller is).
    static func advance(to stamp: UInt64) {
        let clock = threadClock()
        clock.pointee = Swift.max(clock.pointee, stamp)
    }

    /// This thread's clock, allocated at its first node.
    @inline(__always)
    private static func threadClock() -> UnsafeMutablePointer<UInt64> {
        if let existing = pthread_getspecific(clockKey) { return existing.assumingMemoryBound(to: UInt64.self) }
        let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        fresh.initialize(to: 0)
        pthread_setspecific(clockKey, fresh)
        return fresh
    }
}

/// The thread-local slot holding each thread's clock; a thread's clock is freed when it ends.
private let clockKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        #if canImport(Glibc)
        pointer?.assumingMemoryBound(to: UInt64.self).deallocate()
        #else
        pointer.assumingMemoryBound(to: UInt64.self).deallocate()
        #endif
    }
    check(status == 0, "NodeClock: pthread_key_create failed with status \(status)")
    return key
}()
