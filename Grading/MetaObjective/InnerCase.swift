import Autodiff
import GradingRuntime

/// One case of MetaObjective's parts: a separable quadratic cost, a start θ, a step count K, a
/// step size η and the inner step the probe hands in, with the objective and its gradient in
/// closed form.
///
/// cost(θ) = ½ Σ c ⊙ (θ − t)² summed over every tensor of θ. The step hands in
/// θ ← θ − η D ⊙ ∇cost(θ) (D = 1 for plain gradient descent), which maps each residual
/// r = θ − t to (1 − η d c) r. After K steps r_K = (1 − η d c)^K r, so
///
///     meta(θ) = ½ Σ c r_K²,      ∇meta(θ) = c (1 − η d c)^{2K} r.
struct InnerCase {
    /// How the case differs from the first one, for feedback ("another step size η").
    let label: String
    /// "K = 3, another step size η": the case's name in feedback.
    var name: String { "K = \(numSteps), \(label)" }
    /// c, one positive curvature per element, named like θ.
    let curvature: Parameters
    /// t, the minimiser, named like θ.
    let target: Parameters
    /// θ, where the objective is evaluated.
    let start: Parameters
    /// K, the number of inner steps.
    let numSteps: Int
    /// η, the inner step size.
    let stepSize: Double
    /// D, the positive scaling of the injected step's gradient; nil for plain gradient descent.
    let preconditioner: Parameters?

    /// The eight cases each part checks: a drawn case (K from 2 to 4), then that case with only
    /// K (0, 1, K + 2), θ, η, the cost or the injected step changed.
    static func cases(_ random: inout SeededGenerator) -> [InnerCase] {
        let base = draw(&random)
        let k = base.numSteps
        return [
            base,
            base.with(label: "the plain cost, otherwise as case 1", numSteps: 0),
            base.with(label: "otherwise as case 1", numSteps: 1),
            base.with(label: "otherwise as case 1", numSteps: k + 2),
            base.with(label: "another start θ", start: base.start.map { moved($0, &random, by: 0.5...1.5) }),
            base.with(label: "another step size η", stepSize: drawnAgain(base.stepSize) { random.rounded(0.05, 0.3) }),
            base.with(label: "another cost", curvature: base.curvature.map { redrawn($0, &random, in: 0.5...3) },
                      target: base.target.map { moved($0, &random, by: -1.5...1.5) }),
            base.with(label: "another inner step, θ − η D ⊙ ∇cost(θ)",
                      preconditioner: base.start.map { redrawn($0, &random, in: 0.5...2) }),
        ]
    }

    /// A drawn case: θ = (w ∈ ℝⁿ, v ∈ ℝ^{1×m}), n from 2 to 4, m from 1 to 3; c in [0.5, 3],
    /// η in [0.05, 0.3] (so |1 − η c| < 1), K from 2 to 4, plain gradient descent.
    static func draw(_ random: inout SeededGenerator) -> InnerCase {
        let shapes = [("w", [random.int(in: 2...4)]), ("v", [1, random.int(in: 1...3)])]
        func tensors(_ make: (inout SeededGenerator) -> Double) -> Parameters {
            Parameters(shapes.map { name, shape in (name, Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in make(&random) })) })
        }
        return InnerCase(label: "a drawn case", curvature: tensors { $0.rounded(0.5, 3, digits: 2) },
                         target: tensors { roundedNormal(&$0, 1) }, start: tensors { roundedNormal(&$0, 1.5) },
                         numSteps: random.int(in: 2...4), stepSize: random.rounded(0.05, 0.3), preconditioner: nil)
    }

    /// This case with the given fields replaced.
    func with(label: String, curvature: Parameters? = nil, target: Parameters? = nil, start: Parameters? = nil,
              numSteps: Int? = nil, stepSize: Double? = nil, preconditioner: Parameters? = nil) -> InnerCase {
        InnerCase(label: label, curvature: curvature ?? self.curvature, target: target ?? self.target, start: start ?? self.start,
                  numSteps: numSteps ?? self.numSteps, stepSize: stepSize ?? self.stepSize,
                  preconditioner: preconditioner ?? self.preconditioner)
    }

    /// The per-element factor f = 1 − η d c of one step, and the residual r = θ − t, tensor by tensor.
    private func factorsAndResiduals() -> [(c: [Double], f: [Double], r: [Double])] {
        curvature.names.map { name in
            let c = curvature.require(name).scalars, t = target.require(name).scalars, theta = start.require(name).scalars
            let d = preconditioner?.require(name).scalars ?? [Double](repeating: 1, count: c.count)
            return (c, (0..<c.count).map { 1 - stepSize * d[$0] * c[$0] }, (0..<c.count).map { theta[$0] - t[$0] })
        }
    }

    /// meta(θ) = ½ Σ c (f^K r)².
    var expectedValue: Double {
        factorsAndResiduals().reduce(0) { total, tensor in
            total + (0..<tensor.c.count).reduce(0) { sum, i in
                let rK = power(tensor.f[i], numSteps) * tensor.r[i]
                return sum + 0.5 * tensor.c[i] * rK * rK
            }
        }
    }

    /// ∇meta(θ) = c f^{2K} r, named and shaped like θ.
    var expectedGradient: Parameters {
        Parameters(zip(start.names, factorsAndResiduals()).map { name, tensor in
            (name, Tensor(shape: start.require(name).shape,
                          scalars: (0..<tensor.c.count).map { tensor.c[$0] * power(tensor.f[$0], 2 * numSteps) * tensor.r[$0] }))
        })
    }

    /// The case as the probe's inputs (the label too, which the probe ignores).
    var record: Record {
        var record: Record = ["label": .text(label), "curvature": .of(curvature), "target": .of(target), "start": .of(start),
                              "numSteps": .integer(numSteps), "stepSize": .number(stepSize)]
        if let preconditioner { record["preconditioner"] = .of(preconditioner) }
        return record
    }

    /// The case read back from the inputs.
    init(_ record: Record) throws {
        let preconditioner = record["preconditioner"] == nil ? nil : try record.parameters("preconditioner")
        self.init(label: try record.text("label"), curvature: try record.parameters("curvature"), target: try record.parameters("target"),
                  start: try record.parameters("start"), numSteps: try record.integer("numSteps"),
                  stepSize: try record.number("stepSize"), preconditioner: preconditioner)
    }

    /// A case from its fields.
    init(label: String, curvature: Parameters, target: Parameters, start: Parameters, numSteps: Int, stepSize: Double,
         preconditioner: Parameters?) {
        (self.label, self.curvature, self.target, self.start) = (label, curvature, target, start)
        (self.numSteps, self.stepSize, self.preconditioner) = (numSteps, stepSize, preconditioner)
    }

    /// The case in words, for feedback.
    var description: String {
        func named(_ p: Parameters) -> String { p.map { "\($0.0) = \(Rendering.numbers($0.1.scalars))" }.joined(separator: ", ") }
        let step = preconditioner.map { "the injected step θ − η D ⊙ ∇cost(θ) with D: \(named($0))" } ?? "the injected step θ − η ∇cost(θ)"
        return "cost(θ) = ½ Σ c ⊙ (θ − t)² with c: \(named(curvature)); t: \(named(target)); θ: \(named(start)); "
            + "K = \(numSteps); η = \(Rendering.number(stepSize)); \(step)"
    }
}

/// base^exponent for a whole exponent ≥ 0, by repeated multiplication.
func power(_ base: Double, _ exponent: Int) -> Double { (0..<exponent).reduce(1.0) { product, _ in product * base } }

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

/// `tensor` with each element moved by a drawn amount in `range` (two decimals).
func moved(_ tensor: Tensor, _ random: inout SeededGenerator, by range: ClosedRange<Double>) -> Tensor {
    Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 + random.rounded(range.lowerBound, range.upperBound, digits: 2) })
}

/// A tensor shaped like `tensor` with every element drawn anew in `range` (two decimals).
func redrawn(_ tensor: Tensor, _ random: inout SeededGenerator, in range: ClosedRange<Double>) -> Tensor {
    Tensor(shape: tensor.shape, scalars: tensor.scalars.map { _ in random.rounded(range.lowerBound, range.upperBound, digits: 2) })
}
