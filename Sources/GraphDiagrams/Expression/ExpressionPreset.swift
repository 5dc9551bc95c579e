import Foundation
import Autodiff

extension DiagramPresets {
    /// The graph of a typed formula and of its derivatives up to `order`, each pass in a cluster
    /// of its own: "f(x) = …", then "f′(x)", "f″(x)", ... (see `Expression` for the grammar).
    ///
    /// Variables take their values from `values` (a scalar 0.5 when not given). With one
    /// variable, pass n differentiates pass n − 1's result (seeded with ones when it is a
    /// vector, which gives the Hessian times a vector of ones at order 2). With several, pass n
    /// differentiates the sum of all of pass n − 1's gradient entries; the summing operations
    /// are ordinary (order-0) operations drawn in pass n's cluster. Throws `ExpressionError`
    /// (with a column) for bad formulas, `DiagramError.invalidSetting` for an order outside 0...5
    /// or a value for a name the formula does not use.
    public static func expression(_ source: String, order: Int = 1, at values: [String: Tensor] = [:],
                                  options: DiagramOptions = DiagramOptions()) throws -> Diagram {
        guard (0...5).contains(order) else {
            throw DiagramError.invalidSetting("--order must be 0 to 5, got \(order)")
        }
        let expression = try Expression(source)
        let names = expression.variables
        if let stray = values.keys.sorted().first(where: { !names.contains($0) }) {
            let known = names.isEmpty ? "it has none" : "its variables are " + names.joined(separator: ", ")
            throw DiagramError.invalidSetting("\"\(stray)\" is not a variable of \(source); \(known)")
        }
        let variables = names.map { (values[$0] ?? Tensor(0.5)).variable(named: $0) }
        let tensors = Dictionary(uniqueKeysWithValues: zip(names, variables))
        let argumentList = names.isEmpty ? "" : "(" + names.joined(separator: ", ") + ")"
        let f = try withScope("f\(argumentList) = \(source)") { try expression.evaluate(tensors) }
        if order > 0, f.scalarCount != 1 {
            throw ExpressionError(source: source, column: 1, problem: "the expression gives a tensor of shape "
                + "\(shapeText(f.shape)), not one number; wrap it in sum(...) to differentiate it")
        }
        let firstScope = "f\(argumentList) = \(source)"
        var outputs = [f], labels = ["f"], scopes = [[firstScope]]
        var previous = [f]
        for pass in stride(from: 1, through: order, by: 1) {
            let scope = passScope(pass, names: names, arguments: argumentList)
            previous = withScope(scope) {
                var target = previous[0]
                if previous.count > 1 {
                    target = target.sum()
                    for gradient in previous.dropFirst() { target = target + gradient.sum() }
                }
                let seed = target.scalarCount == 1 ? nil : Tensor.ones(target.shape, dtype: target.dtype)
                return gradients(of: target, wrt: variables, seed: seed, createGraph: true)
            }
            outputs += previous
            scopes += previous.map { _ in [scope] }
            labels += names.count == 1 ? [derivativeName(pass)] : names.map { "∂\(derivativeName(pass - 1))/∂\($0)" }
        }
        let title = order == 0 ? "f\(argumentList) = \(source)"
            : "f\(argumentList) = \(source) and its derivatives to order \(order)"
        return Diagram(walk: GraphWalk(outputs: outputs, labels: labels, options: titled(options, title), constantScopes: scopes))
    }

    /// Reads a variable's value from "x=0.5" or "w=[1, 2, 3]".
    ///
    /// Throws `DiagramError.invalidSetting` naming the text when it is not NAME=NUMBER or NAME=[NUMBERS].
    public static func assignment(_ text: String) throws -> (name: String, value: Tensor) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let bad = DiagramError.invalidSetting("value \"\(text)\" is not NAME=NUMBER or NAME=[NUMBER, ...] (like x=0.5 or w=[1,2])")
        guard parts.count == 2, let first = parts[0].first, first.isLetter || first == "_" else { throw bad }
        let body = parts[1]
        if body.hasPrefix("["), body.hasSuffix("]") {
            let numbers = body.dropFirst().dropLast().split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { throw bad }
            return (parts[0], Tensor(numbers.map { $0! }))
        }
        guard let number = Double(body) else { throw bad }
        return (parts[0], Tensor(number))
    }

    /// "f′(x)" for one variable; "f′ = ∇f", "f″ = ∇Σf′" for several.
    static func passScope(_ pass: Int, names: [String], arguments: String) -> String {
        if names.count == 1 { return derivativeName(pass) + arguments }
        return derivativeName(pass) + " = ∇" + (pass == 1 ? "f" : "Σ" + derivativeName(pass - 1))
    }

    /// f, f′, f″, f‴, f⁽⁴⁾, f⁽⁵⁾.
    static func derivativeName(_ order: Int) -> String {
        switch order {
        case 0: "f"
        case 1: "f′"
        case 2: "f″"
        case 3: "f‴"
        default: "f⁽" + String(String(order).map { "⁰¹²³⁴⁵⁶⁷⁸⁹"[$0.wholeNumberValue!] }) + "⁾"
        }
    }
}
