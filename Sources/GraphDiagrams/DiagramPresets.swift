import Autodiff
import Foundation

/// The lecture's figures, each computed with Autodiff and returned as a diagram.
///
/// For your own function, record it with Autodiff and call the library directly:
/// `try diagram(of: loss, label: "loss").render(to: "loss.svg")` (see `customUsage`).
public enum DiagramPresets {
    /// f(x) = sin(x)·x with f′ and f″ taken by calling the gradient on the gradient's graph.
    ///
    /// f′(x) = cos(x)·x + sin(x) and f″(x) = 2cos(x) − x·sin(x); each pass is its own cluster,
    /// and its nodes carry the pass's derivative order (0, 1, 2).
    public static func gradOfGrad(options: DiagramOptions = DiagramOptions()) -> Diagram {
        let x = Tensor(0.5).variable(named: "x")
        let f = withScope("f(x) = sin(x)·x") { sin(x) * x }
        let df = withScope("f′(x)") { gradients(of: f, wrt: [x], createGraph: true)[0] }
        let ddf = withScope("f″(x)") { gradients(of: df, wrt: [x], createGraph: true)[0] }
        return Diagram(walk: GraphWalk(outputs: [f, df, ddf], labels: ["f", "f′", "f″"],
                                       options: titled(options, "f(x) = sin(x)·x, its gradient and the gradient of that")))
    }

    /// MAML's meta-objective for a 1-4-1 tanh network through `steps` inner SGD steps, and its meta-gradient.
    ///
    /// Inner step k: θₖ = θₖ₋₁ − α ∇L_support(θₖ₋₁) (scope "inner step k"); the meta-objective is
    /// L_query(θ_K) (scope "query loss"), and the meta-gradient ∇_θ₀ L_query(θ_K) is recorded too.
    /// With `firstOrder` the inner gradients are constants (FO-MAML), so the meta-gradient skips
    /// the backward pass through them (the Hessian terms). Support losses are outputs too, so the
    /// inner forward passes stay in the picture either way.
    public static func maml(steps: Int = 1, firstOrder: Bool = false, options: DiagramOptions = DiagramOptions()) throws -> Diagram {
        guard (1...5).contains(steps) else {
            throw DiagramError.invalidSetting("MAML diagrams take 1 to 5 inner steps, got \(steps)")
        }
        let problem = TinyRegression()
        let initial = problem.initialParameters()
        var theta = initial
        var supportLosses: [Tensor] = []
        for k in 1...steps {
            theta = withScope("inner step \(k)") {
                let loss = problem.loss(theta, inputs: problem.supportInputs, targets: problem.supportTargets)
                supportLosses.append(loss)
                // Second order records the inner gradient so the meta-gradient can run back through it.
                let g = gradients(of: loss, wrt: theta.tensors, createGraph: !firstOrder)
                return Parameters(names: theta.names, tensors: zip(theta.tensors, g).map { $0 - problem.innerRate * $1 })
            }
        }
        let query = withScope("query loss") {
            problem.loss(theta, inputs: problem.queryInputs, targets: problem.queryTargets)
        }
        let metaGradient = withScope("meta-gradient ∇θ₀") {
            gradients(of: query, wrt: initial.tensors, createGraph: true)
        }
        let outputs = [query] + metaGradient + supportLosses
        let labels = ["meta-objective L_query(θ\(subscriptDigits(steps)))"] + initial.names.map { "∂L/∂\($0)" }
            + (1...steps).map { "support loss \($0)" }
        let title = (firstOrder ? "First-order MAML" : "MAML (second order)") + ": \(steps) inner step" + (steps == 1 ? "" : "s")
        return Diagram(walk: GraphWalk(outputs: outputs, labels: labels, options: titled(options, title)))
    }

    /// One Adam update of a two-parameter linear model's weights, from loss to new weights.
    ///
    /// g = ∇L(θ); m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ);
    /// θ′ = θ − η m̂/(√v̂ + ε), with η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and t = 1.
    public static func adamStep(options: DiagramOptions = DiagramOptions()) -> Diagram {
        let (rate, beta1, beta2, epsilon, t) = (0.001, 0.9, 0.999, 1e-8, 1.0)
        let theta = Tensor([0.5, -0.3]).variable(named: "θ")
        let m = Tensor.zeros([2]).variable(named: "m (first moment)")
        let v = Tensor.zeros([2]).variable(named: "v (second moment)")
        let inputs = Tensor(rows: [[1, 2], [0.5, -1], [-1.5, 0.5]])
        let targets = Tensor([1, 0, -1])
        let loss = withScope("loss") {
            meanSquaredError(matmul(inputs, theta.reshaped([2, 1])).reshaped([3]), targets)
        }
        let g = withScope("gradient") { gradients(of: loss, wrt: [theta], createGraph: true)[0] }
        let updated = withScope("Adam update") {
            let m1 = beta1 * m + (1 - beta1) * g
            let v1 = beta2 * v + (1 - beta2) * g.squared
            let mHat = m1 / (1 - Foundation.pow(beta1, t))
            let vHat = v1 / (1 - Foundation.pow(beta2, t))
            return theta - rate * mHat / (sqrt(vHat) + epsilon)
        }
        return Diagram(walk: GraphWalk(outputs: [loss, updated], labels: ["loss", "θ′"],
                                       options: titled(options, "One Adam step")))
    }

    /// How to draw your own function from code (what `workbook graph custom` prints).
    public static let customUsage = """
        Draw the graph of your own function from Swift code:

            import Autodiff
            import GraphDiagrams

            let x = Tensor(0.5).variable(named: "x")
            let y = withScope("my function") { exp(x) * x }
            let dy = gradients(of: y, wrt: [x], createGraph: true)[0]
            try Diagram(outputs: [y, dy], labels: ["y", "dy/dx"],
                        options: DiagramOptions(title: "my function")).render(to: "my-function.svg")

        or, for one output: try diagram(of: y, label: "y").render(to: "y.png")
        """

    /// Options with `title` filled in when the caller gave none.
    static func titled(_ options: DiagramOptions, _ title: String) -> DiagramOptions {
        var copy = options
        if copy.title == nil { copy.title = title }
        return copy
    }

    static func subscriptDigits(_ n: Int) -> String {
        String(String(n).map { "₀₁₂₃₄₅₆₇₈₉"[$0.wholeNumberValue!] })
    }
}

private extension String {
    subscript(i: Int) -> Character { self[index(startIndex, offsetBy: i)] }
}
