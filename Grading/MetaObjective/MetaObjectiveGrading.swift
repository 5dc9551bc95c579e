import Autodiff
import MetaObjective
import GradingSupport
import Testing

// Hidden tests for MetaObjective (2 points): `value` (1 point) and `metaGradient` (1 point).
// They inject the reference step below, so a wrong gdStep costs nothing here.

/// The reference gradient step θ − η ∇cost(θ).
private func referenceStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    params - eta * grad(cost)(params)
}

/// cost(w) = ½ Σ c ⊙ (w − t)²: each step maps w − t to (1 − η c)(w − t).
private let curvature = Tensor([1.0, 2.0, 4.0])
private let target = Tensor([0.5, -1.0, 2.0])
private func cost(_ p: Parameters) -> Tensor {
    let r = p.require("w") - target
    return 0.5 * (curvature * r * r).sum()
}
private let start: Parameters = ["w": Tensor([2.0, 1.0, -1.0])]
private let eta = 0.1

/// After K steps the residual is (1 − η c)^K (w − t); the objective is ½ Σ c r_K².
private func expectedValue(steps: Int) -> Double {
    zip(zip(start.require("w").scalars, target.scalars), curvature.scalars).map { pair, c in
        let r = pair.0 - pair.1
        let rK = power(1 - eta * c, steps) * r
        return 0.5 * c * rK * rK
    }.reduce(0, +)
}

/// d meta / dw = c (1 − η c)^{2K} (w − t), the exact second-order meta-gradient.
private func expectedGradient(steps: Int) -> [Double] {
    zip(zip(start.require("w").scalars, target.scalars), curvature.scalars).map { pair, c in
        c * power(1 - eta * c, 2 * steps) * (pair.0 - pair.1)
    }
}

/// base^exponent for a whole exponent, by repeated multiplication.
private func power(_ base: Double, _ exponent: Int) -> Double {
    (0..<exponent).reduce(1.0) { product, _ in product * base }
}

/// value: cost after exactly K steps, for K = 0, 1, 3 and 5.
@Test(.graded, arguments: [0, 1, 3, 5]) func valuePart_costAfterExactlyKSteps(steps: Int) throws {
    let meta = try MetaObjective(innerCost: cost, numSteps: steps, stepSize: eta, step: referenceStep)
    let value = try meta(start).scalar
    #expect(abs(value - expectedValue(steps: steps)) < 1e-12 * max(1, expectedValue(steps: steps)))
}

/// metaGradient: `grad` of the objective is the exact second-order meta-gradient.
@Test(.graded) func metaGradientPart_secondOrderThroughTheInnerSteps() throws {
    let meta = try MetaObjective(innerCost: cost, numSteps: 3, stepSize: eta, step: referenceStep)
    var failure: (any Error)?
    let gradient = grad { (p: Parameters) -> Tensor in
        do { return try meta(p) } catch {
            failure = error
            return p.squaredNorm() * 0
        }
    }(start)
    if let failure { throw failure }
    let expected = expectedGradient(steps: 3)
    #expect(zip(gradient.require("w").scalars, expected).allSatisfy { abs($0 - $1) < 1e-10 })
}
