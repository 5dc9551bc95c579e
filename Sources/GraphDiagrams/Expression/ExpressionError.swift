/// Why an expression could not be read or evaluated, with the column where the problem is.
public struct ExpressionError: Error, Equatable, CustomStringConvertible {
    /// The expression as given.
    public let source: String
    /// The 1-based column (in characters) where the problem starts.
    public let column: Int
    /// What is wrong there, as one sentence without the column.
    public let problem: String

    /// An error at `column` of `source`.
    public init(source: String, column: Int, problem: String) {
        self.source = source
        self.column = column
        self.problem = problem
    }

    /// "column 8: expected a number, a variable, a function or '(' after '*'", then the
    /// expression with a caret under the column.
    public var description: String {
        let caret = String(repeating: " ", count: max(column - 1, 0)) + "^"
        return "column \(column): \(problem)\n    \(source)\n    \(caret)"
    }
}
