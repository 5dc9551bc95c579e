import AdamEquivalences
import Foundation
import GradingSupport
import Testing

// Hidden tests for AdamEquivalences (3 points): `rmsprop` (part a, 1 point) and
// `momentum` (part b, 2 points). Each runs the optimizers side by side on a fixed
// sequence of gradient-producing costs and compares the iterates.

/// ∇J(θ) for J(θ) = Σ ½ cᵢ (θᵢ − tᵢ)² + sin(θ₀): curved, coupled to θ, different in every coordinate.
private func gradient(_ theta: [Double]) -> [Double] {
    let c = [1.0, 10.0, 0.1], t = [1.0, -2.0, 3.0]
    var g = (0..<3).map { c[$0] * (theta[$0] - t[$0]) }
    g[0] += cos(theta[0])
    return g
}
private let start = [0.3, 0.7, -1.2]

/// The handout's Adam without bias correction, `steps` iterates from `start`.
private func adamIterates(_ h: AdamHyperParameters, steps: Int) -> [[Double]] {
    var theta = start, m = [0.0, 0, 0], v = [0.0, 0, 0], path: [[Double]] = []
    for _ in 0..<steps {
        let g = gradient(theta)
        for i in 0..<3 {
            m[i] = h.beta1 * m[i] + (1 - h.beta1) * g[i]
            v[i] = h.beta2 * v[i] + (1 - h.beta2) * g[i] * g[i]
            theta[i] -= h.learningRate * m[i] / (v[i].squareRoot() + h.epsilon)
        }
        path.append(theta)
    }
    return path
}

/// RMSprop as the handout writes it.
private func rmspropIterates(_ h: RMSpropHyperParameters, steps: Int) -> [[Double]] {
    var theta = start, v = [0.0, 0, 0], path: [[Double]] = []
    for _ in 0..<steps {
        let g = gradient(theta)
        for i in 0..<3 {
            v[i] = h.decay * v[i] + (1 - h.decay) * g[i] * g[i]
            theta[i] -= h.learningRate * g[i] / (v[i].squareRoot() + h.epsilon)
        }
        path.append(theta)
    }
    return path
}

/// Momentum SGD as the handout writes it.
private func momentumIterates(_ h: MomentumHyperParameters, steps: Int) -> [[Double]] {
    var theta = start, p = [0.0, 0, 0], path: [[Double]] = []
    for _ in 0..<steps {
        let g = gradient(theta)
        for i in 0..<3 {
            p[i] = h.momentum * p[i] - (1 - h.momentum) * g[i]
            theta[i] += h.learningRate * p[i]
        }
        path.append(theta)
    }
    return path
}

/// The largest coordinate gap between two paths of the same length.
private func largestGap(_ a: [[Double]], _ b: [[Double]]) -> Double {
    zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
}

/// rmsprop (a): Adam with the answer follows RMSprop's path for several settings.
@Test(.graded, arguments: [
    RMSpropHyperParameters(learningRate: 0.01, decay: 0.9, epsilon: 1e-8),
    RMSpropHyperParameters(learningRate: 0.1, decay: 0.5, epsilon: 0.3),
])
func rmspropPart_adamFollowsRMSprop(rmsprop: RMSpropHyperParameters) throws {
    let adam = try adamEquivalentToRMSprop(rmsprop)
    #expect(largestGap(adamIterates(adam, steps: 30), rmspropIterates(rmsprop, steps: 30)) < 1e-9)
}

/// momentum (b): Adam with the answer follows momentum SGD's path for several settings.
@Test(.graded, arguments: [
    MomentumHyperParameters(learningRate: 0.05, momentum: 0.9),
    MomentumHyperParameters(learningRate: 0.01, momentum: 0.5),
])
func momentumPart_adamFollowsMomentumSGD(momentum: MomentumHyperParameters) throws {
    let adam = try adamApproximatingMomentum(momentum)
    #expect(largestGap(adamIterates(adam, steps: 30), momentumIterates(momentum, steps: 30)) < 1e-6)
}
