import Autodiff
import GradingRuntime

/// One case of part `update`: a start θ₀ = (a, b), the gradients g₁ … g_T the probe hands to
/// `Adam.step` one per call (drawn directly, not from a loss) and Adam's settings. The expected
/// iterates follow the handout's recursion element by element from m₀ = v₀ = 0.
struct UpdateCase {
    /// How the case differs from the first one, for feedback.
    let label: String
    /// θ₀.
    let start: Parameters
    /// g₁ … g_T, each named and shaped like θ₀.
    let gradients: [Parameters]
    /// α, β₁, β₂, ε.
    let adam: AdamSettings

    /// The eight cases: a drawn case, then α, β₁, β₂ or ε drawn anew alone, ε = 0, another start
    /// and other gradients.
    static func cases(_ random: inout SeededGenerator) -> [UpdateCase] {
        let (n, m, steps) = (random.int(in: 2...4), random.int(in: 1...3), random.int(in: 3...6))
        // Gradients away from 0, so that √v never vanishes and ε = 0 stays well defined.
        let drawGradients = { (random: inout SeededGenerator) in
            (0..<steps).map { _ in drawnParameters(n: n, m: m, &random) { random in
                let g = roundedNormal(&random, 1.5)
                return abs(g) < 0.05 ? (g < 0 ? -0.05 : 0.05) : g
            } }
        }
        let base = UpdateCase(label: "a drawn case", start: drawnParameters(n: n, m: m, &random) { roundedNormal(&$0, 1) },
                              gradients: drawGradients(&random), adam: .draw(&random))
        var zeroEpsilon = base.adam
        zeroEpsilon.epsilon = 0
        return [
            base,
            base.with(label: "another learning rate α", adam: base.adam.changing(0, &random)),
            base.with(label: "another β₁", adam: base.adam.changing(1, &random)),
            base.with(label: "another β₂", adam: base.adam.changing(2, &random)),
            base.with(label: "another ε", adam: base.adam.changing(3, &random)),
            base.with(label: "ε = 0", adam: zeroEpsilon),
            base.with(label: "another start θ₀", start: base.start.map { tensor in
                Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 + random.rounded(0.5, 1.5, digits: 2) })
            }),
            base.with(label: "other gradients", gradients: drawGradients(&random)),
        ]
    }

    /// This case with some fields replaced.
    func with(label: String, start: Parameters? = nil, gradients: [Parameters]? = nil, adam: AdamSettings? = nil) -> UpdateCase {
        UpdateCase(label: label, start: start ?? self.start, gradients: gradients ?? self.gradients, adam: adam ?? self.adam)
    }

    /// θ₁ … θ_T of the handout's Adam, shaped like θ₀.
    var expectedIterates: [Parameters] {
        var theta = flat(start), m = theta.map { _ in 0.0 }, v = m
        return gradients.map { gradient in
            adam.step(&theta, gradient: flat(gradient), m: &m, v: &v)
            return unflat(theta, like: start)
        }
    }

    /// The case as the probe's inputs.
    var record: Record {
        ["label": .text(label), "start": .of(start), "gradients": .of(gradients), "adam": .record(adam.record)]
    }

    /// The case read back from the inputs.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), start: try record.parameters("start"),
                  gradients: try record.parameterList("gradients"), adam: try AdamSettings(record.record("adam")))
    }

    /// A case from its fields.
    init(label: String, start: Parameters, gradients: [Parameters], adam: AdamSettings) {
        (self.label, self.start, self.gradients, self.adam) = (label, start, gradients, adam)
    }

    /// The case in words.
    var description: String {
        "\(adam.description); θ₀: \(named(start)); gradients handed to step: "
            + gradients.enumerated().map { "g\($0.offset + 1): \(named($0.element))" }.joined(separator: "; ")
    }
}

/// A collection as `a = [..], b = [..]`.
func named(_ parameters: Parameters) -> String {
    parameters.map { "\($0.0) = \(Rendering.numbers($0.1.scalars))" }.joined(separator: ", ")
}
