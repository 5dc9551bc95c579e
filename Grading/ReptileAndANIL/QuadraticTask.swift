import Autodiff
import Foundation
import GradingRuntime

/// A Reptile task whose inner loop is known in closed form: cost(θ) = ½ Σₙ Σ cₙ ⊙ (θₙ − tₙ)²
/// over the tensors n of θ, so k gradient steps of size α from φ give
/// U^k(φ)ₙ = tₙ + (1 − α cₙ)^k ⊙ (φₙ − tₙ), element by element.
struct QuadraticTask {
    /// c, positive curvatures named and shaped like θ.
    let curvature: Parameters
    /// t, the minimiser, named and shaped like θ.
    let target: Parameters

    /// A task for parameters shaped like `like`: curvatures in [0.5, 3] and targets normal with
    /// deviation 1.5, rounded to 2 digits.
    static func draw(like: Parameters, _ random: inout SeededGenerator) -> QuadraticTask {
        QuadraticTask(curvature: like.map { tensor in tensor.redrawn { random.rounded(0.5, 3, digits: 2) } },
                      target: like.map { tensor in tensor.redrawn { (random.normal(standardDeviation: 1.5) * 100).rounded() / 100 } })
    }

    /// U^k(φ) in closed form.
    func adapted(_ start: Parameters, steps: Int, stepSize: Double) -> Parameters {
        Parameters(start.names.map { name in
            let (phi, c, t) = (start.require(name), curvature.require(name), target.require(name))
            let values = zip(phi.scalars, zip(c.scalars, t.scalars)).map { value, pair in
                pair.1 + pow(1 - stepSize * pair.0, Double(steps)) * (value - pair.1)
            }
            return (name, Tensor(shape: phi.shape, scalars: values))
        })
    }

    /// The task as the probe receives it.
    var record: Record { ["curvature": .of(curvature), "target": .of(target)] }

    /// The task read back.
    init(_ record: Record) throws {
        self.init(curvature: try record.parameters("curvature"), target: try record.parameters("target"))
    }

    /// A task from its curvatures and minimiser.
    init(curvature: Parameters, target: Parameters) {
        (self.curvature, self.target) = (curvature, target)
    }

    /// The task in words.
    var description: String {
        "cost ½ Σ c ⊙ (θ − t)² with " + curvature.names.map { name in
            "c_\(name) = \(Rendering.numbers(curvature.require(name).scalars)), t_\(name) = \(Rendering.numbers(target.require(name).scalars))"
        }.joined(separator: ", ")
    }
}

/// Parameters φ with a vector `a` (2 to 4 entries) and a matrix `b` (2 × 1 to 2 × 3), normal with
/// deviation 1.5, rounded to 2 digits.
func drawStart(_ random: inout SeededGenerator) -> Parameters {
    let (n, m) = (random.int(in: 2...4), random.int(in: 1...3))
    return ["a": Tensor.zeros([n]).redrawn { (random.normal(standardDeviation: 1.5) * 100).rounded() / 100 },
            "b": Tensor.zeros([2, m]).redrawn { (random.normal(standardDeviation: 1.5) * 100).rounded() / 100 }]
}

/// φ in words.
func describe(_ parameters: Parameters) -> String {
    parameters.map { "\($0.0) = \(Rendering.numbers($0.1.scalars))" }.joined(separator: ", ")
}

/// Drawing the elements of a tensor one by one.
extension Tensor {
    /// A tensor of the same shape whose elements are drawn one by one by `element`.
    func redrawn(_ element: () -> Double) -> Tensor {
        Tensor(shape: shape, scalars: (0..<scalarCount).map { _ in element() }, dtype: dtype)
    }
}

/// Inner-loop settings drawn for a case: k from `steps` and α in [0.05, 0.3].
func drawInnerLoop(_ random: inout SeededGenerator, steps: ClosedRange<Int>) -> (steps: Int, stepSize: Double) {
    (random.int(in: steps), random.rounded(0.05, 0.3))
}
