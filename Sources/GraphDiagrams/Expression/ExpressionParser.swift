/// A parsed expression: numbers, variables, operators and function calls, each with its column.
indirect enum ExpressionTree: Equatable, Sendable {
    case number(Double, column: Int)
    case variable(String, column: Int)
    case negate(ExpressionTree, column: Int)
    /// `+ - * / ^` at the operator's column.
    case binary(Character, ExpressionTree, ExpressionTree, column: Int)
    /// A function of the table (or `sum`, `dot`) at the name's column.
    case call(String, [ExpressionTree], column: Int)

    /// The column where this part of the expression starts.
    var column: Int {
        switch self {
        case .number(_, let column), .variable(_, let column), .negate(_, let column), .call(_, _, let column): column
        case .binary(_, let left, _, _): left.column
        }
    }
}

/// Recursive descent over the tokens, loosest operators first:
///
///     sum     := product (("+" | "-") product)*
///     product := unary (("*" | "/") unary)*
///     unary   := "-" unary | power
///     power   := primary ("^" unary)?          (right-associative: 2^3^2 = 2^9)
///     primary := number | name | name "(" sum ("," sum)* ")" | "(" sum ")"
struct ExpressionParser {
    let source: String
    let tokens: [ExpressionToken]
    var position = 0

    init(source: String) throws {
        self.source = source
        tokens = try ExpressionTokenizer.tokens(of: source)
    }

    /// The whole expression; anything left over is an error at its column.
    mutating func parse() throws -> ExpressionTree {
        guard tokens.count > 1 else { throw error(at: tokens[0], "the expression is empty") }
        let tree = try parseSum()
        guard case .end = current.kind else {
            throw error(at: current, "unexpected \(describe(current)) after a complete expression; is an operator missing?")
        }
        return tree
    }

    var current: ExpressionToken { tokens[position] }

    func error(at token: ExpressionToken, _ problem: String) -> ExpressionError {
        ExpressionError(source: source, column: token.column, problem: problem)
    }

    func describe(_ token: ExpressionToken) -> String {
        if case .end = token.kind { return "end of the expression" }
        return "'\(token.text)'"
    }

    mutating func take(_ symbol: Character) -> ExpressionToken? {
        guard case .symbol(symbol) = current.kind else { return nil }
        defer { position += 1 }
        return current
    }

    mutating func parseSum() throws -> ExpressionTree {
        var tree = try parseProduct()
        while true {
            if let op = take("+") ?? take("-") {
                tree = .binary(Character(op.text), tree, try parseProduct(), column: op.column)
            } else {
                return tree
            }
        }
    }

    mutating func parseProduct() throws -> ExpressionTree {
        var tree = try parseUnary()
        while true {
            if let op = take("*") ?? take("/") {
                tree = .binary(Character(op.text), tree, try parseUnary(), column: op.column)
            } else {
                return tree
            }
        }
    }

    mutating func parseUnary() throws -> ExpressionTree {
        if let minus = take("-") { return .negate(try parseUnary(), column: minus.column) }
        if take("+") != nil { return try parseUnary() }
        return try parsePower()
    }

    mutating func parsePower() throws -> ExpressionTree {
        let base = try parsePrimary()
        guard let op = take("^") else { return base }
        return .binary("^", base, try parseUnary(), column: op.column)
    }

    mutating func parsePrimary() throws -> ExpressionTree {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return .number(value, column: token.column)
        case .name(let name):
            position += 1
            guard let open = take("(") else {
                if ExpressionFunction(rawValue: name) != nil {
                    throw error(at: token, "'\(name)' is a function; write \(name)(...)")
                }
                return .variable(name, column: token.column)
            }
            guard let function = ExpressionFunction(rawValue: name) else {
                throw error(at: token, "unknown function '\(name)'; the functions are \(ExpressionFunction.names)")
            }
            var arguments = [try parseSum()]
            while take(",") != nil { arguments.append(try parseSum()) }
            guard take(")") != nil else {
                throw error(at: current, "expected ')' to close the '(' at column \(open.column), found \(describe(current))")
            }
            guard arguments.count == function.arity else {
                throw error(at: token, "\(name) takes \(function.arity) argument\(function.arity == 1 ? "" : "s"), "
                    + "got \(arguments.count)")
            }
            return .call(name, arguments, column: token.column)
        case .symbol("("):
            position += 1
            let inner = try parseSum()
            guard take(")") != nil else {
                throw error(at: current, "expected ')' to close the '(' at column \(token.column), found \(describe(current))")
            }
            return inner
        default:
            let after = position > 0 ? " after '\(tokens[position - 1].text)'" : ""
            throw error(at: token, "expected a number, a variable, a function or '('\(after), found \(describe(token))")
        }
    }
}

/// The functions an expression may call: the element-wise functions of the primitive table,
/// `sum` (of all elements) and `dot` (of two vectors).
enum ExpressionFunction: String, CaseIterable {
    case exp, log, sin, cos, sqrt, tanh, sigmoid, relu, abs, sum, dot

    /// How many arguments it takes.
    var arity: Int { self == .dot ? 2 : 1 }

    /// "exp, log, ..., dot".
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
