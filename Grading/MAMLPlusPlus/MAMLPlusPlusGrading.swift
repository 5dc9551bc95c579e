import Autodiff
import Foundation
import MAMLPlusPlus
import NeuralNetworks
import GradingSupport
import Testing

// Hidden tests for MAMLPlusPlus (10 extra-credit points): `rates` (3), `multiStepLoss` (3),
// `cosine` (1) and `order` (3). Each part calls only its own functions: the multi-step loss is
// fed a trajectory built here, and the meta-gradient an objective written here, so a mistake in
// one piece costs that piece's points only.

/// A tiny regression network, 1 → 3 → 1 with tanh, small enough for debug builds.
private let net = MLP(sizes: [1, 3, 1], activation: .tanh)

/// The mean squared error of `net` at `params` on inputs `x` against targets `y`.
private func regressionLoss(_ x: [Double], _ y: [Double]) -> Loss {
    let inputs = Tensor(shape: [x.count, 1], scalars: x)
    let targets = Tensor(shape: [y.count, 1], scalars: y)
    return { params in meanSquaredError(net(params, inputs), targets) }
}

/// One regression task: support and query points of y = 0.8 sin(x + 0.3).
private func sineTask() -> MetaTask {
    MetaTask(supportLoss: regressionLoss([-1.2, -0.1, 0.6, 1.4], [-1.2, -0.1, 0.6, 1.4].map { 0.8 * sin($0 + 0.3) }),
             queryLoss: regressionLoss([-0.7, 0.2, 1.0], [-0.7, 0.2, 1.0].map { 0.8 * sin($0 + 0.3) }))
}

/// θ of the tiny network, from a fixed seed.
private func theta() -> Parameters {
    var generator = SeededGenerator(seed: 8101)
    return net.initialize(generator: &generator, dtype: .float64)
}

/// θ followed by a distinct learned rate for every parameter and step:
/// α_{n,k} = 0.05 + 0.04·(index of n) + 0.03·k.
private func metaWithDistinctRates(steps: Int) -> Parameters {
    let model = theta()
    var pairs = Array(model)
    for (index, (name, _)) in model.enumerated() {
        for step in 1...steps {
            pairs.append(("inner.lr.\(name).\(step)", Tensor(0.05 + 0.04 * Double(index) + 0.03 * Double(step))))
        }
    }
    return Parameters(pairs)
}

/// The reference LSLR trajectory φ⁰ … φᴷ, computed here independently.
private func referenceTrajectory(_ meta: Parameters, _ supportLoss: @escaping Loss, steps: Int) -> [Parameters] {
    var phi = Parameters(meta.filter { !$0.0.hasPrefix("inner.lr.") })
    var path = [phi]
    for step in 1...steps {
        let gradient = grad(supportLoss)(phi)
        phi = Parameters(phi.names.map { name in
            (name, phi.require(name) - meta.require("inner.lr.\(name).\(step)") * gradient.require(name))
        })
        path.append(phi)
    }
    return path
}

/// True when both have the same names in the same order and every value agrees to `tolerance`
/// relative to its size.
private func close(_ a: Parameters, _ b: Parameters, tolerance: Double = 1e-9) -> Bool {
    a.map(\.0) == b.map(\.0) && a.allSatisfy { name, tensor in
        let other = b.require(name)
        return tensor.shape == other.shape
            && zip(tensor.scalars, other.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}

/// True when the numbers agree to `tolerance` relative to their size.
private func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

/// rates: one initial rate per parameter and step; the inner loop steps every parameter with its
/// own rate of that step; and the outer gradient reaches θ and every rate (second order).
@Test(.graded) func ratesPart_perStepPerParameterRatesInTheInnerLoop() throws {
    let task = sineTask()
    let model = theta()
    let rates = try initialInnerRates(for: model, steps: 3, rate: 0.25)
    let expectedNames = Set(model.names.flatMap { name in (1...3).map { "inner.lr.\(name).\($0)" } })
    #expect(Set(rates.names) == expectedNames && rates.count == expectedNames.count,
            "initial rates named \(rates.names), expected one per parameter and step: \(expectedNames.sorted())")
    #expect(rates.allSatisfy { _, rate in rate.scalarCount == 1 && rate.scalars == [0.25] }, "every initial rate must be one scalar 0.25")

    let meta = metaWithDistinctRates(steps: 2)
    let trajectory = try adapt(meta, supportLoss: task.supportLoss, steps: 2)
    let expected = referenceTrajectory(meta, task.supportLoss, steps: 2)
    #expect(trajectory.count == 3, "expected φ⁰, φ¹, φ² for two steps, got \(trajectory.count) parameter sets")
    if trajectory.count == 3 {
        #expect(close(trajectory[0], expected[0]), "φ⁰ must be θ, without the rates")
        #expect(close(trajectory[1], expected[1]), "φ¹ is not θ − α_{n,1}·∇L_sup(θ) for every parameter n")
        #expect(close(trajectory[2], expected[2]), "φ² is not φ¹ − α_{n,2}·∇L_sup(φ¹) for every parameter n")
    }

    let outer = try valueAndGradient(of: { task.queryLoss(try adapt($0, supportLoss: task.supportLoss, steps: 2).last!) }, at: meta)
    let reference = valueAndGrad { task.queryLoss(referenceTrajectory($0, task.supportLoss, steps: 2).last!) }(meta)
    #expect(close(outer.gradient, reference.gradient, tolerance: 1e-8),
            "the gradient of the query loss after adaptation is not the second-order one through every step and rate")
}

/// multiStepLoss: the importance weights at several epochs, and Σₖ wₖ L_query(φᵏ) over φ¹ … φᴷ,
/// differentiable through the trajectory.
@Test(.graded) func multiStepLossPart_annealedWeightsAndWeightedQueryLosses() throws {
    let task = sineTask()
    let five = try MultiStepLossSchedule(steps: 5, annealEpochs: 10)
    #expect(close(try importanceWeights(epoch: 0, schedule: five), [0.2, 0.2, 0.2, 0.2, 0.2]), "epoch 0 must weigh every step 1/K")
    #expect(close(try importanceWeights(epoch: 5, schedule: five), [0.1, 0.1, 0.1, 0.1, 0.6]),
            "halfway through the annealing the non-final weights are 1/(2K)")
    #expect(close(try importanceWeights(epoch: 10, schedule: five), [0.006, 0.006, 0.006, 0.006, 0.976]),
            "after E epochs the non-final weights sit at the floor 0.03/K and the weights still sum to 1")
    #expect(close(try importanceWeights(epoch: 40, schedule: five), [0.006, 0.006, 0.006, 0.006, 0.976]),
            "the weights stay at the floor after E epochs")
    let four = try MultiStepLossSchedule(steps: 4, annealEpochs: 4, floor: 0.05)
    #expect(close(try importanceWeights(epoch: 3, schedule: four), [0.0625, 0.0625, 0.0625, 0.8125]),
            "K = 4, E = 4, floor 0.05 at epoch 3")
    #expect(close(try importanceWeights(epoch: 4, schedule: four), [0.05, 0.05, 0.05, 0.85]), "K = 4, E = 4, floor 0.05 at epoch 4")
    #expect(close(try importanceWeights(epoch: 2, schedule: try MultiStepLossSchedule(steps: 1, annealEpochs: 3)), [1]),
            "one step has the single weight 1")

    // A made-up trajectory φᵏ = (1 − 0.2k)·θ: the loss must score φ¹ … φ³ and not φ⁰.
    let weights = [0.2, 0.3, 0.5]
    let path = { (theta: Parameters) in (0...3).map { (1 - 0.2 * Double($0)) * theta } }
    let expectedLoss = { (theta: Parameters) in
        (1...3).map { weights[$0 - 1] * task.queryLoss(path(theta)[$0]) }.reduce(Tensor(0), +)
    }
    let result = try valueAndGradient(of: { try multiStepLoss(trajectory: path($0), queryLoss: task.queryLoss, weights: weights) },
                                      at: theta())
    let expected = valueAndGrad(expectedLoss)(theta())
    #expect(close([result.value.scalar], [expected.value.scalar], tolerance: 1e-10),
            "multi-step loss \(result.value.scalar), expected Σₖ wₖ L_query(φᵏ) = \(expected.value.scalar)")
    #expect(close(result.gradient, expected.gradient, tolerance: 1e-9), "the multi-step loss does not differentiate through the trajectory")
}

/// cosine: β(e) = β_min + (β₀ − β_min)(1 + cos(π·min(e, T)/T))/2 at several epochs.
@Test(.graded) func cosinePart_outerRateFollowsHalfACosine() throws {
    let schedule = try OuterRateSchedule(initial: 0.001, minimum: 1e-5, totalEpochs: 100)
    let expected = { (epoch: Int) in 1e-5 + (0.001 - 1e-5) * (1 + cos(Double.pi * Double(min(epoch, 100)) / 100)) / 2 }
    for epoch in [0, 1, 25, 50, 99, 100, 150] {
        let rate = try outerLearningRate(epoch: epoch, schedule: schedule)
        #expect(close([rate], [expected(epoch)], tolerance: 1e-12), "outer rate at epoch \(epoch): \(rate), expected \(expected(epoch))")
    }
    let short = try OuterRateSchedule(initial: 0.4, minimum: 0, totalEpochs: 4)
    #expect(close([try outerLearningRate(epoch: 1, schedule: short)], [0.4 * (1 + cos(Double.pi / 4)) / 2]), "β₀ = 0.4, T = 4 at epoch 1")
    #expect(throws: (any Error).self, "a negative epoch must be refused") { try outerLearningRate(epoch: -1, schedule: short) }
}

/// The closed-form problem of the order part: a scalar weight w, one learned rate α and
/// quadratic losses ½ s w² − c w (support) and ½ s′ φ² − c′ φ (query).
private struct QuadraticTask {
    let s: Double, c: Double, sQuery: Double, cQuery: Double

    /// The task as the exercise sees it.
    var metaTask: MetaTask {
        MetaTask(supportLoss: { p in 0.5 * s * p.require("w").squared - c * p.require("w") },
                 queryLoss: { p in 0.5 * sQuery * p.require("w").squared - cQuery * p.require("w") })
    }

    /// With φ = w − α(s w − c) and q = s′φ − c′: the query loss, and its exact gradient
    /// (∂/∂w = q(1 − α s), ∂/∂α = −q(s w − c)) or its first-order one (∂/∂w = q, same ∂/∂α).
    func closedForm(w: Double, alpha: Double, order: DerivativeOrder) -> (loss: Double, dw: Double, dAlpha: Double) {
        let phi = w - alpha * (s * w - c)
        let q = sQuery * phi - cQuery
        return (0.5 * sQuery * phi * phi - cQuery * phi, order == .second ? q * (1 - alpha * s) : q, -q * (s * w - c))
    }
}

/// One inner step from w with rate α, then the query loss: the objective handed to `metaGradient`.
private func oneStepObjective(_ meta: Parameters, _ task: MetaTask) -> Tensor {
    let w = meta.require("w")
    let slope = grad(task.supportLoss)(["w": w]).require("w")
    return task.queryLoss(["w": w - meta.require("alpha") * slope])
}

/// order: first-order meta-gradients for epochs before E, second order from E on, each the mean
/// over the tasks, checked against the closed form where the two orders differ.
@Test(.graded) func orderPart_firstOrderBeforeTheSwitchEpochSecondOrderFrom() throws {
    let quadratics = [QuadraticTask(s: 2, c: 1, sQuery: 1.5, cQuery: 0.5), QuadraticTask(s: 1, c: -0.4, sQuery: 3, cQuery: 0.2)]
    let meta: Parameters = ["w": Tensor(0.7), "alpha": Tensor(0.3)]
    let expected = { (order: DerivativeOrder) -> [Double] in
        let forms = quadratics.map { $0.closedForm(w: 0.7, alpha: 0.3, order: order) }
        return [forms.map(\.loss).reduce(0, +) / 2, forms.map(\.dw).reduce(0, +) / 2, forms.map(\.dAlpha).reduce(0, +) / 2]
    }
    let (first, second) = (expected(.first), expected(.second))
    #expect(abs(first[1] - second[1]) > 0.05, "the closed forms must tell the orders apart")
    let cases: [(firstOrderEpochs: Int, epoch: Int, order: DerivativeOrder)] = [
        (3, 0, .first), (3, 2, .first), (3, 3, .second), (3, 7, .second), (0, 0, .second),
    ]
    for (firstOrderEpochs, epoch, order) in cases {
        let result = try metaGradient(meta, tasks: quadratics.map(\.metaTask), epoch: epoch,
                                      schedule: try DerivativeOrderSchedule(firstOrderEpochs: firstOrderEpochs), objective: oneStepObjective)
        let want = order == .first ? first : second
        let got = [result.loss, result.gradient.require("w").scalar, result.gradient.require("alpha").scalar]
        #expect(result.order == order && close(got, want, tolerance: 1e-10),
                "E = \(firstOrderEpochs), epoch \(epoch): (loss, ∂w, ∂α) = \(got) as \(result.order), expected \(want) as \(order)")
    }
}
