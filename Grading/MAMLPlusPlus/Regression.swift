import Autodiff
import Foundation
import GradingRuntime

/// The name of the learned rate α_{n,k} among the meta-parameters, as the handout fixes it.
func rateName(_ parameter: String, _ step: Int) -> String { "inner.lr.\(parameter).\(step)" }

/// True for a learned rate's name.
func isRateName(_ name: String) -> Bool { name.hasPrefix("inner.lr.") }

/// The model part of meta-parameters: every tensor that is not a learned rate, in order.
func modelPart(_ meta: Parameters) -> Parameters { meta.selecting(meta.names.filter { !isRateName($0) }) }

/// The rates part of meta-parameters, in order.
func ratesPart(_ meta: Parameters) -> Parameters { meta.selecting(meta.names.filter(isRateName)) }

/// Points (x, y) of one sine regression task, y = A sin(x + p), as [n, 1] columns.
struct RegressionSet {
    /// x, [n, 1].
    let inputs: Tensor
    /// y, [n, 1].
    let targets: Tensor

    /// `count` points with x uniform on [−2, 2] (rounded to 3 digits) of y = A sin(x + p).
    static func draw(_ count: Int, amplitude: Double, phase: Double, _ random: inout SeededGenerator) -> RegressionSet {
        let x = (0..<count).map { _ in random.rounded(-2, 2) }
        return RegressionSet(inputs: Tensor(shape: [count, 1], scalars: x),
                             targets: Tensor(shape: [count, 1], scalars: x.map { amplitude * sin($0 + phase) }))
    }

    /// The set as the probe receives it.
    var record: Record { ["inputs": .of(inputs), "targets": .of(targets)] }

    /// The set read back.
    init(_ record: Record) throws { self.init(inputs: try record.tensor("inputs"), targets: try record.tensor("targets")) }

    /// A set from its two columns.
    init(inputs: Tensor, targets: Tensor) { (self.inputs, self.targets) = (inputs, targets) }

    /// The set in words.
    var description: String { "x = \(Rendering.numbers(inputs.scalars)), y = \(Rendering.numbers(targets.scalars))" }
}

/// The regression network of the rates and multi-step parts, f(x) = tanh(x W1 + b1) W2 + b2, with
/// its mean squared error: the judge's copy of what the probe hands the student's code.
enum Network {
    /// f(x) = tanh(x W1 + b1) W2 + b2.
    static func apply(_ p: Parameters, _ x: Tensor) -> Tensor {
        matmul(tanh(matmul(x, p.require("W1")) + p.require("b1")), p.require("W2")) + p.require("b2")
    }

    /// L(φ) = mean (f(x) − y)² on `set`.
    static func loss(_ p: Parameters, _ set: RegressionSet) -> Tensor { meanSquaredError(apply(p, set.inputs), set.targets) }

    /// θ of a 1-h-1 network: W uniform on ±1/√fan-in, b normal with deviation 0.3, rounded to 3 digits.
    static func draw(hidden: Int, _ random: inout SeededGenerator) -> Parameters {
        /// A tensor of `shape` whose elements `element` draws.
        func tensor(_ shape: [Int], _ element: () -> Double) -> Tensor {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in element() })
        }
        return ["W1": tensor([1, hidden]) { random.rounded(-1, 1) },
                "b1": tensor([hidden]) { (random.normal(standardDeviation: 0.3) * 1000).rounded() / 1000 },
                "W2": tensor([hidden, 1]) { random.rounded(-1 / Double(hidden).squareRoot(), 1 / Double(hidden).squareRoot()) },
                "b2": tensor([1]) { (random.normal(standardDeviation: 0.3) * 1000).rounded() / 1000 }]
    }

    /// The judge's inner loop with learned rates: φ⁰ = θ, φᵏₙ = φᵏ⁻¹ₙ − α_{n,k} ∇ₙ L_sup(φᵏ⁻¹), for k = 1 … K.
    static func trajectory(_ meta: Parameters, support: RegressionSet, steps: Int) -> [Parameters] {
        var phi = modelPart(meta)
        var path = [phi]
        for step in 0..<steps {
            let slope = grad { (p: Parameters) in loss(p, support) }(phi)
            phi = Parameters(phi.names.map { name in (name, phi.require(name) - meta.require(rateName(name, step + 1)) * slope.require(name)) })
            path.append(phi)
        }
        return path
    }
}
