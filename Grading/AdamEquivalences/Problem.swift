import Autodiff
import Foundation
import GradingRuntime

/// The curved test problem both parts run the optimizers on:
///
///     J(θ) = Σᵢ ½ cᵢ (θᵢ − tᵢ)² + Σᵢ sᵢ sin θᵢ,     ∇J(θ)ᵢ = cᵢ (θᵢ − tᵢ) + sᵢ cos θᵢ,
///
/// different in every coordinate and not a quadratic, so a step rule that only agrees on one
/// kind of gradient shows.
struct CurvedProblem {
    /// c, the curvatures.
    let curvature: [Double]
    /// t, the centres of the quadratic terms.
    let centre: [Double]
    /// s, the weights of the sine terms.
    let ripple: [Double]
    /// θ₀, where every run starts.
    let start: [Double]
    /// T, the number of iterates compared.
    let steps: Int

    /// A drawn problem in ℝⁿ, n from 2 to 4: c in [0.2, 5], t and θ₀ normal, s in [−1, 1], T from 20 to 40.
    static func draw(_ random: inout SeededGenerator) -> CurvedProblem {
        let n = random.int(in: 2...4)
        return CurvedProblem(curvature: (0..<n).map { _ in random.rounded(0.2, 5, digits: 2) },
                             centre: (0..<n).map { _ in (random.normal() * 100).rounded() / 100 },
                             ripple: (0..<n).map { _ in random.rounded(-1, 1, digits: 2) },
                             start: (0..<n).map { _ in (random.normal(standardDeviation: 1.5) * 100).rounded() / 100 },
                             steps: random.int(in: 20...40))
    }

    /// ∇J(θ).
    func gradient(_ theta: [Double]) -> [Double] {
        theta.indices.map { curvature[$0] * (theta[$0] - centre[$0]) + ripple[$0] * cos(theta[$0]) }
    }

    /// θ₁ … θ_T of Adam without bias correction (m₀ = v₀ = 0):
    /// mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ, vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ², θₜ = θₜ₋₁ − α mₜ / (√vₜ + ε).
    func adamPath(_ adam: AdamSettings) -> [[Double]] {
        var theta = start, m = start.map { _ in 0.0 }, v = m, path: [[Double]] = []
        for _ in 0..<steps {
            let g = gradient(theta)
            for i in theta.indices {
                m[i] = adam.beta1 * m[i] + (1 - adam.beta1) * g[i]
                v[i] = adam.beta2 * v[i] + (1 - adam.beta2) * g[i] * g[i]
                theta[i] -= adam.learningRate * m[i] / (v[i].squareRoot() + adam.epsilon)
            }
            path.append(theta)
        }
        return path
    }

    /// θ₁ … θ_T of RMSprop: vₜ = γ vₜ₋₁ + (1 − γ) gₜ², θₜ = θₜ₋₁ − α gₜ / (√vₜ + ε).
    func rmspropPath(learningRate: Double, decay: Double, epsilon: Double) -> [[Double]] {
        var theta = start, v = start.map { _ in 0.0 }, path: [[Double]] = []
        for _ in 0..<steps {
            let g = gradient(theta)
            for i in theta.indices {
                v[i] = decay * v[i] + (1 - decay) * g[i] * g[i]
                theta[i] -= learningRate * g[i] / (v[i].squareRoot() + epsilon)
            }
            path.append(theta)
        }
        return path
    }

    /// θ₁ … θ_T of momentum SGD: pₜ = μ pₜ₋₁ − (1 − μ) gₜ, θₜ = θₜ₋₁ + α pₜ.
    func momentumPath(learningRate: Double, momentum: Double) -> [[Double]] {
        var theta = start, p = start.map { _ in 0.0 }, path: [[Double]] = []
        for _ in 0..<steps {
            let g = gradient(theta)
            for i in theta.indices {
                p[i] = momentum * p[i] - (1 - momentum) * g[i]
                theta[i] += learningRate * p[i]
            }
            path.append(theta)
        }
        return path
    }

    /// The problem as inputs (the probe does not need it; the judge reads it back).
    var record: Record {
        ["curvature": .numbers(curvature), "centre": .numbers(centre), "ripple": .numbers(ripple),
         "start": .numbers(start), "steps": .integer(steps)]
    }

    /// The problem read back from the inputs.
    init(_ record: Record) throws {
        self.init(curvature: try record.numbers("curvature"), centre: try record.numbers("centre"), ripple: try record.numbers("ripple"),
                  start: try record.numbers("start"), steps: try record.integer("steps"))
    }

    /// A problem from its data.
    init(curvature: [Double], centre: [Double], ripple: [Double], start: [Double], steps: Int) {
        (self.curvature, self.centre, self.ripple, self.start, self.steps) = (curvature, centre, ripple, start, steps)
    }

    /// The problem in words, for feedback.
    var description: String {
        "J(θ) = Σ ½ c (θ − t)² + Σ s sin θ with c = \(Rendering.numbers(curvature)), t = \(Rendering.numbers(centre)), "
            + "s = \(Rendering.numbers(ripple)); θ₀ = \(Rendering.numbers(start)); T = \(steps) steps"
    }
}

/// Adam's four hyper-parameters as the student's function returned them.
struct AdamSettings {
    /// α_A.
    let learningRate: Double
    /// β₁.
    let beta1: Double
    /// β₂.
    let beta2: Double
    /// ε_A.
    let epsilon: Double

    /// The settings a probe reported.
    init(_ record: Record) throws {
        (learningRate, beta1, beta2, epsilon) = (try record.number("learningRate"), try record.number("beta1"),
                                                  try record.number("beta2"), try record.number("epsilon"))
    }

    /// The settings in words.
    var description: String {
        "your Adam: α_A = \(Rendering.number(learningRate)), β₁ = \(Rendering.number(beta1)), "
            + "β₂ = \(Rendering.number(beta2)), ε_A = \(Rendering.number(epsilon))"
    }
}

extension Judgement {
    /// Requires every iterate of `actual` to be within `tolerance` (relative, as `close`) of the same
    /// iterate of `expected`; a failure shows the first iterate that differs.
    mutating func samePath(_ actual: [[Double]], _ expected: [[Double]], within tolerance: Double, _ statement: String) {
        let differing = Array(zip(actual, expected)).firstIndex { pair in
            pair.0.count != pair.1.count || !zip(pair.0, pair.1).allSatisfy { Judgement.isClose($0, $1, tolerance) }
        }
        guard let t = differing else {
            require(actual.count == expected.count, statement, expected: "\(expected.count) iterates", actual: "\(actual.count) iterates")
            return
        }
        require(false, statement, expected: "θ\(t + 1) = \(Rendering.numbers(expected[t]))",
                actual: "θ\(t + 1) = \(Rendering.numbers(actual[t]))\(Rendering.largestDifference(actual[t], expected[t]))")
    }
}

/// `draw()` repeated until it differs from `old`, so a case meant to change a number does change it.
func drawnAgain(_ old: Double, _ draw: () -> Double) -> Double {
    var value = draw()
    while value == old { value = draw() }
    return value
}
