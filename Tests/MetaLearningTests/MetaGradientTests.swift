import Testing
import Autodiff
import MetaLearning

/// A tiny tanh network y = tanh(x W₁ + b₁) W₂ + b₂ (1-3-1) and a few sine-like tasks, in Double.
enum Tiny {
    static func initial(seed: UInt64 = 1) -> Parameters {
        var g = SeededGenerator(seed: seed)
        return ["w1": .randomNormal([1, 3], standardDeviation: 0.8, generator: &g),
                "b1": .randomNormal([3], standardDeviation: 0.3, generator: &g),
                "w2": .randomNormal([3, 1], standardDeviation: 0.8, generator: &g),
                "b2": .randomNormal([1], standardDeviation: 0.3, generator: &g)]
    }

    static func predict(_ p: Parameters, _ x: Tensor) -> Tensor {
        matmul(tanh(matmul(x, p.require("w1")) + p.require("b1")), p.require("w2")) + p.require("b2")
    }

    /// Task i: y = aᵢ sin(x + φᵢ), support and query at fixed points.
    static func data(_ i: Int, points: [Double]) -> (Tensor, Tensor) {
        let a = 0.5 + 0.4 * Double(i), phase = 0.3 * Double(i)
        return (Tensor(shape: [points.count, 1], scalars: points),
                Tensor(shape: [points.count, 1], scalars: points.map { a * Double.sin($0 + phase) }))
    }

    static func task(_ i: Int) -> MetaTask {
        let (xs, ys) = data(i, points: [-1.5, -0.2, 0.7, 1.9])
        let (xq, yq) = data(i, points: [-1, 0.3, 1.2])
        return MetaTask(supportLoss: { meanSquaredError(predict($0, xs), ys) },
                        queryLoss: { meanSquaredError(predict($0, xq), yq) })
    }

    static var tasks: [MetaTask] { [task(0), task(1), task(2)] }
}

func maxDifference(_ a: Parameters, _ b: Parameters) -> Double {
    zip(a.tensors, b.tensors).flatMap { zip($0.scalars, $1.scalars).map { Swift.abs($0 - $1) } }.max() ?? 0
}

@Suite("Meta-gradients against their definitions")
struct MetaGradientTests {
    let theta = Tiny.initial()

    @Test("second-order MAML, 2 steps, equals finite differences of the meta-objective")
    func mamlMatchesFiniteDifferences() throws {
        let maml = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.1)))
        let (loss, gradient) = maml.metaGradient(theta, tasks: Tiny.tasks)
        #expect(maxDifference(gradient, grad { maml.metaObjective($0, tasks: Tiny.tasks) }(theta)) < 1e-12)
        #expect(loss.scalar == maml.metaObjective(theta, tasks: Tiny.tasks).scalar)
        try checkGradients({ maml.metaObjective($0, tasks: Tiny.tasks) }, at: theta, order: 2, tolerance: 1e-7)
    }

    @Test("FO-MAML's gradient is the query gradient at the adapted parameters")
    func firstOrderIsQueryGradientAtAdapted() {
        let inner = InnerLoop(steps: 3, learningRate: .fixed(0.1))
        let fo = MAML(innerLoop: inner, order: .first).metaGradient(theta, tasks: Tiny.tasks).gradient
        let expected = Tiny.tasks.map { task in
            grad(task.queryLoss)(inner.adapt(theta, supportLoss: task.supportLoss))
        }.reduce(theta.zerosLike(), +) / Double(Tiny.tasks.count)
        #expect(maxDifference(fo, expected) < 1e-12)
        let so = MAML(innerLoop: inner, order: .second).metaGradient(theta, tasks: Tiny.tasks).gradient
        #expect(maxDifference(fo, so) > 1e-4, "first and second order should differ on a curved loss")
    }

    @Test("ANIL's meta-gradient equals finite differences of its own objective, and adapts the head only")
    func anil() throws {
        let anil = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.2), adaptedNames: ["w2", "b2"]))
        let analytic = anil.metaGradient(theta, tasks: Tiny.tasks).gradient
        #expect(maxDifference(analytic, grad { anil.metaObjective($0, tasks: Tiny.tasks) }(theta)) < 1e-12)
        try checkGradients({ anil.metaObjective($0, tasks: Tiny.tasks) }, at: theta, order: 1, tolerance: 1e-7)
        let adapted = anil.innerLoop.adapt(theta, supportLoss: Tiny.tasks[0].supportLoss)
        #expect(adapted.require("w1").scalars == theta.require("w1").scalars)
        #expect(adapted.require("w2").scalars != theta.require("w2").scalars)
    }

    @Test("ANIL equals MAML when the head is the whole model")
    func anilEqualsMAMLOnHeadOnlyModel() {
        let head: Parameters = ["w2": theta.require("w2"), "b2": theta.require("b2")]
        let features = Tensor(rows: [[0.2, -0.4, 0.9], [0.5, 0.1, -0.3]])
        let task = MetaTask(supportLoss: { (matmul(features, $0.require("w2")) + $0.require("b2")).squared.mean() },
                            queryLoss: { (matmul(features, $0.require("w2")) + $0.require("b2") - 1).squared.mean() })
        let maml = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.3)))
        let anil = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.3), adaptedNames: ["w2", "b2"]))
        #expect(maxDifference(maml.metaGradient(head, tasks: [task]).gradient,
                              anil.metaGradient(head, tasks: [task]).gradient) == 0)
    }

    @Test("a learned scalar inner rate gets the right gradient")
    func learnedScalarRate() throws {
        let policy = InnerLearningRate.learnedScalar
        let meta = theta.merging(policy.initialRates(for: theta, steps: 3, alpha: 0.1))
        let maml = MAML(innerLoop: InnerLoop(steps: 3, learningRate: policy))
        let analytic = maml.metaGradient(meta, tasks: Tiny.tasks).gradient
        #expect(analytic.names.contains("inner.lr"))
        #expect(maxDifference(analytic, grad { maml.metaObjective($0, tasks: Tiny.tasks) }(meta)) < 1e-12)
        try checkGradients({ maml.metaObjective($0, tasks: Tiny.tasks) }, at: meta, order: 1, tolerance: 1e-7)
        // α alone, to third order: the objective's curvature in the learned rate is exact too.
        try checkGradients({ rate in maml.metaObjective(theta.merging(["inner.lr": rate]), tasks: Tiny.tasks) },
                           at: Tensor(0.1), order: 3, tolerance: 1e-6)
    }

    @Test("Meta-SGD per-parameter rates and MAML++ per-step rates get the right gradients")
    func learnedPerParameterRates() throws {
        for policy in [InnerLearningRate.learnedPerParameter, .learnedPerParameterPerStep] {
            let meta = theta.merging(policy.initialRates(for: theta, steps: 2, alpha: 0.1))
            let maml = MAML(innerLoop: InnerLoop(steps: 2, learningRate: policy), stepWeights: [0, 0.3, 0.7])
            let analytic = maml.metaGradient(meta, tasks: Tiny.tasks).gradient
            #expect(maxDifference(analytic, grad { maml.metaObjective($0, tasks: Tiny.tasks) }(meta)) < 1e-12, "\(policy)")
            try checkGradients({ maml.metaObjective($0, tasks: Tiny.tasks) }, at: meta, order: 1, tolerance: 1e-7)
        }
    }

    @Test("tasks run together on tiled parameters give the mean of the per-task meta-gradients")
    func tiledBatchEqualsLoop() {
        let maml = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.1)))
        let perTask = maml.metaGradient(theta, tasks: Tiny.tasks).gradient
        let support = (0..<3).map { Tiny.data($0, points: [-1.5, -0.2, 0.7, 1.9]) }
        let query = (0..<3).map { Tiny.data($0, points: [-1, 0.3, 1.2]) }
        let xs = stack(support.map(\.0)), ys = stack(support.map(\.1))
        let xq = stack(query.map(\.0)), yq = stack(query.map(\.1))
        // Sum of per-task mean losses inside (each slice gets its own gradient), mean outside.
        let batched = MetaTask(
            supportLoss: { (Tiny.predict($0, xs) - ys).squared.mean(axes: [1, 2]).sum() },
            queryLoss: { (Tiny.predict($0, xq) - yq).squared.mean(axes: [1, 2]).mean() })
        let tiledMAML = { (p: Parameters) in
            MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.1))).taskObjective(p.tiled(for: 3), task: batched)
        }
        let vectorized = grad(tiledMAML)(theta)
        #expect(maxDifference(perTask, vectorized) < 1e-12)
        let library = maml.vectorizedMetaGradient(theta, batch: batched, tasks: 3)
        #expect(maxDifference(perTask, library.gradient) < 1e-12)
        #expect(Swift.abs(library.loss.scalar - maml.metaObjective(theta, tasks: Tiny.tasks).scalar) < 1e-12)
    }

    @Test("tasks differentiated on two threads give bit-identical meta-gradients, in both orders",
          arguments: GradientOrder.allCases)
    func threadsDoNotChangeResults(order: GradientOrder) {
        let maml = MAML(innerLoop: InnerLoop(steps: 2, learningRate: .fixed(0.1)), order: order)
        let serial = maml.metaGradient(theta, tasks: Tiny.tasks, threads: 1)
        let parallel = maml.metaGradient(theta, tasks: Tiny.tasks, threads: 2)
        #expect(serial.loss.scalars == parallel.loss.scalars)
        #expect(zip(serial.gradient.tensors, parallel.gradient.tensors).allSatisfy { $0.scalars == $1.scalars })
    }

    @Test("workers inherit the caller's recording context")
    func parallelMapInheritsContext() {
        let recording = withoutRecording { parallelMap(4, threads: 2) { _ in isRecording } }
        #expect(recording == [false, false, false, false])
        #expect(parallelMap(5, threads: 3) { $0 * $0 } == [0, 1, 4, 9, 16])
    }

    @Test("Reptile's direction is the mean of (φ̃ - φ), with φ̃ from plain SGD on the support loss")
    func reptileDirection() {
        let reptile = Reptile(innerSteps: 3, innerLearningRate: 0.05, outerStepSize: 0.5)
        var expected = theta.zerosLike()
        for task in Tiny.tasks {
            var phi = theta
            for _ in 0..<3 { phi = phi - 0.05 * grad(task.supportLoss)(phi) }
            expected = expected + (phi - theta)
        }
        expected = expected / 3
        #expect(maxDifference(reptile.direction(theta, tasks: Tiny.tasks), expected) < 1e-15)
        let serial = reptile.serialStep(theta, task: Tiny.tasks[0])
        let adapted = reptile.adapt(theta, task: Tiny.tasks[0])
        #expect(maxDifference(serial, theta + 0.5 * (adapted - theta)) < 1e-15)
    }

    @Test("meta-training on the tiny tasks lowers the adapted query loss well beyond noise")
    func shortTrainingImproves() {
        let maml = MAML(innerLoop: InnerLoop(steps: 1, learningRate: .fixed(0.1)))
        var meta = theta
        let before = maml.metaObjective(meta, tasks: Tiny.tasks).scalar
        for _ in 0..<150 { meta = meta - 0.1 * maml.metaGradient(meta, tasks: Tiny.tasks).gradient }
        let after = maml.metaObjective(meta, tasks: Tiny.tasks).scalar
        #expect(after < 0.3 * before, "before \(before), after \(after)")
    }

    @Test("MAML++ loss weights start uniform and end on the last step")
    func multiStepWeights() {
        #expect(multiStepLossWeights(steps: 4, epoch: 0, annealEpochs: 10) == [0, 0.25, 0.25, 0.25, 0.25])
        #expect(multiStepLossWeights(steps: 4, epoch: 10, annealEpochs: 10) == [0, 0, 0, 0, 1])
        let middle = multiStepLossWeights(steps: 2, epoch: 5, annealEpochs: 10)
        #expect(middle == [0, 0.25, 0.75])
        #expect(Swift.abs(cosineAnnealedRate(initial: 1, minimum: 0, iteration: 50, total: 100) - 0.5) < 1e-12)
        #expect(cosineAnnealedRate(initial: 1e-3, minimum: 1e-5, iteration: 100, total: 100) == 1e-5)
    }
}
