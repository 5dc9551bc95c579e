import Foundation

/// The per-iteration record of a training run, written as `metrics.csv`.
///
/// Columns are fixed when the log is made; every row gives a value (or NaN) for each.
public struct MetricsLog: Sendable {
    /// Column names, `iteration` first.
    public let columns: [String]
    /// Rows of values in column order.
    public private(set) var rows: [[Double]] = []

    /// A log with the given columns after `iteration`.
    public init(columns: [String]) {
        self.columns = ["iteration"] + columns
    }

    /// Appends a row; values missing from `values` are NaN.
    public mutating func append(iteration: Int, _ values: [String: Double]) {
        rows.append([Double(iteration)] + columns.dropFirst().map { values[$0] ?? .nan })
    }

    /// Drops rows after `iteration` (when resuming from a checkpoint).
    public mutating func truncate(after iteration: Int) {
        rows.removeAll { $0[0] > Double(iteration) }
    }

    /// The values of one column, with their iterations, skipping NaN.
    public func series(_ column: String) -> [(iteration: Int, value: Double)] {
        guard let index = columns.firstIndex(of: column) else { return [] }
        return rows.compactMap { $0[index].isNaN ? nil : (Int($0[0]), $0[index]) }
    }

    /// CSV text: a header line, then one line per row.
    public var csv: String {
        ([columns.joined(separator: ",")] + rows.map { row in
            row.enumerated().map { $0.offset == 0 ? String(Int($0.element)) : ($0.element.isNaN ? "" : "\($0.element)") }
                .joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    /// Reads a log written by `csv` (for resuming).
    public init(csv text: String) throws {
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty, lines[0].hasPrefix("iteration") else {
            throw TrainingError.badFile("metrics.csv", "it does not start with an 'iteration' header")
        }
        columns = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        }
    }
}

/// Errors of training and evaluation runs, each naming what went wrong.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A loss became NaN or infinite.
    case nonFiniteLoss(iteration: Int, lastCheckpoint: String?)
    /// A file could not be read or had the wrong content.
    case badFile(String, String)
    /// An option or combination of options is invalid.
    case invalidOption(String)

    /// A message for the terminal.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let iteration, let checkpoint):
            "the training loss became NaN or infinite at iteration \(iteration); "
                + (checkpoint.map { "the last good checkpoint is \($0)" } ?? "no checkpoint was saved yet")
                + " (try a smaller --outer-lr or --inner-lr)"
        case .badFile(let path, let problem): "cannot use \(path): \(problem)"
        case .invalidOption(let message): message
        }
    }
}
