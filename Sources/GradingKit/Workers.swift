import Foundation

/// Work shared out to a few threads, each taking the next item until none is left.
enum Workers {
    /// `body(i)` for every `i` in `0..<count`, on at most `jobs` threads at once; the results come
    /// back in index order. After a failure no new item starts, and the failure of the lowest
    /// index is thrown once the running ones end.
    static func map<T: Sendable>(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        guard jobs > 1 && count > 1 else { return try (0..<count).map(body) }
        let items = Items<T>(count: count)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let index = items.next() {
                    items.store(index, Result { try body(index) })
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return try items.results()
    }
}

/// The items of one `Workers.map`: which comes next, and what each gave, under a lock.
private final class Items<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var upcoming = 0
    private var failed = false
    private var outcomes: [Result<T, any Error>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    /// The next index to work on, or nil when all have started or one has failed.
    func next() -> Int? {
        lock.withLock {
            guard !failed && upcoming < outcomes.count else { return nil }
            defer { upcoming += 1 }
            return upcoming
        }
    }

    /// Records what item `index` gave.
    func store(_ index: Int, _ outcome: Result<T, any Error>) {
        lock.withLock {
            outcomes[index] = outcome
            if case .failure = outcome { failed = true }
        }
    }

    /// The values in index order, or the first failure.
    func results() throws -> [T] {
        try lock.withLock { outcomes }.compactMap { try $0?.get() }
    }
}
