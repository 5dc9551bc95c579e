import Autodiff
import Foundation

/// The lecture's figures, each computed with Autodiff and returned as a diagram.
///
/// For a formula, `expression(_:order:at:options:)` reads it from text; for your own code,
/// record it with Autodiff and call `diagram(of:label:options:)` on the result.
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

extension String {
    /// The character at offset `i`.
    subscript(i: Int) -> Character { self[index(startIndex, offsetBy: i)] }
}
