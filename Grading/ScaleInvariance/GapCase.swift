import Autodiff
import Foundation
import GradingRuntime

/// One case of part `demonstration`: a loss, a scale C, a start, Adam's settings and a step count T.
///
/// The loss is J(a, b) = ¼ Σ a⁴ − Σ s ⊙ a + Σ c ⊙ b², with gradient (a³ − s, 2 c ⊙ b) and its
/// minimum at a = s^{1/3}, b = 0. With ε > 0 Adam on C·J is slower than on J when C is small, so
/// the two runs part and then meet again near the minimum: their gap peaks before the end.
struct GapCase {
    /// How the case differs from the first one, for feedback.
    let label: String
    /// s, [n].
    let ripple: Tensor
    /// c, [1, m], positive.
    let curvature: Tensor
    /// θ₀ = (a, b).
    let start: Parameters
    /// C.
    let scale: Double
    /// α, β₁, β₂, ε.
    let adam: AdamSettings
    /// T.
    let steps: Int

    /// The thirteen cases: a drawn case whose largest gap comes well before its last step, then
    /// the loss, C, θ₀, α, β₁, β₂, ε or T changed alone; ε = 0 with a large and with a small C;
    /// C = 1; T = 0.
    static func cases(_ random: inout SeededGenerator) -> [GapCase] {
        let base = drawPeakingEarly(&random)
        let (n, m) = (base.ripple.scalarCount, base.curvature.scalarCount)
        var undamped = base.adam
        undamped.epsilon = 0
        return [
            base,
            base.with(label: "another loss", ripple: drawRipple(n, &random), curvature: drawCurvature(m, &random)),
            base.with(label: "another scale C", scale: drawnAgain(base.scale) { drawSmallScale(&random) }),
            base.with(label: "another start θ₀", start: drawStart(n, m, &random)),
            base.with(label: "another learning rate α", adam: base.adam.changing(0, &random)),
            base.with(label: "another β₁", adam: base.adam.changing(1, &random)),
            base.with(label: "another β₂", adam: base.adam.changing(2, &random)),
            base.with(label: "another ε", adam: base.adam.changing(3, &random)),
            base.with(label: "fewer steps T", steps: random.int(in: 5...(base.steps / 2))),
            base.with(label: "ε = 0 and a large C", scale: significant(pow(10, random.uniform(2, 3))), adam: undamped),
            base.with(label: "ε = 0 and a small C", scale: significant(pow(10, random.uniform(-3, -2))), adam: undamped),
            base.with(label: "C = 1", scale: 1),
            base.with(label: "T = 0", steps: 0),
        ]
    }

    /// A drawn case (n from 2 to 4, m from 1 to 3, C in [0.01, 0.3], T from 60 to 120) redrawn
    /// until the judge's own Adam gives a largest gap at least twice the last step's.
    static func drawPeakingEarly(_ random: inout SeededGenerator) -> GapCase {
        for _ in 0..<1000 {
            let (n, m) = (random.int(in: 2...4), random.int(in: 1...3))
            let candidate = GapCase(label: "a drawn case", ripple: drawRipple(n, &random), curvature: drawCurvature(m, &random),
                                    start: drawStart(n, m, &random), scale: drawSmallScale(&random), adam: .draw(&random),
                                    steps: random.int(in: 60...120))
            let gaps = candidate.referenceGaps
            if let last = gaps.last, gaps.max()! >= 2 * last { return candidate }
        }
        fatalError("no case whose gap peaks before its end in 1000 draws")
    }

    /// s: n numbers of size 0.5 to 2 with random signs.
    static func drawRipple(_ n: Int, _ random: inout SeededGenerator) -> Tensor {
        Tensor((0..<n).map { _ in random.rounded(0.5, 2, digits: 2) * (random.uniform(0, 1) < 0.5 ? -1 : 1) })
    }

    /// c: m numbers in [0.5, 2], as a row.
    static func drawCurvature(_ m: Int, _ random: inout SeededGenerator) -> Tensor {
        Tensor(shape: [1, m], scalars: (0..<m).map { _ in random.rounded(0.5, 2, digits: 2) })
    }

    /// θ₀: normal with standard deviation 1.5.
    static func drawStart(_ n: Int, _ m: Int, _ random: inout SeededGenerator) -> Parameters {
        drawnParameters(n: n, m: m, &random) { roundedNormal(&$0, 1.5) }
    }

    /// C = 10^u with u uniform in [−2, −0.5], to two significant digits.
    static func drawSmallScale(_ random: inout SeededGenerator) -> Double { significant(pow(10, random.uniform(-2, -0.5))) }

    /// This case with some fields replaced.
    func with(label: String, ripple: Tensor? = nil, curvature: Tensor? = nil, start: Parameters? = nil, scale: Double? = nil,
              adam: AdamSettings? = nil, steps: Int? = nil) -> GapCase {
        GapCase(label: label, ripple: ripple ?? self.ripple, curvature: curvature ?? self.curvature, start: start ?? self.start,
                scale: scale ?? self.scale, adam: adam ?? self.adam, steps: steps ?? self.steps)
    }

    /// ∇J at the flat θ = (a, b): (a³ − s, 2 c ⊙ b).
    func gradient(_ theta: [Double]) -> [Double] {
        let (s, c) = (ripple.scalars, curvature.scalars)
        return s.indices.map { theta[$0] * theta[$0] * theta[$0] - s[$0] } + c.indices.map { 2 * c[$0] * theta[s.count + $0] }
    }

    /// maxᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| for t = 1 … T, with the judge's own Adam on J and on C·J (used only
    /// to choose a case whose gap peaks early; the part compares with the student's own Adam).
    var referenceGaps: [Double] {
        var (theta, scaled) = (flat(start), flat(start))
        var (m, v, mScaled, vScaled) = (theta.map { _ in 0.0 }, theta.map { _ in 0.0 }, theta.map { _ in 0.0 }, theta.map { _ in 0.0 })
        return (0..<steps).map { _ in
            adam.step(&theta, gradient: gradient(theta), m: &m, v: &v)
            adam.step(&scaled, gradient: gradient(scaled).map { scale * $0 }, m: &mScaled, v: &vScaled)
            return zip(theta, scaled).map { abs($0 - $1) }.max() ?? 0
        }
    }

    /// The case as the probe's inputs.
    var record: Record {
        ["label": .text(label), "ripple": .of(ripple), "curvature": .of(curvature), "start": .of(start), "scale": .number(scale),
         "adam": .record(adam.record), "steps": .integer(steps)]
    }

    /// The case read back from the inputs.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), ripple: try record.tensor("ripple"), curvature: try record.tensor("curvature"),
                  start: try record.parameters("start"), scale: try record.number("scale"), adam: try AdamSettings(record.record("adam")),
                  steps: try record.integer("steps"))
    }

    /// A case from its fields.
    init(label: String, ripple: Tensor, curvature: Tensor, start: Parameters, scale: Double, adam: AdamSettings, steps: Int) {
        (self.label, self.ripple, self.curvature, self.start) = (label, ripple, curvature, start)
        (self.scale, self.adam, self.steps) = (scale, adam, steps)
    }

    /// The case in words.
    var description: String {
        "J(a, b) = ¼ Σ a⁴ − Σ s ⊙ a + Σ c ⊙ b² with s = \(Rendering.numbers(ripple.scalars)), c = \(Rendering.numbers(curvature.scalars)); "
            + "C = \(Rendering.number(scale)); θ₀: \(named(start)); \(adam.description); T = \(steps)"
    }
}

/// `x` rounded to two significant digits (divided by a power of ten, so 0.037 stays 0.037).
func significant(_ x: Double) -> Double {
    let exponent = Int(floor(log10(abs(x)))) - 1
    let power = pow(10, Double(abs(exponent)))
    return exponent < 0 ? (x * power).rounded() / power : (x / power).rounded() * power
}
