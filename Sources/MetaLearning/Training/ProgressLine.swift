import Foundation

/// A one-line progress report for long runs: iteration, loss, a metric, speed and time left.
///
/// On a terminal the line is redrawn in place; into a file or pipe it prints a new line at the
/// first iteration, every `every` iterations, and whenever `interval` seconds have passed since
/// the last line, so logs stay readable and a slow run still shows it is alive.
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
    private let lastLine: LastLine

    /// When the last line was printed (a reference, so copies of the progress line share it).
    private final class LastLine: @unchecked Sendable {
        private let lock = NSLock()
        private var date: Date? = nil

        /// Whether a line is due at `now` (none yet, or `interval` seconds since the last); records `now` if so.
        func due(_ now: Date, interval: Double, force: Bool) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard force || date.map({ now.timeIntervalSince($0) >= interval }) ?? true else { return false }
            date = now
            return true
        }
    }

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
        lastLine = LastLine()
    }

    /// "1m05s" style durations.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    /// The text of the line for an iteration.
    public func text(iteration: Int, loss: Double, metrics: [(String, Double)] = []) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let done = Double(iteration - firstIteration)
        let rate = done / Swift.max(elapsed, 1e-9)
        let remaining = Double(total - iteration) / Swift.max(rate, 1e-9)
        let width = String(total).count
        let counter = String(repeating: " ", count: Swift.max(0, width - String(iteration).count)) + "\(iteration)/\(total)"
        let values = metrics.map { "\($0.0) \(String(format: "%.4f", $0.1))" }.joined(separator: "  ")
        return "iter \(counter)  loss \(String(format: "%.4f", loss))" + (values.isEmpty ? "" : "  " + values)
            + "  \(String(format: "%.1f", rate)) it/s  elapsed \(Self.duration(elapsed))  left \(Self.duration(remaining))"
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
        if onTerminal { return "\r\u{1B}[K" + text(iteration: iteration, loss: loss, metrics: metrics) }
        let milestone = force || iteration % every == 0 || iteration == total || iteration == firstIteration + 1
        guard lastLine.due(now, interval: interval, force: milestone) else { return nil }
        return text(iteration: iteration, loss: loss, metrics: metrics)
    }
}
