import Autodiff
import NeuralNetworks

/// The four hyper-parameters of the handout's Adam (no bias correction), (α, β₁, β₂, ε).
public struct AdamSettings: Sendable, Equatable, CustomStringConvertible {
    /// α, the learning rate.
    public var learningRate: Double
    /// β₁, the decay of the gradient average.
    public var beta1: Double
    /// β₂, the decay of the squared-gradient average.
    public var beta2: Double
    /// ε, the damping added to √v.
    public var epsilon: Double

    /// Collects the four numbers.
    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    }

    /// "(α = 0.1, β₁ = 0, β₂ = 0.9, ε = 1e-08)".
    public var description: String { "(α = \(learningRate), β₁ = \(beta1), β₂ = \(beta2), ε = \(epsilon))" }
}

/// The Adam settings that take RMSprop's steps, from RMSprop's (α_R, γ, ε_R).
public typealias RMSpropAsAdamFunction = (_ learningRate: Double, _ decay: Double, _ epsilon: Double) throws -> AdamSettings

/// The Adam settings that take (essentially) momentum SGD's steps, from momentum's (α_S, μ).
public typealias MomentumAsAdamFunction = (_ learningRate: Double, _ momentum: Double) throws -> AdamSettings

/// The largest coordinate gap maxₜ,ᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| between Adam's iterates on `loss` and on
/// `scale` · `loss`, both from `start`, over `steps` steps.
public typealias IterateGapFunction = (
    _ loss: @escaping (Parameters) -> Tensor, _ scale: Double, _ start: Parameters, _ adam: AdamSettings, _ steps: Int
) throws -> Double

extension ExerciseAgreement {
    /// The library's Adam iterates θ₀, θ₁, …, θ_T on `loss` from `start`, each flattened to its scalars.
    static func adamPath(_ loss: @escaping (Parameters) -> Tensor, start: Parameters, adam: Adam, steps: Int) -> [[Double]] {
        var theta = start
        var state = adam.initialState(for: theta)
        var path = [theta.tensors.flatMap(\.scalars)]
        for _ in 0..<max(0, steps) {
            (theta, state) = adam.step(theta, grad(loss)(theta), state)
            theta = theta.detached()
            path.append(theta.tensors.flatMap(\.scalars))
        }
        return path
    }

    /// The library's largest iterate gap between Adam on `loss` and on `scale` · `loss`.
    public static var libraryIterateGap: IterateGapFunction { { loss, scale, start, settings, steps in
        if let problem = invalidAdamSettings(settings) { throw ExerciseCodeError.badInput("Adam settings \(settings): \(problem)") }
        let adam = libraryAdam(settings)
        let original = adamPath(loss, start: start, adam: adam, steps: steps)
        let scaled = adamPath({ scale * loss($0) }, start: start, adam: adam, steps: steps)
        return AdamChapter.maxDifference(original, scaled)
    } }

    /// The reasons Adam settings cannot run in the library's Adam, or nil when they can.
    static func invalidAdamSettings(_ settings: AdamSettings) -> String? {
        guard settings.learningRate > 0, settings.learningRate.isFinite else { return "α = \(settings.learningRate) is not a positive number" }
        guard (0..<1).contains(settings.beta1) else { return "β₁ = \(settings.beta1) is outside [0, 1)" }
        guard (0..<1).contains(settings.beta2) else { return "β₂ = \(settings.beta2) is outside [0, 1)" }
        guard settings.epsilon >= 0, settings.epsilon.isFinite else { return "ε = \(settings.epsilon) is not a number ≥ 0" }
        return nil
    }

    /// The library's Adam with `settings` (the handout's form, no bias correction); check them first.
    static func libraryAdam(_ settings: AdamSettings) -> Adam {
        Adam(learningRate: settings.learningRate, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon)
    }

    /// `adamEquivalentToRMSprop`: Adam with the returned settings follows RMSprop on the bowl.
    public static func rmspropAsAdam(_ equivalent: @escaping RMSpropAsAdamFunction) throws -> String? {
        let settings = try equivalent(0.05, 0.8, 1e-6)
        if let problem = invalidAdamSettings(settings) { return "for RMSprop (0.05, 0.8, 1e-6) it gave \(settings): \(problem)" }
        let bowl = AdamChapter.Bowl()
        let adam = AdamChapter.iterates(libraryAdam(settings), on: bowl, steps: 20)
        let rmsprop = AdamChapter.iterates(RMSprop(learningRate: 0.05, decay: 0.8, epsilon: 1e-6), on: bowl, steps: 20)
        let gap = AdamChapter.maxDifference(adam, rmsprop)
        return gap <= tolerance ? nil
            : "Adam\(settings) strays from RMSprop (0.05, 0.8, 1e-6) by \(gap) within 20 steps"
    }

    /// The handout's Adam on the bowl, written out so that β₂ = 1 is allowed (the library's Adam
    /// asks for β₂ < 1): mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ, vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ², θₜ = θₜ₋₁ − α mₜ / (√vₜ + ε).
    /// Throws when the settings are out of range or the path leaves the finite numbers.
    static func handoutAdamPath(_ settings: AdamSettings, on bowl: AdamChapter.Bowl, steps: Int) throws -> [[Double]] {
        guard settings.learningRate.isFinite, (0..<1).contains(settings.beta1), (0...1).contains(settings.beta2),
              settings.epsilon >= 0, settings.epsilon.isFinite else {
            throw ExerciseCodeError.badInput("Adam\(settings) needs a finite α, β₁ in [0, 1), β₂ in [0, 1] and ε ≥ 0")
        }
        var theta = AdamChapter.start
        var m = [0.0, 0.0], v = [0.0, 0.0]
        var path = [theta]
        for _ in 0..<steps {
            let g = grad(bowl.loss)(["θ": Tensor(theta)]).require("θ").scalars
            for i in 0..<2 {
                m[i] = settings.beta1 * m[i] + (1 - settings.beta1) * g[i]
                v[i] = settings.beta2 * v[i] + (1 - settings.beta2) * g[i] * g[i]
                theta[i] -= settings.learningRate * m[i] / (v[i].squareRoot() + settings.epsilon)
            }
            guard theta.allSatisfy(\.isFinite) else { throw ExerciseCodeError.badInput("Adam\(settings) left the finite numbers on the bowl") }
            path.append(theta)
        }
        return path
    }

    /// `adamApproximatingMomentum`: Adam with the returned settings follows momentum on the bowl
    /// to within 10⁻⁶ over 30 steps, for two momentum settings.
    public static func momentumAsAdam(_ equivalent: @escaping MomentumAsAdamFunction) throws -> String? {
        let bowl = AdamChapter.Bowl()
        for (rate, momentum) in [(0.05, 0.9), (0.01, 0.5)] {
            let settings = try equivalent(rate, momentum)
            let adam: [[Double]]
            do { adam = try handoutAdamPath(settings, on: bowl, steps: 30) } catch { return "for momentum (\(rate), \(momentum)): \(error)" }
            let gap = AdamChapter.maxDifference(adam, AdamChapter.iterates(MomentumSGD(learningRate: rate, momentum: momentum), on: bowl, steps: 30))
            if !(gap <= 1e-6) { return "Adam\(settings) strays from momentum (\(rate), \(momentum)) by \(gap) within 30 steps" }
        }
        return nil
    }

    /// `largestIterateGap`: the gap between Adam on the bowl and on C times the bowl, for ε = 0 and ε > 0.
    public static func iterateGap(_ gap: @escaping IterateGapFunction) throws -> String? {
        for epsilon in [0.0, 1e-3] {
            let settings = AdamSettings(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: epsilon)
            let bowl = AdamChapter.Bowl()
            let expected = try libraryIterateGap(bowl.loss, 0.01, ["θ": Tensor(AdamChapter.start)], settings, 8)
            let measured = try gap(bowl.loss, 0.01, ["θ": Tensor(AdamChapter.start)], settings, 8)
            if !(abs(measured - expected) <= tolerance * max(1, abs(expected))) {
                return "with ε = \(epsilon) and C = 0.01 it gives a gap of \(measured) over 8 steps, the library \(expected)"
            }
        }
        return nil
    }
}

extension ExerciseSlot where Function == RMSpropAsAdamFunction {
    /// `adamEquivalentToRMSprop` from exercise AdamEquivalences: the library answers (α_R, 0, γ, ε_R).
    public static var rmspropAsAdam: Self {
        Self(entry: \.rmspropAsAdam, exercise: "AdamEquivalences",
             library: { AdamSettings(learningRate: $0, beta1: 0, beta2: $1, epsilon: $2) }, check: ExerciseAgreement.rmspropAsAdam)
    }
}

extension ExerciseSlot where Function == MomentumAsAdamFunction {
    /// `adamApproximatingMomentum` from exercise AdamEquivalences: the library answers (α_S, μ, 1, 1),
    /// for which v stays 0 and Adam's step α_S mₜ / 1 is momentum's.
    public static var momentumAsAdam: Self {
        Self(entry: \.momentumAsAdam, exercise: "AdamEquivalences",
             library: { AdamSettings(learningRate: $0, beta1: $1, beta2: 1, epsilon: 1) }, check: ExerciseAgreement.momentumAsAdam)
    }
}

extension ExerciseSlot where Function == IterateGapFunction {
    /// `largestIterateGap` (with `Adam.step`) from exercise ScaleInvariance.
    public static var iterateGap: Self {
        Self(entry: \.iterateGap, exercise: "ScaleInvariance", library: ExerciseAgreement.libraryIterateGap,
             check: ExerciseAgreement.iterateGap)
    }
}
