import Dispatch

/// Makes the next value on a background thread while the caller works on the current one.
///
/// Sampling a meta-batch (drawing tasks, evaluating their functions, building tensors) is work
/// the meta-step does not depend on until it starts, so it can overlap the previous step, as
/// a framework with asynchronous dispatch overlaps its host thread with the compute. Values
/// come out in the order `make` produced them and `make` runs on one thread at a time, so a
/// seeded generator it captures draws the same sequence as calling it inline would.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let batches = Prefetcher { family.sampleBatch(tasks: 25, support: 10, query: 10, generator: &generator) }
/// let batch = batches.next()   // ready at once after the first; the one after is being drawn
/// ```
public final class Prefetcher<Value>: @unchecked Sendable {
    // `make` and `ready` are touched by one side at a time: the background thread between
    // `produce()` and `group.leave()`, the caller only after `group.wait()` returns.
    private let make: () -> Value
    private var ready: Value?
    private let queue = DispatchQueue(label: "TaskData.Prefetcher")
    private let group = DispatchGroup()

    /// Starts making the first value at once.
    public init(_ make: @escaping () -> Value) {
        self.make = make
        produce()
    }

    /// The next value (waiting for it if it is not made yet); the one after starts at once.
    public func next() -> Value {
        group.wait()
        let value = ready!
        ready = nil
        produce()
        return value
    }

    private func produce() {
        group.enter()
        queue.async { [self] in
            ready = make()
            group.leave()
        }
    }
}
