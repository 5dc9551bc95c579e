import Autodiff
import GDStep
import GradingSupport
import Testing

// Hidden tests for GDStep (2 points). Each test is one part of the manifest
// (Grading/manifest.json): `update` (1 point) and `differentiable` (1 point).

/// cost(a, b) = ½ Σ c ⊙ a² + Σ d ⊙ b, a quadratic whose gradient is (c ⊙ a, d) in closed form.
private let curvature = Tensor([1.0, 3.0, 0.5])
private let slope = Tensor(rows: [[2.0, -1.0]])
private func quadratic(_ p: Parameters) -> Tensor {
    let a = p.require("a"), b = p.require("b")
    return 0.5 * (curvature * a * a).sum() + (slope * b).sum()
}
private let start: Parameters = ["a": Tensor([1.0, -2.0, 4.0]), "b": Tensor(rows: [[0.5, 0.25]])]

/// update: θ' = θ − η ∇cost(θ), exactly, per named tensor and without touching the input.
@Test(.graded) func updatePart_stepGoesAgainstTheGradient() throws {
    let eta = 0.1
    let next = try gdStep(quadratic, start, stepSize: eta)
    #expect(next.names == ["a", "b"])
    let expectedA = zip(start.require("a").scalars, curvature.scalars).map { a, c in a - eta * c * a }
    let expectedB = zip(start.require("b").scalars, slope.scalars).map { b, d in b - eta * d }
    #expect(next.require("a").shape == [3] && next.require("b").shape == [1, 2])
    #expect(zip(next.require("a").scalars, expectedA).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(zip(next.require("b").scalars, expectedB).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(start.require("a").scalars == [1.0, -2.0, 4.0])
}

/// differentiable: an outer gradient sees through the step. For cost = ½ c a² the step gives
/// a' = (1 − η c) a, so d/da [½ c a'²] = c (1 − η c)² a.
@Test(.graded) func differentiablePart_outerGradientSeesThroughTheStep() throws {
    let eta = 0.2
    var failure: (any Error)?
    let outer = grad { (p: Parameters) -> Tensor in
        do { return quadratic(try gdStep(quadratic, p, stepSize: eta)) } catch {
            failure = error
            return p.squaredNorm() * 0
        }
    }(start)
    if let failure { throw failure }
    let expected = zip(start.require("a").scalars, curvature.scalars).map { a, c in c * (1 - eta * c) * (1 - eta * c) * a }
    #expect(zip(outer.require("a").scalars, expected).allSatisfy { abs($0 - $1) < 1e-10 })
    #expect(zip(outer.require("b").scalars, slope.scalars).allSatisfy { abs($0 - $1) < 1e-10 })
}
