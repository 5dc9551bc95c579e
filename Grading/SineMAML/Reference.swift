import Autodiff
import Foundation
import GradingRuntime

/// The judge's own one-step MAML on the sine network, one task at a time:
///
///     f(x) = h_{L−1} W_L + b_L,  hₗ = relu(hₗ₋₁ Wₗ + bₗ),  L(θ) = Σᵢ (f(xᵢ) − yᵢ)²,
///     ℓ(θ) = L_Q(θ − α ∇L_S(θ)),   batched: (1/T) Σ_t ℓ_t(θ).
enum Reference {
    /// The network's outputs for inputs [n, 1]; W1, b1, W2, b2, … in order.
    static func network(_ params: Parameters, _ inputs: Tensor) -> Tensor {
        let layers = params.count / 2
        var hidden = inputs
        for layer in 1...layers {
            hidden = matmul(hidden, params.require("W\(layer)")) + params.require("b\(layer)")
            if layer < layers { hidden = relu(hidden) }
        }
        return hidden
    }

    /// The summed squared error on one set.
    static func loss(_ params: Parameters, _ set: SineSet) -> Tensor {
        let residual = network(params, set.inputs) - set.targets
        return (residual * residual).sum()
    }

    /// ℓ(θ) = L_Q(θ − α ∇L_S(θ)), differentiable to second order.
    static func adaptationLoss(_ params: Parameters, _ task: SineTask, _ stepSize: Double) -> Tensor {
        let gradient = grad { loss($0, task.support) }(params)
        return loss(params - stepSize * gradient, task.query)
    }

    /// The value and gradient of (1/T) Σ_t ℓ_t(θ), a loop over the tasks.
    static func meanLoss(_ params: Parameters, _ tasks: [SineTask], _ stepSize: Double) -> (value: Double, gradient: Parameters) {
        let (value, gradient) = valueAndGrad { p in
            tasks.map { adaptationLoss(p, $0, stepSize) }.reduce(p.squaredNorm() * 0, +) / Double(tasks.count)
        }(params)
        return (value.scalar, gradient)
    }
}

/// Points of one sine wave: inputs and targets as [n, 1] columns.
struct SineSet {
    /// x.
    let inputs: Tensor
    /// a sin(x + φ).
    let targets: Tensor

    /// `count` inputs uniform on [−5, 5] (two decimals) of the wave a sin(x + φ).
    static func draw(_ count: Int, amplitude: Double, phase: Double, _ random: inout SeededGenerator) -> SineSet {
        let x = (0..<count).map { _ in random.rounded(-5, 5, digits: 2) }
        return SineSet(inputs: Tensor(shape: [count, 1], scalars: x), targets: Tensor(shape: [count, 1], scalars: x.map { amplitude * sin($0 + phase) }))
    }
}

/// One task: a wave's amplitude and phase (for feedback), its support and query sets.
struct SineTask {
    /// a.
    let amplitude: Double
    /// φ.
    let phase: Double
    /// The support set.
    let support: SineSet
    /// The query set.
    let query: SineSet

    /// A wave with a in [0.1, 5] and φ in [0, π] (two decimals) and `supportSize` + `querySize` points.
    static func draw(supportSize: Int, querySize: Int, _ random: inout SeededGenerator) -> SineTask {
        let (amplitude, phase) = (random.rounded(0.1, 5, digits: 2), random.rounded(0, Double.pi, digits: 2))
        return SineTask(amplitude: amplitude, phase: phase, support: .draw(supportSize, amplitude: amplitude, phase: phase, &random),
                        query: .draw(querySize, amplitude: amplitude, phase: phase, &random))
    }

    /// The task as inputs.
    var record: Record {
        ["amplitude": .number(amplitude), "phase": .number(phase), "supportInputs": .of(support.inputs), "supportTargets": .of(support.targets),
         "queryInputs": .of(query.inputs), "queryTargets": .of(query.targets)]
    }

    /// The task read back.
    init(_ record: Record) throws {
        self.init(amplitude: try record.number("amplitude"), phase: try record.number("phase"),
                  support: SineSet(inputs: try record.tensor("supportInputs"), targets: try record.tensor("supportTargets")),
                  query: SineSet(inputs: try record.tensor("queryInputs"), targets: try record.tensor("queryTargets")))
    }

    /// A task from its parts.
    init(amplitude: Double, phase: Double, support: SineSet, query: SineSet) {
        (self.amplitude, self.phase, self.support, self.query) = (amplitude, phase, support, query)
    }

    /// The task in words.
    var description: String {
        "y = \(Rendering.number(amplitude)) sin(x + \(Rendering.number(phase))), support x = \(Rendering.numbers(support.inputs.scalars)), "
            + "query x = \(Rendering.numbers(query.inputs.scalars))"
    }
}

/// A drawn sine network: widths [1, h, 1] or [1, h, h, 1] with h from 4 to 10; weights normal with
/// deviation 1/√fan-in and biases [1, out] normal with deviation 0.1, three decimals.
func drawNetwork(_ random: inout SeededGenerator) -> Parameters {
    let hidden = random.int(in: 4...10)
    let widths = random.int(in: 0...1) == 0 ? [1, hidden, 1] : [1, hidden, hidden, 1]
    var pairs: [(String, Tensor)] = []
    for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
        let deviation = 1 / Double(fanIn).squareRoot()
        pairs.append(("W\(layer + 1)", Tensor(shape: [fanIn, fanOut], scalars: (0..<fanIn * fanOut).map { _ in roundedNormal(&random, deviation) })))
        pairs.append(("b\(layer + 1)", Tensor(shape: [1, fanOut], scalars: (0..<fanOut).map { _ in roundedNormal(&random, 0.1) })))
    }
    return Parameters(pairs)
}

/// A normal draw with standard deviation `deviation`, rounded to three decimals.
func roundedNormal(_ random: inout SeededGenerator, _ deviation: Double) -> Double {
    (random.normal(standardDeviation: deviation) * 1000).rounded() / 1000
}

/// The network in words.
func describe(_ params: Parameters) -> String {
    let outputs = (1...(params.count / 2)).map { params.require("W\($0)").shape[1] }
    return "a ReLU network of widths \([1] + outputs), θ = \(Rendering.numbers(params.tensors.flatMap(\.scalars)))"
}

/// α in [0.002, 0.03], four decimals.
func drawStepSize(_ random: inout SeededGenerator) -> Double { random.rounded(0.002, 0.03, digits: 4) }

/// `draw()` repeated until it differs from `old`, so a case meant to change a number does change it.
func drawnAgain(_ old: Double, _ draw: () -> Double) -> Double {
    var value = draw()
    while value == old { value = draw() }
    return value
}
