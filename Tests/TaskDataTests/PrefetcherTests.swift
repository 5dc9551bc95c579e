import Foundation
import Testing
import Autodiff
import TaskData

@Suite("Making the next batch ahead")
struct PrefetcherTests {
    @Test("batches made ahead are the batches drawn inline, in order")
    func sameDraws() {
        let family = SineAmplitudePhaseFamily()
        var inline = SeededGenerator(seed: 3)
        let expected = (0..<5).map { _ in family.sampleBatch(tasks: 4, support: 5, query: 3, generator: &inline, dtype: .float32) }
        var ahead = SeededGenerator(seed: 3)
        let batches = Prefetcher { family.sampleBatch(tasks: 4, support: 5, query: 3, generator: &ahead, dtype: .float32) }
        for batch in expected {
            let next = batches.next()
            #expect(next.supportX.scalars == batch.supportX.scalars && next.supportY.scalars == batch.supportY.scalars)
            #expect(next.queryX.scalars == batch.queryX.scalars && next.queryY.scalars == batch.queryY.scalars)
        }
    }

    @Test("the next value is being made while the caller works")
    func overlaps() {
        let started = Counter()
        let values = Prefetcher { started.increment() }
        #expect(values.next() == 1)
        // The second value was started when the first was handed out; wait for it without asking.
        let deadline = ContinuousClock.now + .seconds(5)
        while started.value < 2 && ContinuousClock.now < deadline { }
        #expect(started.value == 2)
        #expect(values.next() == 2)
    }
}

/// A thread-safe count, for watching the background thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
}
