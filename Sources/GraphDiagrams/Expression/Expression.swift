import Autodiff

/// A formula typed by a person, such as `sin(x)*exp(x)` or `sum(w^2) + dot(w, x)`, read into
/// Autodiff operations so that its graph and its derivatives' graphs can be drawn.
///
/// The grammar: numbers (`2`, `0.5`, `1e-3`); variables (names such as `x`, `w1`, `θ`);
/// `+ - * /` with the usual precedence; `^` (or `**`) for powers, right-associative and
/// binding tighter than a leading minus (`-x^2` is `-(x^2)`); parentheses; the element-wise
/// functions of the primitive table `exp log sin cos sqrt tanh sigmoid relu abs`; `sum(a)`, the
/// sum of all elements; `dot(a, b)`, the inner product of two vectors of one length. Operands
/// broadcast as tensors do. A constant exponent (`x^3`, `x^-0.5`) is the `pow` primitive; any
/// other exponent is `exp(b·log(a))`.
public struct Expression: Sendable, Equatable {
    /// The expression as written.
    public let source: String
    let tree: ExpressionTree

    /// Reads `source`; throws `ExpressionError` with the column of the first problem.
    public init(_ source: String) throws {
        var parser = try ExpressionParser(source: source)
        self.source = source
        tree = try parser.parse()
    }

    /// The variable names, in order of first appearance.
    public var variables: [String] {
        var names: [String] = []
        func visit(_ tree: ExpressionTree) {
            switch tree {
            case .number: break
            case .variable(let name, _): if !names.contains(name) { names.append(name) }
            case .negate(let inner, _): visit(inner)
            case .binary(_, let left, let right, _): visit(left); visit(right)
            case .call(_, let arguments, _): arguments.forEach(visit)
            }
        }
        visit(tree)
        return names
    }

    /// The shape of the result when the variables have `shapes`; throws `ExpressionError` at the
    /// operator or call whose operands do not fit (or at a variable without a shape).
    public func shape(given shapes: [String: [Int]]) throws -> [Int] {
        try shape(of: tree, given: shapes)
    }

    /// The value, recorded by Autodiff when any variable is tracked. Shapes are checked first,
    /// so a mismatch is an `ExpressionError` at its column rather than a stop inside Autodiff.
    public func evaluate(_ values: [String: Tensor]) throws -> Tensor {
        _ = try shape(given: values.mapValues(\.shape))
        return evaluate(tree, values)
    }

    func fail(_ column: Int, _ problem: String) -> ExpressionError {
        ExpressionError(source: source, column: column, problem: problem)
    }

    func shape(of tree: ExpressionTree, given shapes: [String: [Int]]) throws -> [Int] {
        switch tree {
        case .number:
            return []
        case .variable(let name, let column):
            guard let shape = shapes[name] else { throw fail(column, "the variable '\(name)' has no value") }
            return shape
        case .negate(let inner, _):
            return try shape(of: inner, given: shapes)
        case .binary(let op, let left, let right, let column):
            let (a, b) = (try shape(of: left, given: shapes), try shape(of: right, given: shapes))
            guard let result = broadcastShape(a, b) else {
                throw fail(column, "'\(op)' cannot combine shapes \(shapeText(a)) and \(shapeText(b))")
            }
            return result
        case .call(let name, let arguments, let column):
            let shapes = try arguments.map { try shape(of: $0, given: shapes) }
            switch ExpressionFunction(rawValue: name)! {
            case .sum:
                return []
            case .dot:
                guard shapes[0].count == 1, shapes[0] == shapes[1] else {
                    throw fail(column, "dot needs two vectors of one length, got shapes \(shapeText(shapes[0])) and \(shapeText(shapes[1]))")
                }
                return []
            default:
                return shapes[0]
            }
        }
    }

    func evaluate(_ tree: ExpressionTree, _ values: [String: Tensor]) -> Tensor {
        switch tree {
        case .number(let value, _):
            return Tensor(value)
        case .variable(let name, _):
            return values[name]!
        case .negate(let inner, _):
            return -evaluate(inner, values)
        case .binary(let op, let left, let right, _):
            let a = evaluate(left, values)
            if op == "^", let exponent = constantValue(right) { return a.pow(exponent) }
            let b = evaluate(right, values)
            switch op {
            case "+": return a + b
            case "-": return a - b
            case "*": return a * b
            case "/": return a / b
            default: return Autodiff.pow(a, b)
            }
        case .call(let name, let arguments, _):
            let x = arguments.map { evaluate($0, values) }
            switch ExpressionFunction(rawValue: name)! {
            case .exp: return Autodiff.exp(x[0])
            case .log: return Autodiff.log(x[0])
            case .sin: return Autodiff.sin(x[0])
            case .cos: return Autodiff.cos(x[0])
            case .sqrt: return Autodiff.sqrt(x[0])
            case .tanh: return Autodiff.tanh(x[0])
            case .sigmoid: return Autodiff.sigmoid(x[0])
            case .relu: return Autodiff.relu(x[0])
            case .abs: return Autodiff.abs(x[0])
            case .sum: return x[0].sum()
            case .dot: return (x[0] * x[1]).sum()
            }
        }
    }

    /// The number a subtree stands for when it is a literal or a negated literal.
    func constantValue(_ tree: ExpressionTree) -> Double? {
        switch tree {
        case .number(let value, _): value
        case .negate(let inner, _): constantValue(inner).map { -$0 }
        default: nil
        }
    }
}

/// The shape two operands broadcast to (NumPy's rule: align trailing axes; sizes equal or 1).
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let paddedA = Array(repeating: 1, count: rank - a.count) + a
    let paddedB = Array(repeating: 1, count: rank - b.count) + b
    var result: [Int] = []
    for (x, y) in zip(paddedA, paddedB) {
        guard x == y || x == 1 || y == 1 else { return nil }
        result.append(x == 1 ? y : x)
    }
    return result
}
