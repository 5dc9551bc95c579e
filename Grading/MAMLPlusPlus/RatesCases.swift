import Autodiff
import GradingRuntime

/// One call of `initialInnerRates`: a model, K and the starting rate.
struct InitialRatesCase {
    /// What the case changes, for feedback.
    let label: String
    /// The model's parameters (their names, shapes and dtypes matter; their values do not).
    let model: Parameters
    /// K.
    let steps: Int
    /// The starting rate.
    let rate: Double

    /// The names the rates must have: one per model parameter and step.
    var expectedNames: [String] { model.names.flatMap { name in (1...steps).map { rateName(name, $0) } } }

    /// The case as the probe receives it.
    var record: Record { ["label": .text(label), "model": .of(model), "steps": .integer(steps), "rate": .number(rate)] }

    /// The case read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), model: try record.parameters("model"), steps: try record.integer("steps"),
                  rate: try record.number("rate"))
    }

    /// A case from its parts.
    init(label: String, model: Parameters, steps: Int, rate: Double) {
        (self.label, self.model, self.steps, self.rate) = (label, model, steps, rate)
    }

    /// The case in words.
    var description: String {
        "model \(model.map { "\($0.0): shape \($0.1.shape) \($0.1.dtype)" }.joined(separator: ", ")); K = \(steps), rate = \(Rendering.number(rate))"
    }
}

/// One run of `adapt` (and, with a query set, of the outer gradient through it): meta-parameters
/// Θ = (θ of the regression network, one rate per parameter and step), a support set and K.
struct AdaptCase {
    /// What the case changes, for feedback.
    let label: String
    /// Θ.
    let meta: Parameters
    /// The support set of the inner loop.
    let support: RegressionSet
    /// The query set of the outer loss.
    let query: RegressionSet
    /// K.
    let steps: Int

    /// Θ for θ with rates for steps 1 … K (K ≥ 1): `keep`'s rate where it has one, else drawn in [0.05, 0.4],
    /// every rate different from the others (so a rate taken from the wrong parameter or step shows).
    static func meta(_ theta: Parameters, steps: Int, keeping keep: Parameters = Parameters(), _ random: inout SeededGenerator) -> Parameters {
        var rates: [(String, Tensor)] = []
        var used = Set(keep.tensors.map(\.scalar))
        for name in theta.names {
            for step in 1...steps {
                if let kept = keep[rateName(name, step)] {
                    rates.append((rateName(name, step), kept))
                    continue
                }
                var rate = random.rounded(0.05, 0.4)
                while used.contains(rate) { rate = random.rounded(0.05, 0.4) }
                used.insert(rate)
                rates.append((rateName(name, step), Tensor(rate)))
            }
        }
        return theta.merging(Parameters(rates))
    }

    /// The judge's trajectory φ⁰ … φᴷ.
    var trajectory: [Parameters] { Network.trajectory(meta, support: support, steps: steps) }

    /// ∇_Θ L_query(φᴷ(Θ)), through every inner step (second order).
    var exactGradient: Parameters { grad { (m: Parameters) in Network.loss(Network.trajectory(m, support: support, steps: steps).last!, query) }(meta) }

    /// The same with the inner gradients held constant (first order).
    var firstOrderGradient: Parameters { withFirstOrderGradients { exactGradient } }

    /// The case as the probe receives it.
    var record: Record {
        ["label": .text(label), "meta": .of(meta), "support": .record(support.record), "query": .record(query.record), "steps": .integer(steps)]
    }

    /// The case read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), meta: try record.parameters("meta"), support: try RegressionSet(try record.record("support")),
                  query: try RegressionSet(try record.record("query")), steps: try record.integer("steps"))
    }

    /// A case from its parts.
    init(label: String, meta: Parameters, support: RegressionSet, query: RegressionSet, steps: Int) {
        (self.label, self.meta, self.support, self.query, self.steps) = (label, meta, support, query, steps)
    }

    /// A copy with the given fields replaced.
    func with(label: String, meta: Parameters? = nil, support: RegressionSet? = nil, steps: Int? = nil) -> AdaptCase {
        AdaptCase(label: label, meta: meta ?? self.meta, support: support ?? self.support, query: query, steps: steps ?? self.steps)
    }

    /// The case in words.
    var description: String {
        let rates = ratesPart(meta).map { "\($0.0) = \(Rendering.number($0.1.scalar))" }.joined(separator: ", ")
        return "network tanh(x W1 + b1) W2 + b2 with \(modelPart(meta).map { "\($0.0) = \(Rendering.numbers($0.1.scalars))" }.joined(separator: ", ")); "
            + "rates \(rates); K = \(steps); support loss: mean squared error on \(support.description)"
    }
}

/// Everything part `rates` draws: the `initialInnerRates` cases, the `adapt` cases and the outer-gradient cases.
struct RatesInputs {
    /// initialInnerRates: a drawn network, another model, another K, another rate, the network in single precision.
    let initial: [InitialRatesCase]
    /// adapt: a drawn Θ, K and support set, then another K, θ, rates or support set.
    let adapt: [AdaptCase]
    /// The outer gradient: the drawn case and the one with another K, each with a query set.
    let gradient: [AdaptCase]

    /// Draws the cases until the gradient cases tell the orders apart: the first-order gradient of
    /// θ at least 1e-6 away from the exact one, and some rate's first-order gradient at least 1e-6 from 0.
    static func draw(_ random: inout SeededGenerator) -> RatesInputs {
        while true {
            let inputs = drawOnce(&random)
            let separated = inputs.gradient.allSatisfy { adaptCase in
                let (exact, first) = (adaptCase.exactGradient, adaptCase.firstOrderGradient)
                let model = zip(modelPart(exact).tensors.flatMap(\.scalars), modelPart(first).tensors.flatMap(\.scalars)).contains { abs($0 - $1) > 1e-6 }
                return model && ratesPart(first).tensors.flatMap(\.scalars).contains { abs($0) > 1e-6 }
            }
            if separated { return inputs }
        }
    }

    /// One draw of every case.
    static func drawOnce(_ random: inout SeededGenerator) -> RatesInputs {
        let hidden = random.int(in: 2...4)
        let theta = Network.draw(hidden: hidden, &random)
        let steps = random.int(in: 2...3)
        let rate = random.rounded(0.01, 0.5)
        var otherSteps = random.int(in: 1...4)
        while otherSteps == steps { otherSteps = random.int(in: 1...4) }
        var otherRate = random.rounded(0.01, 0.5)
        while otherRate == rate { otherRate = random.rounded(0.01, 0.5) }
        let initial = [
            InitialRatesCase(label: "a drawn network", model: theta, steps: steps, rate: rate),
            InitialRatesCase(label: "another model", model: otherModel(&random), steps: steps, rate: rate),
            InitialRatesCase(label: "another K", model: theta, steps: otherSteps, rate: rate),
            InitialRatesCase(label: "another rate", model: theta, steps: steps, rate: otherRate),
            InitialRatesCase(label: "the network in single precision", model: theta.map { $0.converted(to: .float32) }, steps: steps, rate: rate),
        ]
        let (amplitude, phase) = (random.rounded(0.5, 2), random.rounded(0, 3))
        let support = RegressionSet.draw(random.int(in: 4...6), amplitude: amplitude, phase: phase, &random)
        let query = RegressionSet.draw(random.int(in: 3...5), amplitude: amplitude, phase: phase, &random)
        let meta = AdaptCase.meta(theta, steps: steps, &random)
        let base = AdaptCase(label: "a drawn case", meta: meta, support: support, query: query, steps: steps)
        let otherK = base.with(label: "another K", meta: AdaptCase.meta(theta, steps: otherSteps, keeping: ratesPart(meta), &random), steps: otherSteps)
        let adapt = [
            base, otherK,
            base.with(label: "another θ", meta: Network.draw(hidden: hidden, &random).merging(ratesPart(meta))),
            base.with(label: "other rates", meta: AdaptCase.meta(theta, steps: steps, &random)),
            base.with(label: "another support set", support: RegressionSet.draw(support.inputs.shape[0], amplitude: amplitude, phase: phase, &random)),
        ]
        return RatesInputs(initial: initial, adapt: adapt, gradient: [base, otherK])
    }

    /// A model with other names and shapes than the network: 3 to 5 tensors of rank 1 to 4.
    static func otherModel(_ random: inout SeededGenerator) -> Parameters {
        let names = ["conv1.weight", "conv1.bias", "norm1.scale", "norm1.shift", "head.weight", "head.bias"]
        let count = random.int(in: 3...5)
        return Parameters(names.prefix(count).map { name in
            let shape = (0..<random.int(in: 1...4)).map { _ in random.int(in: 1...3) }
            return (name, Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in random.rounded(-1, 1) }))
        })
    }

    /// The inputs as the probe receives them.
    var record: Record {
        ["initial": .list(initial.map { .record($0.record) }), "adapt": .list(adapt.map { .record($0.record) }),
         "gradient": .list(gradient.map { .record($0.record) })]
    }

    /// The inputs read back.
    init(_ record: Record) throws {
        self.init(initial: try record.recordList("initial").map(InitialRatesCase.init), adapt: try record.recordList("adapt").map(AdaptCase.init),
                  gradient: try record.recordList("gradient").map(AdaptCase.init))
    }

    /// The inputs from their cases.
    init(initial: [InitialRatesCase], adapt: [AdaptCase], gradient: [AdaptCase]) {
        (self.initial, self.adapt, self.gradient) = (initial, adapt, gradient)
    }
}
