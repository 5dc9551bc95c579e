import Foundation

/// A one-line progress report for long runs: iteration, loss, a metric, speed and time left.
///
/// On a terminal the line is redrawn in place. Into a file or pipe it prints a new line at the
/// first iteration, every `every` iterations, and whenever `interval` seconds have passed since
/// the last line, so logs stay readable and a slow run still shows it is alive; between
/// `begin()` and `end()` a watch prints the latest line even while an iteration or a
/// validation is still running.
public struct ProgressLine: Sendable {
    /// Total iterations planned.
    public let total: Int
    /// How often to print when not on a terminal.
    public let every: Int
    /// The longest time, in seconds, between two lines when not on a terminal.
    public let interval: Double
    private let start: Date
    private let firstIteration: Int
    private let onTerminal: Bool
    private let state = ProgressState()

    /// A progress line for iterations `firstIteration + 1 ... total`, printing at least every
    /// `interval` seconds when not on a terminal.
    public init(total: Int, firstIteration: Int = 0, every: Int = 50, interval: Double = 30) {
        self.init(total: total, firstIteration: firstIteration, every: every, interval: interval,
                  onTerminal: isatty(STDOUT_FILENO) != 0)
    }

    /// A progress line that behaves as on a terminal or not, as `onTerminal` says.
    init(total: Int, firstIteration: Int, every: Int, interval: Double, onTerminal: Bool) {
        self.total = total
        self.every = Swift.max(1, every)
        self.interval = interval
        self.firstIteration = firstIteration
        start = Date()
        self.onTerminal = onTerminal
    }

    /// "1m05s" style durations.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    /// "iter   40/1000": the counter, padded to the width of the total.
    private func counter(_ iteration: Int) -> String {
        let width = String(total).count
        return "iter " + String(repeating: " ", count: Swift.max(0, width - String(iteration).count)) + "\(iteration)/\(total)"
    }

    /// The text of the line for an iteration, as of `now`.
    public func text(iteration: Int, loss: Double, metrics: [(String, Double)] = [], now: Date = Date()) -> String {
        let elapsed = now.timeIntervalSince(start)
        let done = Double(iteration - firstIteration)
        let rate = done / Swift.max(elapsed, 1e-9)
        let remaining = Double(total - iteration) / Swift.max(rate, 1e-9)
        let speed = rate >= 1 || done == 0 ? String(format: "%.1f it/s", rate) : String(format: "%.1f s/it", 1 / rate)
        let values = metrics.map { "\($0.0) \(String(format: "%.4f", $0.1))" }.joined(separator: "  ")
        return "\(counter(iteration))  loss \(String(format: "%.4f", loss))" + (values.isEmpty ? "" : "  " + values)
            + "  \(speed)  elapsed \(Self.duration(elapsed))  left \(Self.duration(remaining))"
    }

    /// Prints the line (in place on a terminal; otherwise see the type's description), and
    /// always at the end.
    public func report(iteration: Int, loss: Double, metrics: [(String, Double)] = [], force: Bool = false) {
        if let line = line(iteration: iteration, loss: loss, metrics: metrics, force: force) {
            print(line, terminator: onTerminal && iteration != total ? "" : "\n")
            fflush(nil)
        }
    }

    /// The text `report` prints for an iteration at `now` (with the terminal's redraw prefix), or
    /// nil when no line is due.
    func line(iteration: Int, loss: Double, metrics: [(String, Double)] = [], force: Bool = false, now: Date = Date()) -> String? {
        state.record(iteration: iteration, loss: loss)
        if onTerminal { return "\r\u{1B}[K" + text(iteration: iteration, loss: loss, metrics: metrics, now: now) }
        let milestone = force || iteration % every == 0 || iteration == total || iteration == firstIteration + 1
        guard state.due(now, interval: interval, force: milestone) else { return nil }
        return text(iteration: iteration, loss: loss, metrics: metrics, now: now)
    }

    /// The watch's line at `now` when no line came for `interval` seconds, or nil: the latest
    /// iteration's line and which one is running, or, before the first has finished, that it runs.
    func watchLine(now: Date = Date()) -> String? {
        guard state.due(now, interval: interval, force: false) else { return nil }
        guard let latest = state.latest else {
            return "\(counter(firstIteration))  iteration \(firstIteration + 1) running  elapsed \(Self.duration(now.timeIntervalSince(start)))"
        }
        return text(iteration: latest.iteration, loss: latest.loss, now: now) + "  (iteration \(latest.iteration + 1) running)"
    }

    /// Without a terminal: prints the starting line at once and starts the watch that prints a
    /// line whenever `interval` seconds pass without one. On a terminal it does nothing.
    public func begin() {
        guard !onTerminal else { return }
        _ = state.due(Date(), interval: interval, force: true)
        print("\(counter(firstIteration))  \(firstIteration == 0 ? "starting" : "resuming"); a line at least every "
              + "\(Int(interval.rounded())) s until the end")
        fflush(nil)
        let watch = Thread { [self] in
            while !state.stopped {
                Thread.sleep(forTimeInterval: Swift.min(1, interval / 4))
                if let line = watchLine() {
                    print(line)
                    fflush(nil)
                }
            }
        }
        watch.start()
    }

    /// Stops the watch `begin()` started; no line comes from it afterwards.
    public func end() { state.stop() }
}

/// What the lines of one progress report share, across threads and copies: when the last line
/// was printed, the latest iteration reported, and whether the report has ended.
final class ProgressState: @unchecked Sendable {
    private let lock = NSLock()
    private var lastLine: Date? = nil
    private var latestReport: (iteration: Int, loss: Double)? = nil
    private var ended = false

    /// The latest iteration reported and its loss, if any.
    var latest: (iteration: Int, loss: Double)? { lock.withLock { latestReport } }

    /// Whether `stop()` was called.
    var stopped: Bool { lock.withLock { ended } }

    /// Records the latest iteration reported.
    func record(iteration: Int, loss: Double) { lock.withLock { latestReport = (iteration, loss) } }

    /// Ends the report.
    func stop() { lock.withLock { ended = true } }

    /// Whether a line is due at `now` (forced, none yet, or `interval` seconds since the last,
    /// and the report not ended for the watch); records `now` if so.
    func due(_ now: Date, interval: Double, force: Bool) -> Bool {
        lock.withLock {
            guard force || (!ended && lastLine.map { now.timeIntervalSince($0) >= interval } ?? true) else { return false }
            lastLine = now
            return true
        }
    }
}
