import Autodiff
import Foundation
import GradingRuntime

/// Adam's hyper-parameters for one case, with the handout's update on plain numbers:
///
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ,   vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²,   θₜ = θₜ₋₁ − α mₜ / (√vₜ + ε).
struct AdamSettings: Equatable {
    /// α.
    var learningRate: Double
    /// β₁.
    var beta1: Double
    /// β₂.
    var beta2: Double
    /// ε.
    var epsilon: Double

    /// Drawn settings: α in [0.05, 0.2], β₁ in [0.5, 0.95], β₂ in [0.9, 0.999], ε in [0.05, 0.5].
    static func draw(_ random: inout SeededGenerator) -> AdamSettings {
        AdamSettings(learningRate: random.rounded(0.05, 0.2), beta1: random.rounded(0.5, 0.95),
                     beta2: random.rounded(0.9, 0.999), epsilon: random.rounded(0.05, 0.5))
    }

    /// The settings with one of them drawn anew (`which` is 0 for α, 1 for β₁, 2 for β₂, 3 for ε).
    func changing(_ which: Int, _ random: inout SeededGenerator) -> AdamSettings {
        var other = self
        switch which {
        case 0: other.learningRate = drawnAgain(learningRate) { random.rounded(0.05, 0.2) }
        case 1: other.beta1 = drawnAgain(beta1) { random.rounded(0.5, 0.95) }
        case 2: other.beta2 = drawnAgain(beta2) { random.rounded(0.9, 0.999) }
        default: other.epsilon = drawnAgain(epsilon) { random.rounded(0.05, 0.5) }
        }
        return other
    }

    /// One Adam step on flat arrays, updating m and v in place.
    func step(_ theta: inout [Double], gradient g: [Double], m: inout [Double], v: inout [Double]) {
        for i in theta.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            theta[i] -= learningRate * m[i] / (v[i].squareRoot() + epsilon)
        }
    }

    /// The settings as inputs.
    var record: Record {
        ["learningRate": .number(learningRate), "beta1": .number(beta1), "beta2": .number(beta2), "epsilon": .number(epsilon)]
    }

    /// The settings read back.
    init(_ record: Record) throws {
        self.init(learningRate: try record.number("learningRate"), beta1: try record.number("beta1"),
                  beta2: try record.number("beta2"), epsilon: try record.number("epsilon"))
    }

    /// Settings from their four numbers.
    init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    }

    /// The settings in words.
    var description: String {
        "Adam(α = \(Rendering.number(learningRate)), β₁ = \(Rendering.number(beta1)), β₂ = \(Rendering.number(beta2)), "
            + "ε = \(Rendering.number(epsilon)))"
    }
}

/// `draw()` repeated until it differs from `old`, so a case meant to change a number does change it.
func drawnAgain(_ old: Double, _ draw: () -> Double) -> Double {
    var value = draw()
    while value == old { value = draw() }
    return value
}

/// A normal draw with standard deviation `deviation`, rounded to two decimals.
func roundedNormal(_ random: inout SeededGenerator, _ deviation: Double) -> Double {
    (random.normal(standardDeviation: deviation) * 100).rounded() / 100
}

/// θ = (a ∈ ℝⁿ, b ∈ ℝ^{1×m}) with every element from `make`.
func drawnParameters(n: Int, m: Int, _ random: inout SeededGenerator, _ make: (inout SeededGenerator) -> Double) -> Parameters {
    ["a": Tensor((0..<n).map { _ in make(&random) }), "b": Tensor(shape: [1, m], scalars: (0..<m).map { _ in make(&random) })]
}

/// Every element of a parameter collection, in order.
func flat(_ parameters: Parameters) -> [Double] { parameters.tensors.flatMap(\.scalars) }

/// The collection shaped like `shape` holding `values` in order.
func unflat(_ values: [Double], like shape: Parameters) -> Parameters {
    var offset = 0
    return shape.map { tensor in
        defer { offset += tensor.scalarCount }
        return Tensor(shape: tensor.shape, scalars: Array(values[offset..<(offset + tensor.scalarCount)]))
    }
}
