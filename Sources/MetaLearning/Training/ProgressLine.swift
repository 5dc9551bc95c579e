import Foundation

/// A one-line progress report for long runs: iteration, loss, a metric, speed and time left.
///
/// On a terminal the line is redrawn in place; into a file or pipe it prints a new line every
/// `every` iterations, so logs stay readable.
public struct ProgressLine: Sendable {
    /// Total iterations planned.
    public let total: Int
    /// How often to print when not on a terminal.
    public let every: Int
    private let start: Date
    private let firstIteration: Int
    private let onTerminal: Bool

    /// A progress line for iterations `firstIteration + 1 ... total`.
    public init(total: Int, firstIteration: Int = 0, every: Int = 50) {
        self.total = total
        self.every = Swift.max(1, every)
        self.firstIteration = firstIteration
        start = Date()
        onTerminal = isatty(STDOUT_FILENO) != 0
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

    /// Prints the line (in place on a terminal, every `every` iterations otherwise, and always at the end).
    public func report(iteration: Int, loss: Double, metrics: [(String, Double)] = [], force: Bool = false) {
        let line = text(iteration: iteration, loss: loss, metrics: metrics)
        if onTerminal {
            print("\r\u{1B}[K" + line, terminator: iteration == total ? "\n" : "")
            fflush(nil)
        } else if force || iteration % every == 0 || iteration == total {
            print(line)
            fflush(nil)
        }
    }
}
