// What the command lines (`workbook`, the student's `workbook`) share: one-line errors and
// the parsing of numbers that may be negative.
import ArgumentParser
import Foundation
import Notebook

extension ParsableCommand {
    /// Parses the command line and runs the command it names. A mistake ends the program with
    /// one line on standard error, "Error: " and a sentence naming the flag, value or path, and a
    /// non-zero status; help requests print the help as usual.
    public static func runReportingErrorsInOneLine() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            fflush(nil)
            if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }  // --help and the like
            let sentence = ErrorSentence.isFoundationError(error) ? ErrorSentence.of(error) : message(for: error)
            let line = sentence.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// A whole number from a command line, negative ones included (parsed with
/// `parsing: .unconditional`, so "-5" is the value and not a flag): the range check is each
/// command's `validate()`, which names the flag.
public func wholeNumber<Number: FixedWidthInteger>(_ text: String) throws -> Number {
    guard let value = Number(text) else {
        throw ValidationError(Number.isSigned ? "expected a whole number" : "expected a whole number, 0 or more")
    }
    return value
}

/// A decimal number from a command line, negative ones included (see `wholeNumber`).
public func decimalNumber(_ text: String) throws -> Double {
    guard let value = Double(text) else { throw ValidationError("expected a number") }
    return value
}
