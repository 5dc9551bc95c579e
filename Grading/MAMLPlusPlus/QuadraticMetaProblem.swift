import Autodiff
import GradingRuntime

/// A task of the order part whose meta-gradients are known in closed form: support loss
/// ½ Σ s ⊙ w² − Σ c ⊙ w and query loss ½ Σ s′ ⊙ φ² − Σ c′ ⊙ φ over a vector w.
struct QuadraticTask {
    /// s, positive support curvatures.
    let s: [Double]
    /// c, support slopes.
    let c: [Double]
    /// s′, positive query curvatures.
    let sQuery: [Double]
    /// c′, query slopes.
    let cQuery: [Double]

    /// A task over m entries: curvatures in [0.5, 2], slopes normal, rounded to 2 digits.
    static func draw(entries m: Int, _ random: inout SeededGenerator) -> QuadraticTask {
        /// m curvatures in [0.5, 2].
        func curvatures() -> [Double] { (0..<m).map { _ in random.rounded(0.5, 2, digits: 2) } }
        /// m slopes, normal.
        func slopes() -> [Double] { (0..<m).map { _ in (random.normal() * 100).rounded() / 100 } }
        return QuadraticTask(s: curvatures(), c: slopes(), sQuery: curvatures(), cQuery: slopes())
    }

    /// The objective of the probe, K steps φᵏ = φᵏ⁻¹ − α_k (s ⊙ φᵏ⁻¹ − c) from φ⁰ = w and the query
    /// loss of φᴷ, with its gradient in closed form by a reverse sweep: the adjoint a starts at
    /// q = s′ ⊙ φᴷ − c′; for k = K … 1, ∂/∂α_k = −Σ a ⊙ (s ⊙ φᵏ⁻¹ − c), then a ← a ⊙ (1 − α_k s) at
    /// second order (the inner gradient's derivative) or a unchanged at first order (the inner
    /// gradient a constant); finally ∂/∂w = a.
    func closedForm(w: [Double], rates: [Double], secondOrder: Bool) -> (loss: Double, w: [Double], rates: [Double]) {
        var phi = w
        var slopes: [[Double]] = []
        for rate in rates {
            let slope = phi.indices.map { s[$0] * phi[$0] - c[$0] }
            slopes.append(slope)
            phi = phi.indices.map { phi[$0] - rate * slope[$0] }
        }
        let loss = phi.indices.reduce(0.0) { $0 + 0.5 * sQuery[$1] * phi[$1] * phi[$1] - cQuery[$1] * phi[$1] }
        var adjoint = phi.indices.map { sQuery[$0] * phi[$0] - cQuery[$0] }
        var rateGradients = [Double](repeating: 0, count: rates.count)
        for step in rates.indices.reversed() {
            rateGradients[step] = -adjoint.indices.reduce(0.0) { $0 + adjoint[$1] * slopes[step][$1] }
            if secondOrder { adjoint = adjoint.indices.map { adjoint[$0] * (1 - rates[step] * s[$0]) } }
        }
        return (loss, adjoint, rateGradients)
    }

    /// The task as the probe receives it.
    var record: Record { ["s": .numbers(s), "c": .numbers(c), "sQuery": .numbers(sQuery), "cQuery": .numbers(cQuery)] }

    /// The task read back.
    init(_ record: Record) throws {
        self.init(s: try record.numbers("s"), c: try record.numbers("c"), sQuery: try record.numbers("sQuery"), cQuery: try record.numbers("cQuery"))
    }

    /// A task from its coefficients.
    init(s: [Double], c: [Double], sQuery: [Double], cQuery: [Double]) { (self.s, self.c, self.sQuery, self.cQuery) = (s, c, sQuery, cQuery) }

    /// The task in words.
    var description: String {
        "s = \(Rendering.numbers(s)), c = \(Rendering.numbers(c)), s′ = \(Rendering.numbers(sQuery)), c′ = \(Rendering.numbers(cQuery))"
    }
}

/// One call of `metaGradient`: Θ = (w, α_{w,1} … α_{w,K}), the tasks, the epoch and the switch epoch E.
struct OrderCase {
    /// What the case changes, for feedback.
    let label: String
    /// w.
    let w: [Double]
    /// α_{w,1} … α_{w,K}; K is the number of inner steps of the probe's objective.
    let rates: [Double]
    /// The meta-batch.
    let tasks: [QuadraticTask]
    /// The epoch.
    let epoch: Int
    /// E, the number of first-order epochs.
    let firstOrderEpochs: Int

    /// True when the epoch calls for second order.
    var secondOrder: Bool { epoch >= firstOrderEpochs }

    /// Θ as named tensors: `w`, then `inner.lr.w.1` … `inner.lr.w.K`.
    var meta: Parameters { Parameters([("w", Tensor(w))] + rates.indices.map { (rateName("w", $0 + 1), Tensor(rates[$0])) }) }

    /// The expected mean loss, and the mean gradient of w and of each rate, at the epoch's order.
    var expected: (loss: Double, w: [Double], rates: [Double]) {
        let forms = tasks.map { $0.closedForm(w: w, rates: rates, secondOrder: secondOrder) }
        let n = Double(tasks.count)
        return (forms.reduce(0) { $0 + $1.loss } / n,
                w.indices.map { index in forms.reduce(0) { $0 + $1.w[index] } / n },
                rates.indices.map { index in forms.reduce(0) { $0 + $1.rates[index] } / n })
    }

    /// True when the two orders' closed forms differ by at least 1e-3 (relative to max(1, |g|)) for
    /// w, and, with two steps or more, for α_{w,1}, and every rate's gradient is at least 1e-3 from 0:
    /// then any mix-up of the orders, or a rate left without its gradient, shows.
    var separatesOrders: Bool {
        let first = tasks.map { $0.closedForm(w: w, rates: rates, secondOrder: false) }
        let second = tasks.map { $0.closedForm(w: w, rates: rates, secondOrder: true) }
        /// The mean over the tasks of the entries `pick` takes from each closed form.
        func mean(_ forms: [(loss: Double, w: [Double], rates: [Double])], _ pick: ((loss: Double, w: [Double], rates: [Double])) -> [Double]) -> [Double] {
            let picked = forms.map(pick)
            return picked[0].indices.map { index in picked.reduce(0) { $0 + $1[index] } / Double(picked.count) }
        }
        let apart = { (a: [Double], b: [Double]) in zip(a, b).contains { abs($0 - $1) > 1e-3 * max(1, abs($1)) } }
        let rateFirst = mean(first) { $0.rates }, rateSecond = mean(second) { $0.rates }
        return apart(mean(first) { $0.w }, mean(second) { $0.w })
            && (rates.count < 2 || abs(rateFirst[0] - rateSecond[0]) > 1e-3 * max(1, abs(rateSecond[0])))
            && (rateFirst + rateSecond).allSatisfy { abs($0) > 1e-3 }
    }

    /// The case in words.
    var description: String {
        "Θ: w = \(Rendering.numbers(w)), " + rates.indices.map { "\(rateName("w", $0 + 1)) = \(Rendering.number(rates[$0]))" }.joined(separator: ", ")
            + "; objective: K = \(rates.count) inner steps from w with those rates, then the query loss; E = \(firstOrderEpochs), epoch \(epoch); "
            + tasks.enumerated().map { "task \($0.offset + 1): \($0.element.description)" }.joined(separator: "; ")
    }

    /// The case as the probe receives it: Θ, the rates' names in step order, the tasks and the schedule.
    var record: Record {
        ["label": .text(label), "meta": .of(meta), "rateNames": .list(rates.indices.map { .text(rateName("w", $0 + 1)) }),
         "tasks": .list(tasks.map { .record($0.record) }), "epoch": .integer(epoch), "firstOrderEpochs": .integer(firstOrderEpochs)]
    }

    /// The case read back.
    init(_ record: Record) throws {
        let meta = try record.parameters("meta")
        guard let w = meta["w"] else { throw ValueError.missing("w") }
        self.init(label: try record.text("label"), w: w.scalars, rates: ratesPart(meta).tensors.map(\.scalar),
                  tasks: try record.recordList("tasks").map(QuadraticTask.init), epoch: try record.integer("epoch"),
                  firstOrderEpochs: try record.integer("firstOrderEpochs"))
    }

    /// A case from its parts.
    init(label: String, w: [Double], rates: [Double], tasks: [QuadraticTask], epoch: Int, firstOrderEpochs: Int) {
        (self.label, self.w, self.rates, self.tasks, self.epoch, self.firstOrderEpochs) = (label, w, rates, tasks, epoch, firstOrderEpochs)
    }

    /// A copy with the given fields replaced.
    func with(label: String, w: [Double]? = nil, rates: [Double]? = nil, tasks: [QuadraticTask]? = nil, epoch: Int? = nil,
              firstOrderEpochs: Int? = nil) -> OrderCase {
        OrderCase(label: label, w: w ?? self.w, rates: rates ?? self.rates, tasks: tasks ?? self.tasks, epoch: epoch ?? self.epoch,
                  firstOrderEpochs: firstOrderEpochs ?? self.firstOrderEpochs)
    }
}
