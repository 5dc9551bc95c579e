import Autodiff
import ScaleInvariance

/// `Adam.step` as a chapter calls it (exercise ScaleInvariance): θₜ from θₜ₋₁ and gₜ, updating m and v.
public typealias AdamStepFunction = (_ adam: Adam, _ params: Parameters, _ gradient: Parameters, _ state: inout AdamState) throws -> Parameters
/// `largestIterateGap` as a chapter calls it (exercise ScaleInvariance).
public typealias IterateGapFunction = (
    _ loss: @escaping (Parameters) -> Tensor, _ scale: Double, _ start: Parameters, _ optimizer: Adam, _ steps: Int
) throws -> Double

/// Known-answer checks of the student's Adam and of the scale experiment.
enum ScaleInvarianceChecks {
    /// Two steps with α = 0.1, β₁ = 0.5, β₂ = 0.75, ε = 0.1 from θ₀ = (1, −2), fed g₁ = (2, −1) and
    /// g₂ = (−3, 1): m₁ = (1, −0.5), v₁ = (1, 0.25), θ₁ = (1 − 0.1/1.1, −2 + 0.05/0.6); then
    /// m₂ = (−1, 0.25), v₂ = (3, 0.4375), θ₂ = θ₁ − 0.1·m₂/(√v₂ + 0.1).
    static func step(_ adamStep: @escaping AdamStepFunction) -> SanityCheck {
        SanityCheck("ScaleInvariance", "Adam.step") {
            let adam = try Adam(learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 0.1)
            var theta: Parameters = ["θ": Tensor([1.0, -2.0])]
            var state = AdamState(zerosLike: theta)
            let expected: [(theta: [Double], m: [Double], v: [Double])] = [
                ([0.9090909090909091, -1.9166666666666667], [1, -0.5], [1, 0.25]),
                ([0.9636745481400354, -1.949499288173459], [-1, 0.25], [3, 0.4375]),
            ]
            for (t, gradient) in [[2.0, -1.0], [-3.0, 1.0]].enumerated() {
                theta = try adamStep(adam, theta, ["θ": Tensor(gradient)], &state)
                let (got, m, v) = (flatScalars(theta), flatScalars(state.firstMoment), flatScalars(state.secondMoment))
                if !close(got, expected[t].theta) || !close(m, expected[t].m) || !close(v, expected[t].v) {
                    return "step \(t + 1) of Adam (α = 0.1, β₁ = 0.5, β₂ = 0.75, ε = 0.1) from θ₀ = (1, −2) with gradients (2, −1) "
                        + "then (−3, 1) gave θ = \(shown(got)), m = \(shown(m)), v = \(shown(v)); θ = \(shown(expected[t].theta)), "
                        + "m = \(shown(expected[t].m)), v = \(shown(expected[t].v)) were expected"
                }
            }
            return nil
        }
    }

    /// One step on J(θ) = 2θ (a constant gradient) with α = 0.1, β₁ = 0.5, β₂ = 0.75, ε = 0.1:
    /// on J the step is 0.1·1/(1 + 0.1), on 0.01·J it is 0.1·0.01/(0.01 + 0.1), so the gap is
    /// 0.1/1.1 − 0.001/0.11 = 0.0818…; with C = 1, or no steps, the gap is 0.
    static func gap(_ largestIterateGap: @escaping IterateGapFunction) -> SanityCheck {
        SanityCheck("ScaleInvariance", "largestIterateGap") {
            let adam = try Adam(learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 0.1)
            let line = { (p: Parameters) in 2 * p.require("θ").sum() }
            let start: Parameters = ["θ": Tensor([1.0])]
            let expected = 0.1 / 1.1 - 0.001 / 0.11
            let oneStep = try largestIterateGap(line, 0.01, start, adam, 1)
            if !close(oneStep, expected) {
                return "for one Adam step (α = 0.1, β₁ = 0.5, β₂ = 0.75, ε = 0.1) on J(θ) = 2θ and on 0.01·J it gave "
                    + "\(shown(oneStep)); 0.1/1.1 − 0.001/0.11 = \(shown(expected)) was expected"
            }
            for (scale, steps) in [(1.0, 3), (0.01, 0)] {
                let gap = try largestIterateGap(line, scale, start, adam, steps)
                if gap != 0 { return "with C = \(shown(scale)) and \(steps) steps it gave \(shown(gap)); the gap must be exactly 0" }
            }
            return nil
        }
    }
}
