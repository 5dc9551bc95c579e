import Autodiff
import Foundation
import GraphDiagrams
import Testing

/// Formulas typed for `workbook graph expr`: the grammar, the derivatives against closed forms,
/// and errors that point at the column.
@Suite struct ExpressionTests {
    /// The value of a formula with the given scalar variables.
    func value(_ source: String, _ values: [String: Double] = [:]) throws -> Double {
        try Expression(source).evaluate(values.mapValues { Tensor($0) }).scalar
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try value("1 + 2 * 3") == 7)
        #expect(try value("(1 + 2) * 3") == 9)
        #expect(try value("8 / 4 / 2") == 1)
        #expect(try value("2 - 3 - 4") == -5)
        #expect(try value("2 ^ 3 ^ 2").isApproximatelyEqual(to: 512))  // 2^(3^2), as exp(9 log 2)
        #expect(try value("2 ** 3") == 8)
        #expect(try value("-x^2", ["x": 3]) == -9)
        #expect(try value("x^-1", ["x": 4]) == 0.25)
        #expect(try value("-(-x)", ["x": 2]) == 2)
        #expect(try value("1.5e1 + .5") == 15.5)
        #expect(try value("x^y", ["x": 2, "y": 3]).isApproximatelyEqual(to: 8))
    }

    @Test func functionsOfTheOpTable() throws {
        let x = 0.7
        let cases: [(String, Double)] = [
            ("exp(x)", Foundation.exp(x)), ("log(x)", Foundation.log(x)), ("sin(x)", Foundation.sin(x)),
            ("cos(x)", Foundation.cos(x)), ("sqrt(x)", Foundation.sqrt(x)), ("tanh(x)", Foundation.tanh(x)),
            ("sigmoid(x)", 1 / (1 + Foundation.exp(-x))), ("relu(x - 1)", 0), ("abs(x - 1)", 0.3),
        ]
        for (source, expected) in cases {
            #expect(try value(source, ["x": x]).isApproximatelyEqual(to: expected), "\(source)")
        }
    }

    @Test func sumAndDotOfVectors() throws {
        let values = ["w": Tensor([1, 2, 3]), "x": Tensor([4, 5, 6])]
        #expect(try Expression("dot(w, x)").evaluate(values).scalar == 32)
        #expect(try Expression("sum(w^2) + 1").evaluate(values).scalar == 15)
        #expect(try Expression("sum(2 * w)").evaluate(values).scalar == 12)
        #expect(try Expression("w * x + 1").shape(given: values.mapValues(\.shape)) == [3])
        #expect(try Expression("sum(w) * dot(w, x) + exp(w)").variables == ["w", "x"])
    }

    /// f = sin(x)·eˣ: f′ = eˣ(sin x + cos x), f″ = 2eˣ cos x, f‴ = 2eˣ(cos x − sin x), each the
    /// output of its own pass, in its own cluster.
    @Test func derivativesMatchClosedForms() throws {
        let x = 0.5
        let diagram = try DiagramPresets.expression("sin(x)*exp(x)", order: 3, at: ["x": Tensor(x)],
                                                    options: DiagramOptions(showValues: true))
        let expected = ["f": Foundation.sin(x) * Foundation.exp(x),
                        "f′": Foundation.exp(x) * (Foundation.sin(x) + Foundation.cos(x)),
                        "f″": 2 * Foundation.exp(x) * Foundation.cos(x),
                        "f‴": 2 * Foundation.exp(x) * (Foundation.cos(x) - Foundation.sin(x))]
        for (label, closedForm) in expected {
            let node = try #require(diagram.nodes.first { $0.outputLabels.contains(label) }, "no output \(label)")
            let shown = try #require(node.shownValue?.first)
            #expect(shown.isApproximatelyEqual(to: closedForm), "\(label): \(shown) against \(closedForm)")
        }
        let scopes = Set(diagram.nodes.compactMap(\.scopePath.first))
        #expect(scopes == ["f(x) = sin(x)*exp(x)", "f′(x)", "f″(x)", "f‴(x)"])
        #expect(diagram.nodeCounts().keys.sorted() == [0, 1, 2, 3])
    }

    /// f = x³ has f‴ = 6, a constant: it is drawn in its pass's cluster and kept in the overview.
    @Test func constantDerivativeStaysInItsPass() throws {
        let diagram = try DiagramPresets.expression("x*x*x", order: 3)
        let third = try #require(diagram.nodes.first { $0.outputLabels == ["f‴"] })
        #expect(third.kind == .constant && third.scopePath == ["f‴(x)"] && third.shownValue == [6])
        #expect(diagram.overview(splitBackwardPasses: false).nodes.contains { $0.outputLabels == ["f‴"] })
    }

    /// With several variables, pass n differentiates the sum of pass n − 1's gradients: for
    /// f = x²y, ∂f/∂x = 2xy and ∂f/∂y = x²; then ∂/∂x (2xy + x²) = 2y + 2x and ∂/∂y = 2x.
    @Test func severalVariables() throws {
        let diagram = try DiagramPresets.expression("x^2*y", order: 2, at: ["x": Tensor(3), "y": Tensor(5)],
                                                    options: DiagramOptions(showValues: true))
        let value = { (label: String) in diagram.nodes.first { $0.outputLabels.contains(label) }?.shownValue?.first }
        #expect(value("∂f/∂x") == 30)
        #expect(value("∂f/∂y") == 9)
        #expect(value("∂f′/∂x") == 16)
        #expect(value("∂f′/∂y") == 6)
    }

    /// Each bad formula names its problem at the right column.
    @Test(arguments: [
        ("sin(x)*", 8, "expected a number"),
        ("2x", 2, "unexpected 'x'"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("sin x", 1, "'sin' is a function"),
        ("(x + 1", 7, "expected ')'"),
        ("x $ y", 3, "unexpected character '$'"),
        ("dot(x)", 1, "dot takes 2 arguments"),
        ("", 1, "empty"),
        ("x + )", 5, "expected a number"),
        ("sum(x, x)", 1, "sum takes 1 argument"),
    ])
    func badFormulasPointAtTheColumn(source: String, column: Int, problem: String) {
        do {
            _ = try Expression(source)
            Issue.record("\(source) was accepted")
        } catch let error as ExpressionError {
            #expect(error.column == column, "\(source): column \(error.column)")
            #expect(error.problem.contains(problem), "\(source): \(error.problem)")
            #expect(error.description.hasPrefix("column \(column): "))
        } catch {
            Issue.record("\(source): unexpected \(error)")
        }
    }

    /// Shape errors are found before Autodiff runs, at the operator or call.
    @Test func shapeErrorsPointAtTheOperator() throws {
        let values = ["w": Tensor([1, 2]), "v": Tensor([1, 2, 3])]
        #expect(throws: ExpressionError(source: "w + v", column: 3, problem: "'+' cannot combine shapes 2 and 3")) {
            try Expression("w + v").evaluate(values)
        }
        #expect(throws: ExpressionError.self) { try Expression("1 + dot(w, v)").evaluate(values) }
        #expect(throws: ExpressionError(source: "z", column: 1, problem: "the variable 'z' has no value")) {
            try Expression("z").evaluate(values)
        }
        #expect(throws: ExpressionError.self) { try DiagramPresets.expression("w * 2", order: 1, at: ["w": Tensor([1, 2])]) }
    }

    @Test func settingsAreChecked() throws {
        #expect(throws: DiagramError.invalidSetting("--order must be 0 to 5, got 6")) { try DiagramPresets.expression("x", order: 6) }
        #expect(throws: DiagramError.self) { try DiagramPresets.expression("x", order: 1, at: ["y": Tensor(1)]) }
        let (name, value) = try DiagramPresets.assignment("w=[1, 2.5]")
        #expect(name == "w" && value.scalars == [1, 2.5])
        #expect(try DiagramPresets.assignment("x=0.25").value.scalar == 0.25)
        #expect(throws: DiagramError.self) { try DiagramPresets.assignment("x=") }
        #expect(throws: DiagramError.self) { try DiagramPresets.assignment("=1") }
    }
}

extension Double {
    /// Equal to within 1e-12 relative (or absolute near zero).
    func isApproximatelyEqual(to other: Double) -> Bool {
        Swift.abs(self - other) <= 1e-12 * Swift.max(1, Swift.abs(self), Swift.abs(other))
    }
}
