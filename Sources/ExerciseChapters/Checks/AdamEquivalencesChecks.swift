import AdamEquivalences
import Autodiff
import NeuralNetworks

/// `adamEquivalentToRMSprop` as a chapter calls it (exercise AdamEquivalences, part a).
public typealias RMSpropAsAdamFunction = (_ rmsprop: RMSpropHyperParameters) throws -> AdamHyperParameters
/// `adamApproximatingMomentum` as a chapter calls it (exercise AdamEquivalences, part b).
public typealias MomentumAsAdamFunction = (_ momentum: MomentumHyperParameters) throws -> AdamHyperParameters

/// Known-answer checks of the Adam settings: the known answer is the path of RMSprop (or of
/// momentum) itself, taken by the library's optimizers on a small bowl, which Adam with the
/// student's settings must follow.
enum AdamEquivalencesChecks {
    /// J(θ) = θ₁² + 3θ₂², the bowl of the checks.
    static func bowl(_ p: Parameters) -> Tensor {
        let theta = p.require("θ")
        return (theta * theta * Tensor([1.0, 3.0])).sum()
    }

    /// Part (a): Adam with the student's settings takes RMSprop's 5 steps exactly, for RMSprop (0.05, 0.8, 10⁻⁶).
    static func rmsprop(_ answer: @escaping RMSpropAsAdamFunction) -> SanityCheck {
        SanityCheck("AdamEquivalences", "adamEquivalentToRMSprop") {
            let rmsprop = RMSpropHyperParameters(learningRate: 0.05, decay: 0.8, epsilon: 1e-6)
            let settings = try answer(rmsprop)
            let adam = try libraryAdam(settings)
            let gap = largestGap(path(adam, on: bowl, steps: 5), path(RMSprop(learningRate: 0.05, decay: 0.8, epsilon: 1e-6), on: bowl, steps: 5))
            return gap <= 1e-9 ? nil
                : "for RMSprop (α = 0.05, γ = 0.8, ε = 10⁻⁶) it gave Adam \(describe(settings)), whose steps on "
                    + "J(θ) = θ₁² + 3θ₂² stray from RMSprop's by \(shown(gap)) within 5 steps; they must be the same steps"
        }
    }

    /// Part (b): Adam with the student's settings follows momentum's 10 steps to 10⁻⁶, for
    /// momentum (0.05, 0.9) and (0.01, 0.5).
    static func momentum(_ answer: @escaping MomentumAsAdamFunction) -> SanityCheck {
        SanityCheck("AdamEquivalences", "adamApproximatingMomentum") {
            for (rate, mu) in [(0.05, 0.9), (0.01, 0.5)] {
                let settings = try answer(MomentumHyperParameters(learningRate: rate, momentum: mu))
                let adam = try libraryAdam(settings)
                let gap = largestGap(path(adam, on: bowl, steps: 10), path(MomentumSGD(learningRate: rate, momentum: mu), on: bowl, steps: 10))
                if !(gap <= 1e-6) {
                    return "for momentum (α = \(shown(rate)), μ = \(shown(mu))) it gave Adam \(describe(settings)), whose steps on "
                        + "J(θ) = θ₁² + 3θ₂² stray from momentum's by \(shown(gap)) within 10 steps; at most 10⁻⁶ was expected"
                }
            }
            return nil
        }
    }

    /// "(α = 0.05, β₁ = 0, β₂ = 0.8, ε = 10⁻⁶)".
    static func describe(_ settings: AdamHyperParameters) -> String {
        "(α = \(shown(settings.learningRate)), β₁ = \(shown(settings.beta1)), β₂ = \(shown(settings.beta2)), ε = \(shown(settings.epsilon)))"
    }
}

/// The library's Adam (the handout's form, without bias correction) with `settings` written into
/// it directly, so that β₂ = 1 (v stays 0) runs too; throws a sentence when the settings cannot run.
func libraryAdam(_ settings: AdamHyperParameters) throws -> NeuralNetworks.Adam {
    let (alpha, beta1, beta2, epsilon) = (settings.learningRate, settings.beta1, settings.beta2, settings.epsilon)
    guard alpha.isFinite, (0..<1).contains(beta1), (0...1).contains(beta2), epsilon.isFinite, epsilon >= 0,
          beta2 < 1 || epsilon > 0 else {
        throw UnusableResult(description: "the Adam settings \(AdamEquivalencesChecks.describe(settings)) cannot run: Adam needs a "
            + "finite α, β₁ in [0, 1), β₂ in [0, 1], ε ≥ 0, and ε > 0 when β₂ = 1 (v stays 0)")
    }
    var adam = NeuralNetworks.Adam(learningRate: alpha)
    (adam.beta1, adam.beta2, adam.epsilon) = (beta1, beta2, epsilon)
    return adam
}

/// θ₀, θ₁, …, θ_T of `optimizer` on `loss` from θ₀ = (1, −1) for the checks, or from `start`.
func path<O: Optimizer>(_ optimizer: O, on loss: @escaping (Parameters) -> Tensor, steps: Int, start: [Double] = [1, -1]) -> [[Double]] {
    var theta: Parameters = ["θ": Tensor(start)]
    var state = optimizer.initialState(for: theta)
    var points = [start]
    for _ in 0..<steps {
        (theta, state) = optimizer.step(theta, grad(loss)(theta), state)
        theta = theta.detached()
        points.append(theta.require("θ").scalars)
    }
    return points
}

/// The largest coordinate difference between two paths of the same length.
func largestGap(_ a: [[Double]], _ b: [[Double]]) -> Double {
    zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}
