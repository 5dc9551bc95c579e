import Dispatch

/// Evaluates `body(0) ..< body(count)` on up to `threads` threads and returns the results in order.
///
/// Each worker runs inside the caller's recording context (recording on or off, first-order
/// gradients, scope), so `parallelMap` over tasks inside `withFirstOrderGradients` stays first
/// order. Tensors are immutable and every call of `grad` builds its own graph, so independent
/// work items (the tasks of a meta-batch) can run at once; `body` must not share mutable state.
/// With `threads <= 1` it is a plain loop on the calling thread.
public func parallelMap<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
    guard threads > 1, count > 1 else { return (0..<count).map(body) }
    CaptureRecorder.active?.fail("work was handed to other threads")
    let context = GraphContext.current
    let workers = Swift.min(threads, count)
    var results = [T?](repeating: nil, count: count)
    // Each worker's node clock starts where the caller's is, and the caller's moves past theirs
    // afterwards, so stamps keep counting forward across the hand-offs (see `NodeClock`).
    let start = NodeClock.now
    var clocks = [UInt64](repeating: start, count: workers)
    results.withUnsafeMutableBufferPointer { buffer in
        clocks.withUnsafeMutableBufferPointer { clockBuffer in
            nonisolated(unsafe) let slots = buffer, ends = clockBuffer
            withoutActuallyEscaping(body) { work in
                nonisolated(unsafe) let work = work
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    NodeClock.advance(to: start)
                    GraphContext.$current.withValue(context) {
                        // Worker w takes items w, w + workers, w + 2·workers, ...: each slot has one writer.
                        for index in stride(from: worker, to: count, by: workers) {
                            slots[index] = work(index)
                        }
                    }
                    ends[worker] = NodeClock.now
                }
            }
        }
    }
    NodeClock.advance(to: clocks.max() ?? start)
    return results.map { $0! }
}
