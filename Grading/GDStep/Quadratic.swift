import Autodiff
import GradingRuntime

/// The costs of GDStep's parts: cost(a, b) = ½ Σ c ⊙ a² + Σ d ⊙ b, whose gradient (c ⊙ a, d) and
/// whose step a' = (1 − η c) a, b' = b − η d are known in closed form.
struct QuadraticCase {
    /// c, one positive curvature per entry of a.
    let curvature: Tensor
    /// d, the slope of the linear term in b (shape [1, m]).
    let slope: Tensor
    /// θ = (a, b), the point the step starts from.
    let start: Parameters
    /// η.
    let stepSize: Double

    /// A case with a in ℝⁿ (n from 2 to 5) and b in ℝ^{1×m} (m from 1 to 3).
    static func draw(_ random: inout SeededGenerator) -> QuadraticCase {
        let (n, m) = (random.int(in: 2...5), random.int(in: 1...3))
        return QuadraticCase(
            curvature: Tensor(random.uniforms(n, 0.5, 3).map { ($0 * 100).rounded() / 100 }),
            slope: Tensor(shape: [1, m], scalars: (0..<m).map { _ in (random.normal() * 100).rounded() / 100 }),
            start: ["a": Tensor((0..<n).map { _ in (random.normal(standardDeviation: 1.5) * 100).rounded() / 100 }),
                    "b": Tensor(shape: [1, m], scalars: (0..<m).map { _ in (random.normal() * 100).rounded() / 100 })],
            stepSize: random.rounded(0.05, 0.45))
    }

    /// The same cost at another start (each entry moved), to check that the step uses θ.
    func movingStart(_ random: inout SeededGenerator) -> QuadraticCase {
        QuadraticCase(curvature: curvature, slope: slope, start: start.map { $0 + Tensor(shape: $0.shape, scalars: $0.scalars.map { _ in random.rounded(0.5, 1.5) }) },
                      stepSize: stepSize)
    }

    /// The same cost and start with another step size, to check that the step uses η.
    func changingStepSize(_ random: inout SeededGenerator) -> QuadraticCase {
        QuadraticCase(curvature: curvature, slope: slope, start: start, stepSize: random.rounded(0.05, 0.45))
    }

    /// The same start and step with other curvatures and slopes, to check that the step uses the cost.
    func changingCost(_ random: inout SeededGenerator) -> QuadraticCase {
        QuadraticCase(curvature: curvature.map { _ in random.rounded(0.5, 3, digits: 2) },
                      slope: slope.map { _ in random.rounded(-1.5, 1.5, digits: 2) }, start: start, stepSize: stepSize)
    }

    /// The four cases a part checks: a drawn case, and that case with θ, η or the cost changed alone.
    static func cases(_ random: inout SeededGenerator) -> [QuadraticCase] {
        let base = draw(&random)
        return [base, base.movingStart(&random), base.changingStepSize(&random), base.changingCost(&random)]
    }

    /// The case as inputs for the probe.
    var record: Record {
        ["curvature": .of(curvature), "slope": .of(slope), "start": .of(start), "stepSize": .number(stepSize)]
    }

    /// The case read back from inputs.
    init(_ record: Record) throws {
        self.init(curvature: try record.tensor("curvature"), slope: try record.tensor("slope"),
                  start: try record.parameters("start"), stepSize: try record.number("stepSize"))
    }

    /// A case from its four parts.
    init(curvature: Tensor, slope: Tensor, start: Parameters, stepSize: Double) {
        (self.curvature, self.slope, self.start, self.stepSize) = (curvature, slope, start, stepSize)
    }

    /// The case in words, for feedback.
    var description: String {
        "cost(a, b) = ½ Σ c ⊙ a² + Σ d ⊙ b with c = \(Rendering.numbers(curvature.scalars)), d = \(Rendering.numbers(slope.scalars)); "
            + "θ: a = \(Rendering.numbers(start.require("a").scalars)), b = \(Rendering.numbers(start.require("b").scalars)); η = \(Rendering.number(stepSize))"
    }
}

extension Tensor {
    /// The tensor with each element replaced by `transform` of it.
    func map(_ transform: (Double) -> Double) -> Tensor { Tensor(shape: shape, scalars: scalars.map(transform), dtype: dtype) }
}
