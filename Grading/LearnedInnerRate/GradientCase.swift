import Autodiff
import GradingRuntime

/// One case of part `gradient`: an unrolled case, directions d in Θ (α alone, then random
/// directions in w with α fixed) and the points Θ ± h d at which the probe evaluates the
/// student's objective, so the judge can compare ⟨∇𝒥, d⟩ with (𝒥(Θ + hd) − 𝒥(Θ − hd)) / 2h.
struct GradientCase {
    /// The central-difference step. Its error here is h² 𝒥‴/6 + ε|𝒥|/h ≈ 1e-10, far below the tolerance.
    static let h = 1e-6
    /// The tolerance of the comparison, relative to max(1, |difference quotient|).
    static let tolerance = 1e-6

    /// What the case changes, for feedback.
    let label: String
    /// The objective's arguments; the gradient is taken at `unrolled.meta`.
    let unrolled: UnrolledCase
    /// The directions' names ("α", "w direction 1", …).
    let directionNames: [String]
    /// For each direction, the points Θ + h d and Θ − h d.
    let points: [(plus: Parameters, minus: Parameters)]

    /// Three cases: a drawn one with T from 2 to 4, the same with another α, and with another T
    /// from 2 to 4 (at least two steps, so a student's objective one step short still depends on α
    /// and loses only part `objective`). Drawn
    /// again until every case is safe to difference: no residual of the absolute loss within 1e-3
    /// of its kink, the reference objective moving by at least 1e-4 per unit along every
    /// direction, and its exact and first-order derivatives along every w direction at least 1e-4
    /// apart (so a detached inner gradient cannot pass by luck).
    static func drawCases(_ random: inout SeededGenerator) -> [GradientCase] {
        while true {
            let base = UnrolledCase.draw(&random).with(steps: random.int(in: 2...4))
            var otherSteps = random.int(in: 2...4)
            while otherSteps == base.steps { otherSteps = random.int(in: 2...4) }
            let variants = [("a drawn case", base),
                            ("another α", base.with(rate: UnrolledCase.drawRate(&random, not: [base.rate]))),
                            ("another T", base.with(steps: otherSteps))]
            let cases = variants.map { label, unrolled in GradientCase(label: label, unrolled: unrolled, random: &random) }
            if cases.allSatisfy(\.isSafe) { return cases }
        }
    }

    /// A case with α's direction and three random directions in w (entries normal, rounded to 2 digits).
    init(label: String, unrolled: UnrolledCase, random: inout SeededGenerator) {
        let meta = unrolled.meta
        var directions = [meta.map { $0.zerosLike() }.merging([UnrolledCase.rateName: Tensor([1.0])])]
        for _ in 0..<3 {
            directions.append(meta.map { tensor in
                Tensor(shape: tensor.shape, scalars: tensor.scalars.map { _ in (random.normal() * 100).rounded() / 100 })
            }.merging([UnrolledCase.rateName: Tensor([0.0])]))
        }
        self.init(label: label, unrolled: unrolled, directionNames: ["α"] + (1...3).map { "w direction \($0)" },
                  points: directions.map { (meta + Self.h * $0, meta - Self.h * $0) })
    }

    /// A case from its parts.
    init(label: String, unrolled: UnrolledCase, directionNames: [String], points: [(plus: Parameters, minus: Parameters)]) {
        (self.label, self.unrolled, self.directionNames, self.points) = (label, unrolled, directionNames, points)
    }

    /// True when the reference objective is smooth around Θ and tells the orders apart (see `drawCases`).
    var isSafe: Bool {
        guard Reference.kinkMargin(unrolled) > 1e-3 else { return false }
        let exact = grad { Reference.objective($0, unrolled) }(unrolled.meta)
        let firstOrder = withFirstOrderGradients { grad { Reference.objective($0, unrolled) }(unrolled.meta) }
        for (index, (plus, minus)) in points.enumerated() {
            let step = Self.flatten(plus - minus)
            let exactSlope = Self.dot(Self.flatten(exact), step) / (2 * Self.h)
            guard abs(exactSlope) > 1e-4 else { return false }
            let firstSlope = Self.dot(Self.flatten(firstOrder), step) / (2 * Self.h)
            if index > 0 && abs(exactSlope - firstSlope) < 1e-4 * max(1, abs(exactSlope)) { return false }
        }
        return true
    }

    /// The case as the probe receives it: the objective's arguments and the points to evaluate.
    var record: Record {
        unrolled.record.merging([
            "label": .text(label), "directions": .list(directionNames.map { .text($0) }),
            "plus": .of(points.map(\.plus)), "minus": .of(points.map(\.minus)),
        ])
    }

    /// The case read back from its record.
    init(_ record: Record) throws {
        let plus = try record.parameterList("plus"), minus = try record.parameterList("minus")
        let names = try record.list("directions").map { value -> String in
            guard case .text(let name) = value else { throw ValueError.malformed("a direction's name is not text") }
            return name
        }
        self.init(label: try record.text("label"), unrolled: try UnrolledCase(record), directionNames: names,
                  points: Array(zip(plus, minus)))
    }

    /// Checks the probe's report for this case: the gradient's names and shapes, then for each
    /// direction the gradient's slope against the central difference, and that the objective moves.
    func judge(_ report: Record, label: String, into judgement: inout Judgement) {
        judgement.inputs = unrolled.description + "; h = \(Rendering.number(Self.h)) for the central differences"
        let meta = unrolled.meta
        guard let reported = try? report.parameters("gradient"), reported.names == meta.names,
              zip(reported.tensors, meta.tensors).allSatisfy({ $0.shape == $1.shape }) else {
            let found = (try? report.parameters("gradient")).map { Rendering.shapes($0) } ?? "no gradient"
            judgement.require(false, "\(label): grad of unrolledObjective should have one tensor per meta-parameter, named and shaped like it.",
                              expected: Rendering.shapes(meta), actual: found)
            return
        }
        guard let values = try? report.tensorList("values"), values.count == 2 * points.count,
              values.allSatisfy({ $0.scalarCount == 1 }) else {
            judgement.require(false, "\(label): unrolledObjective should return one number at every point Θ ± h d.",
                              expected: "\(2 * points.count) one-element tensors", actual: "something else")
            return
        }
        let gradient = Self.flatten(reported)
        for (index, (plus, minus)) in points.enumerated() {
            let direction = directionNames[index]
            // ⟨∇𝒥, d⟩ with d = (Θ₊ − Θ₋)/2h exactly as the points were sent, against (𝒥(Θ₊) − 𝒥(Θ₋))/2h.
            let slope = Self.dot(gradient, Self.flatten(plus - minus)) / (2 * Self.h)
            let difference = (values[2 * index].scalars[0] - values[2 * index + 1].scalars[0]) / (2 * Self.h)
            judgement.close(slope, difference, within: Self.tolerance,
                            "\(label), along \(direction): grad of unrolledObjective should agree with the central difference of unrolledObjective itself "
                                + (index == 0 ? "(α must stay a tensor of the computation, not a number)."
                                              : "(the inner gradients must stay recorded: second order in w)."))
            judgement.require(abs(difference) > 1e-6,
                              "\(label), along \(direction): unrolledObjective should change when \(index == 0 ? "α" : "the network weights") change.",
                              expected: "a central difference away from 0", actual: Rendering.number(difference))
        }
    }

    /// Every element of every tensor, in order.
    static func flatten(_ parameters: Parameters) -> [Double] { parameters.tensors.flatMap(\.scalars) }

    /// Σ aᵢ bᵢ.
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
