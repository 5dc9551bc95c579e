import Autodiff
import ScaleInvariance
import GradingSupport
import Testing

// Hidden tests for ScaleInvariance (2 points): `update` (1 point) and `demonstration` (1 point).

/// J(a, b) = Σ ¼ a⁴ + Σ c ⊙ b² − Σ a: a loss whose gradient (a³ − 1, 2 c ⊙ b) is easy to write down.
private let weights = Tensor([1.0, 0.5])
private func loss(_ p: Parameters) -> Tensor {
    let a = p.require("a"), b = p.require("b")
    return 0.25 * (a * a * a * a).sum() + (weights * b * b).sum() - a.sum()
}
private let start: Parameters = ["a": Tensor([0.2, -0.4, 1.5]), "b": Tensor([1.0, -2.0])]

/// The handout's Adam on plain numbers, with the closed-form gradient: T iterates of every coordinate.
private func expectedIterates(alpha: Double, beta1: Double, beta2: Double, epsilon: Double, steps: Int) -> [[Double]] {
    var theta = start.require("a").scalars + start.require("b").scalars
    var m = [Double](repeating: 0, count: theta.count), v = m, path: [[Double]] = []
    for _ in 0..<steps {
        let c = weights.scalars
        let gradientA: [Double] = (0..<3).map { i in theta[i] * theta[i] * theta[i] - 1 }
        let gradientB: [Double] = (0..<2).map { i in 2 * c[i] * theta[3 + i] }
        let g = gradientA + gradientB
        for i in theta.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            theta[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
        }
        path.append(theta)
    }
    return path
}

/// update: five Adam steps (ε = 0.3, so its place matters) match the handout's formulas exactly.
@Test(.graded) func updatePart_adamStepsMatchTheFormulas() throws {
    let adam = try Adam(learningRate: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 0.3)
    let expected = expectedIterates(alpha: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 0.3, steps: 5)
    var params = start, state = AdamState(zerosLike: start)
    for t in 0..<5 {
        params = try adam.step(params, gradient: grad(loss)(params), state: &state)
        let got = params.require("a").scalars + params.require("b").scalars
        #expect(zip(got, expected[t]).allSatisfy { abs($0 - $1) < 1e-12 }, "step \(t + 1)")
        #expect(params.names == ["a", "b"])
    }
}

/// demonstration: with ε = 0 the two runs agree for any scale; with ε > 0 and a small scale
/// they visibly part; zero steps or C = 1 give no gap at all.
@Test(.graded) func demonstrationPart_gapVanishesExactlyWhenEpsilonIsZero() throws {
    let undamped = try Adam(learningRate: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 0)
    let damped = try Adam(learningRate: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1)
    for scale in [1000.0, 0.001] {
        #expect(try largestIterateGap(loss: loss, scale: scale, start: start, optimizer: undamped, steps: 20) < 1e-9)
    }
    #expect(try largestIterateGap(loss: loss, scale: 0.01, start: start, optimizer: damped, steps: 20) > 1e-3)
    #expect(try largestIterateGap(loss: loss, scale: 1, start: start, optimizer: damped, steps: 20) == 0)
    #expect(try largestIterateGap(loss: loss, scale: 0.01, start: start, optimizer: damped, steps: 0) == 0)
}
