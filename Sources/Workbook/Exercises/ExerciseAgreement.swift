import Autodiff
import MetaLearning
import NeuralNetworks

/// Quick checks that an exercise function agrees with the library on a tiny input, so that a
/// chapter runs the exercise only when it computes what the library would.
///
/// Each check returns nil when the function agrees, or the disagreement in words; errors the
/// function throws (a stub's "not implemented") pass through to the caller.
public enum ExerciseAgreement {
    /// Largest allowed difference between the exercise's numbers and the library's (Double precision).
    static let tolerance = 1e-8

    /// A small smooth cost of two named tensors, curved enough that second derivatives matter:
    /// cost(w, b) = Σᵢ (wᵢ² b − tᵢ)² + Σᵢ wᵢ b with t = (0.3, −0.7).
    static func tinyCost(_ p: Parameters) -> Tensor {
        let w = p.require("w"), b = p.require("b")
        return (w * w * b - Tensor([0.3, -0.7])).squared.sum() + (w * b).sum()
    }

    /// The point the checks start from.
    static let tinyStart: Parameters = ["w": Tensor([0.5, -1.2]), "b": Tensor([0.8])]

    /// The library's gradient step, θ − η ∇cost(θ).
    public static var libraryStep: GradientStepFunction { { cost, params, stepSize in
        params - stepSize * grad(cost)(params)
    } }

    /// The library's meta-objective: cost after `steps` applications of `step`.
    public static var libraryMetaObjective: MetaObjectiveFunction { { cost, params, steps, stepSize, step in
        var adapted = params
        for _ in 0..<max(0, steps) { adapted = try step(cost, adapted, stepSize) }
        return cost(adapted)
    } }

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

    /// The layer sizes of an MLP whose weights are `layer1.weight`, `layer2.weight`, … in `params`.
    static func layerSizes(_ params: Parameters) -> [Int] {
        var sizes: [Int] = []
        var layer = 1
        while let weight = params["layer\(layer).weight"], weight.rank == 2 {
            if sizes.isEmpty { sizes.append(weight.shape[0]) }
            sizes.append(weight.shape[1])
            layer += 1
        }
        return sizes
    }

    /// The library's one-step adaptation loss: MAML's task objective with one step of size α
    /// and the summed squared error Σᵢ (f(xᵢ) − yᵢ)² of the ReLU network as both losses.
    public static var libraryAdaptationLoss: AdaptationLossFunction { { params, support, query, stepSize in
        let sizes = layerSizes(params)
        guard sizes.count >= 2 else { throw ExerciseCodeError.badInput("the parameters need layer1.weight, …, got \(params.names)") }
        let model = MLP(sizes: sizes, activation: .relu)
        let task = MetaTask(supportLoss: { (model($0, support.inputs) - support.targets).squared.sum() },
                            queryLoss: { (model($0, query.inputs) - query.targets).squared.sum() })
        return MAML(innerLoop: InnerLoop(steps: 1, learningRate: .fixed(stepSize)), order: .second).taskObjective(params, task: task)
    } }

    /// The library's unrolled objective: MAML's task objective with a learned scalar inner rate
    /// `inner.lr` on the tanh network whose layer sizes the weights' shapes give.
    public static var libraryUnrolledObjective: UnrolledObjectiveFunction { { meta, task, steps in
        let sizes = layerSizes(meta)
        guard sizes.count >= 2, meta["inner.lr"] != nil else {
            throw ExerciseCodeError.badInput("the meta-parameters need layer1.weight, … and inner.lr, got \(meta.names)")
        }
        let model = MLP(sizes: sizes, activation: .tanh)
        let metaTask = MetaTask(supportLoss: { meanAbsoluteError(model($0, task.trainInputs), task.trainTargets) },
                                queryLoss: { meanAbsoluteError(model($0, task.validationInputs), task.validationTargets) })
        return MAML(innerLoop: InnerLoop(steps: steps, learningRate: .learnedScalar), order: .second).taskObjective(meta, task: metaTask)
    } }

    /// The largest absolute difference between two sets of parameters, or nil when their names differ.
    static func largestDifference(_ a: Parameters, _ b: Parameters) -> Double? {
        guard a.names == b.names, zip(a.tensors, b.tensors).allSatisfy({ $0.shape == $1.shape }) else { return nil }
        return zip(a.tensors, b.tensors).map { zip($0.scalars, $1.scalars).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    /// The value and gradient of a throwing objective: `grad` needs a non-throwing function, so
    /// an error inside is kept and thrown after the pass.
    static func valueAndGradient(_ objective: @escaping (Parameters) throws -> Tensor, at point: Parameters) throws -> (Tensor, Parameters) {
        var failure: (any Error)?
        let result = valueAndGrad { (p: Parameters) -> Tensor in
            do { return try objective(p) } catch {
                failure = error
                return p.squaredNorm() * 0
            }
        }(point)
        if let failure { throw failure }
        return result
    }

    /// Compares the value and gradient of `objective` with `reference`'s at `point`; nil when they agree.
    static func compare(_ objective: @escaping (Parameters) throws -> Tensor, with reference: @escaping (Parameters) throws -> Tensor,
                        at point: Parameters, what: String) throws -> String? {
        let (expectedValue, expectedGradient) = try valueAndGradient(reference, at: point)
        let (value, gradient) = try valueAndGradient(objective, at: point)
        guard value.shape == expectedValue.shape else {
            return "\(what) has shape \(value.shape), the library's \(expectedValue.shape)"
        }
        let valueGap = zip(value.scalars, expectedValue.scalars).map { abs($0 - $1) }.max() ?? 0
        if !(valueGap <= tolerance) {
            return "\(what) differs from the library's by \(valueGap) on a small test"
        }
        guard let gradientGap = largestDifference(gradient, expectedGradient) else {
            return "the gradient of \(what) is named \(gradient.names), the library's \(expectedGradient.names)"
        }
        if !(gradientGap <= tolerance) {
            return "the gradient through \(what) differs from the library's by \(gradientGap) on a small test "
                + "(is every inner gradient kept differentiable?)"
        }
        return nil
    }

    /// `gdStep`: the new parameters, and the gradient of the cost after the step (second order).
    public static func gdStep(_ step: @escaping GradientStepFunction) throws -> String? {
        let expected = try libraryStep(tinyCost, tinyStart, 0.1)
        let stepped = try step(tinyCost, tinyStart, 0.1)
        guard let gap = largestDifference(stepped, expected) else {
            return "the step returned parameters \(stepped.names), expected \(expected.names)"
        }
        if !(gap <= tolerance) { return "one step differs from θ − η∇cost(θ) by \(gap) on a small test" }
        return try compare({ tinyCost(try step(tinyCost, $0, 0.1)) }, with: { tinyCost(try libraryStep(tinyCost, $0, 0.1)) },
                           at: tinyStart, what: "the cost after one step")
    }

    /// `MetaObjective` with two steps of the library's step: its value and its gradient.
    public static func metaObjective(_ objective: @escaping MetaObjectiveFunction) throws -> String? {
        try compare({ try objective(tinyCost, $0, 2, 0.1, libraryStep) },
                    with: { try libraryMetaObjective(tinyCost, $0, 2, 0.1, libraryStep) },
                    at: tinyStart, what: "the meta-objective after two steps")
    }

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

    /// The 1-3-3-1 ReLU network of `tinyNetwork`, applied to inputs [n, 1].
    static func tinyModel(_ params: Parameters, _ inputs: Tensor) -> Tensor {
        MLP(sizes: [1, 3, 3, 1], activation: .relu)(params, inputs)
    }

    /// A 1-3-3-1 network in the library's naming with every entry set from `seed`.
    static func tinyNetwork(seed: UInt64) -> Parameters {
        var generator = SeededGenerator(seed: seed)
        let sizes = [1, 3, 3, 1]
        var pairs: [(String, Tensor)] = []
        for layer in 1..<sizes.count {
            pairs.append(("layer\(layer).weight", .randomUniform([sizes[layer - 1], sizes[layer]], low: -1, high: 1, generator: &generator)))
            pairs.append(("layer\(layer).bias", .randomUniform([sizes[layer]], low: -0.5, high: 0.5, generator: &generator)))
        }
        return Parameters(pairs)
    }

    /// `adaptationLoss`: value and second-order gradient on a 1-3-3-1 ReLU network.
    public static func adaptationLoss(_ loss: @escaping AdaptationLossFunction) throws -> String? {
        let support = (Tensor(shape: [3, 1], scalars: [-1.5, 0.4, 2]), Tensor(shape: [3, 1], scalars: [0.2, -0.5, 0.9]))
        let query = (Tensor(shape: [2, 1], scalars: [-0.3, 1.1]), Tensor(shape: [2, 1], scalars: [0.1, 0.6]))
        return try compare({ try loss($0, support, query, 0.05) }, with: { try libraryAdaptationLoss($0, support, query, 0.05) },
                           at: tinyNetwork(seed: 6), what: "the loss after one adaptation step")
    }

    /// `unrolledObjective`: value and gradient (α included) on a 1-3-3-1 tanh network, two steps.
    public static func unrolledObjective(_ objective: @escaping UnrolledObjectiveFunction) throws -> String? {
        let meta = tinyNetwork(seed: 5).merging(["inner.lr": Tensor(0.3, dtype: .float64)])
        let task = UnrolledTask(trainInputs: Tensor(shape: [3, 1], scalars: [-1, 0.4, 2]), trainTargets: Tensor(shape: [3, 1], scalars: [0.2, -0.5, 0.9]),
                                validationInputs: Tensor(shape: [2, 1], scalars: [-0.3, 1.1]), validationTargets: Tensor(shape: [2, 1], scalars: [0.1, 0.6]))
        return try compare({ try objective($0, task, 2) }, with: { try libraryUnrolledObjective($0, task, 2) },
                           at: meta, what: "the unrolled objective after two steps")
    }
}
