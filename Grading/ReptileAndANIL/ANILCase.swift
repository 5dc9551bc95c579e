import Autodiff
import GradingRuntime

/// One input of `anilAdapt`: a one-hidden-layer tanh regression network θ = (W1, b1, W2, b2),
/// support points for the inner loop, query points for the meta-gradient, the head's names and
/// the inner loop (k steps of size α).
struct ANILCase {
    /// What the case changes, for feedback.
    let label: String
    /// θ.
    let params: Parameters
    /// The names of the head's tensors, in the order passed.
    let headNames: [String]
    /// Support inputs [n, d] and targets [n, 1].
    let support: (inputs: Tensor, targets: Tensor)
    /// Query inputs [m, d] and targets [m, 1].
    let query: (inputs: Tensor, targets: Tensor)
    /// k.
    let steps: Int
    /// α.
    let stepSize: Double

    /// The cases: a drawn one (d from 1 to 3 inputs, 2 to 4 hidden units, head W2 and b2, k from 2 to
    /// 4), then the same with another k, α, θ or support set, the head named in the other order,
    /// and a head of W2 alone. Every case has k ≥ 2, where the head's later steps see the body: a
    /// loop that moved the body too would be caught. Drawn again until every case's second-order
    /// meta-gradient differs from the first-order one by at least 1e-6 (relative), so a detached
    /// head gradient cannot pass by luck.
    static func cases(_ random: inout SeededGenerator) -> [ANILCase] {
        while true {
            let (inputs, hidden) = (random.int(in: 1...3), random.int(in: 2...4))
            let inner = drawInnerLoop(&random, steps: 2...4)
            let base = ANILCase(label: "a drawn case", params: drawNetwork(inputs: inputs, hidden: hidden, &random), headNames: ["W2", "b2"],
                                support: drawPoints(random.int(in: 4...6), inputs: inputs, &random),
                                query: drawPoints(random.int(in: 3...5), inputs: inputs, &random), steps: inner.steps, stepSize: inner.stepSize)
            var otherSteps = random.int(in: 2...4)
            while otherSteps == base.steps { otherSteps = random.int(in: 2...4) }
            var otherStepSize = random.rounded(0.05, 0.3)
            while otherStepSize == base.stepSize { otherStepSize = random.rounded(0.05, 0.3) }
            let cases = [
                base,
                base.with(label: "another k", steps: otherSteps),
                base.with(label: "another α", stepSize: otherStepSize),
                base.with(label: "another θ", params: drawNetwork(inputs: inputs, hidden: hidden, &random)),
                base.with(label: "another support set", support: drawPoints(base.support.inputs.shape[0], inputs: inputs, &random)),
                base.with(label: "head named as [b2, W2]", headNames: ["b2", "W2"]),
                base.with(label: "head W2 alone (b2 in the body)", headNames: ["W2"]),
            ]
            if cases.allSatisfy(\.separatesOrders) { return cases }
        }
    }

    /// W1 [d, h] and W2 [h, 1] uniform on ±1/√fan-in, b1 [h] and b2 [1] normal with deviation 0.3, rounded to 3 digits.
    static func drawNetwork(inputs: Int, hidden: Int, _ random: inout SeededGenerator) -> Parameters {
        /// A tensor of `shape` uniform on ±`bound`, rounded to 3 digits.
        func uniform(_ shape: [Int], _ bound: Double) -> Tensor { Tensor.zeros(shape).redrawn { random.rounded(-bound, bound) } }
        /// A tensor of `shape` normal with deviation 0.3, rounded to 3 digits.
        func normal(_ shape: [Int]) -> Tensor { Tensor.zeros(shape).redrawn { (random.normal(standardDeviation: 0.3) * 1000).rounded() / 1000 } }
        return ["W1": uniform([inputs, hidden], 1 / Double(inputs).squareRoot()), "b1": normal([hidden]),
                "W2": uniform([hidden, 1], 1 / Double(hidden).squareRoot()), "b2": normal([1])]
    }

    /// `count` points: inputs normal, targets normal with deviation 0.5, rounded to 3 digits.
    static func drawPoints(_ count: Int, inputs: Int, _ random: inout SeededGenerator) -> (inputs: Tensor, targets: Tensor) {
        (Tensor.zeros([count, inputs]).redrawn { (random.normal() * 1000).rounded() / 1000 },
         Tensor.zeros([count, 1]).redrawn { (random.normal(standardDeviation: 0.5) * 1000).rounded() / 1000 })
    }

    /// A copy with the given fields replaced.
    func with(label: String, params: Parameters? = nil, headNames: [String]? = nil, support: (inputs: Tensor, targets: Tensor)? = nil,
              steps: Int? = nil, stepSize: Double? = nil) -> ANILCase {
        ANILCase(label: label, params: params ?? self.params, headNames: headNames ?? self.headNames, support: support ?? self.support,
                 query: query, steps: steps ?? self.steps, stepSize: stepSize ?? self.stepSize)
    }

    /// f(x) = tanh(x W1 + b1) W2 + b2.
    static func network(_ p: Parameters, _ x: Tensor) -> Tensor {
        matmul(tanh(matmul(x, p.require("W1")) + p.require("b1")), p.require("W2")) + p.require("b2")
    }

    /// The mean squared error of the network at `p` on `points`.
    static func loss(_ p: Parameters, _ points: (inputs: Tensor, targets: Tensor)) -> Tensor {
        meanSquaredError(network(p, points.inputs), points.targets)
    }

    /// The judge's ANIL: headₘ = headₘ₋₁ − α ∇_head L_sup(body, headₘ₋₁) for m = 1 … k, then (body, head_k) in θ's order.
    func adapt(_ p: Parameters) -> Parameters {
        var head = p.selecting(headNames)
        for _ in 0..<steps {
            let slope = grad { (h: Parameters) in Self.loss(p.merging(h), support) }(head)
            head = head - stepSize * slope
        }
        return p.merging(head)
    }

    /// ∇_θ L_query(adapt(θ)), through the head's steps (second order).
    var metaGradient: Parameters { grad { (p: Parameters) in Self.loss(adapt(p), query) }(params) }

    /// True when the first-order meta-gradient is at least 1e-6 (relative to max(1, |g|)) away from the exact one somewhere.
    var separatesOrders: Bool {
        let exact = metaGradient
        let firstOrder = withFirstOrderGradients { metaGradient }
        return zip(exact.tensors.flatMap(\.scalars), firstOrder.tensors.flatMap(\.scalars)).contains { abs($0 - $1) > 1e-6 * max(1, abs($0)) }
    }

    /// The case as the probe receives it.
    var record: Record {
        ["label": .text(label), "params": .of(params), "headNames": .list(headNames.map { .text($0) }),
         "supportInputs": .of(support.inputs), "supportTargets": .of(support.targets),
         "queryInputs": .of(query.inputs), "queryTargets": .of(query.targets), "steps": .integer(steps), "stepSize": .number(stepSize)]
    }

    /// The case read back.
    init(_ record: Record) throws {
        let names = try record.list("headNames").map { value -> String in
            guard case .text(let name) = value else { throw ValueError.malformed("a head name is not text") }
            return name
        }
        self.init(label: try record.text("label"), params: try record.parameters("params"), headNames: names,
                  support: (try record.tensor("supportInputs"), try record.tensor("supportTargets")),
                  query: (try record.tensor("queryInputs"), try record.tensor("queryTargets")),
                  steps: try record.integer("steps"), stepSize: try record.number("stepSize"))
    }

    /// A case from its parts.
    init(label: String, params: Parameters, headNames: [String], support: (inputs: Tensor, targets: Tensor),
         query: (inputs: Tensor, targets: Tensor), steps: Int, stepSize: Double) {
        (self.label, self.params, self.headNames, self.support, self.query) = (label, params, headNames, support, query)
        (self.steps, self.stepSize) = (steps, stepSize)
    }

    /// The case in words.
    var description: String {
        "network tanh(x W1 + b1) W2 + b2 with \(describe(params)); head \(headNames); k = \(steps), α = \(Rendering.number(stepSize)); "
            + "support cost: mean squared error on inputs \(Rendering.numbers(support.inputs.scalars)), targets \(Rendering.numbers(support.targets.scalars)); "
            + "query loss: the same on inputs \(Rendering.numbers(query.inputs.scalars)), targets \(Rendering.numbers(query.targets.scalars))"
    }
}
