import Foundation

/// The mutants of an exercise marked by hand as equivalent (no input can tell them from the
/// reference), each with the reason, kept in `Grading/<E>/Variants/equivalent-mutants.txt`:
///
///     # id            reason
///     3f09c12e4a7b    `x * 1`: multiplying by one changes nothing.
///
/// One mutant per line: its id (as `grader mutate` reports it), then the reason. Blank lines
/// and lines starting with `#` are ignored.
public struct EquivalentMutants: Sendable, Equatable {
    /// The reason of every marked mutant, by id.
    public var reasons: [String: String]

    /// The file's name inside `Grading/<E>/Variants/`.
    public static let fileName = "equivalent-mutants.txt"

    /// Marks with these reasons.
    public init(reasons: [String: String] = [:]) { self.reasons = reasons }

    /// Reads marks from `text` (the contents of `file`, named in errors).
    public init(parsing text: String, file: String) throws {
        var reasons: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let id = String(line.prefix { !$0.isWhitespace })
            let reason = line.dropFirst(id.count).trimmingCharacters(in: .whitespaces)
            guard id.count == 12, id.allSatisfy(\.isHexDigit) else {
                throw GradingError.invalidManifest("line \(number + 1) of \(file) does not start with a mutant id of 12 hexadecimal digits: \(line)")
            }
            guard !reason.isEmpty else {
                throw GradingError.invalidManifest("line \(number + 1) of \(file) marks mutant \(id) as equivalent without saying why")
            }
            guard reasons[id] == nil else { throw GradingError.invalidManifest("line \(number + 1) of \(file) marks mutant \(id) a second time") }
            reasons[id] = reason
        }
        self.reasons = reasons
    }

    /// The marks of `exercise` in the course at `repository` (none when it has no such file).
    public static func load(exercise: String, repository: URL) throws -> EquivalentMutants {
        let file = repository.appendingPathComponent("Grading/\(exercise)/Variants/\(fileName)")
        guard FileManager.default.fileExists(atPath: file.path) else { return EquivalentMutants() }
        return try EquivalentMutants(parsing: try String(contentsOf: file, encoding: .utf8), file: "Grading/\(exercise)/Variants/\(fileName)")
    }
}
