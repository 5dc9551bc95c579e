import Autodiff
import NeuralNetworks
import Notebook
import Plots
import SineMAML

extension SineMAMLChapter {
    /// The meta-trained network and the random one it started from.
    struct Trained {
        /// θ after meta-training.
        let learned: Parameters
        /// θ before it.
        let initial: Parameters
    }

    /// Adam (rate 0.005) on the student's batched adaptation loss over fresh batches of waves.
    func trainingSection(_ book: Notebook, _ gate: ExerciseGate, iterations: Int, metaBatch: Int) throws -> Trained? {
        book.section("Meta-training with your batched loss")
        try book.paragraph("Each iteration draws \(metaBatch) new waves, asks your `batchedAdaptationLoss` for the mean of their "
            + "one-step losses and `grad` for its gradient, and lets Adam (rate 0.005) move the 1-40-40-1 ReLU network.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let run = try gate.run(functions.checks, doing: "meta-training on your batched loss", { () -> (Trained, [Double]) in
            var generator = SeededGenerator(seed: seed &+ 22)
            let initial = randomSineNetwork(using: &generator)
            var theta = initial
            let adam = Adam(learningRate: 0.005)
            var state = adam.initialState(for: theta)
            var losses: [Double] = []
            book.progress("meta-training \(iterations) iterations of \(metaBatch) waves")
            for iteration in 1...iterations {
                let batch = try SineTasks.sample(count: metaBatch, supportSize: Self.shots, querySize: Self.shots, using: &generator)
                let (loss, gradient) = try valueAndGradient(throwing: { try functions.batchedAdaptationLoss($0, batch, Self.stepSize) }, at: theta)
                losses.append(try finite(loss.scalar, "the meta-loss of iteration \(iteration)"))
                (theta, state) = adam.step(theta, gradient, state)
                theta = theta.detached()
            }
            return (Trained(learned: theta, initial: initial), losses)
        }) else { return nil }
        let losses = run.1
        var figure = Figure(title: "Mean one-step query loss per meta-batch", xLabel: "iteration", yLabel: "summed squared error")
        let window = max(1, losses.count / 20)
        try figure.addLine(x: losses.indices.map { Double($0 + 1) }, y: losses, label: "per batch", color: .lightGray, width: 1)
        try figure.addLine(x: losses.indices.map { Double($0 + 1) }, y: movingAverage(losses, window: window),
                           label: "moving average (\(window))", width: 2.5)
        try book.figure(figure, name: "training", caption: "The loss is taken after one adaptation step on each wave's support points.")
        let tail = losses.suffix(window)
        try book.keyNumbers([("final_meta_loss", "mean loss of the last \(tail.count) batches", tail.reduce(0, +) / Double(tail.count))])
        return run.0
    }

    /// A new wave: the learned init and its fit after one step, read from the student's adaptation loss.
    func newWaveSection(_ book: Notebook, _ gate: ExerciseGate, trained: Trained?) throws {
        book.section("A new wave, before and after one step")
        try book.paragraph("Your `adaptationLoss` returns only a loss, yet it can tell the adapted network's value at a point $x$: "
            + "with a query set of that one point, $J_{y=0} - J_{y=1} = g(x)^2 - (g(x) - 1)^2 = 2g(x) - 1$, where $g$ is "
            + "the network after your step. The figure reads the adapted fit this way, point by point.")
        guard let trained else { return try Self.missingNetwork(book, gate, functions.checks) }
        let adaptationLoss = functions.adaptationLoss
        guard let measured = try gate.run(functions.checks, doing: "reading the adapted fit", { () -> ([Double], [Double], SineTaskBatch) in
            var generator = SeededGenerator(seed: book.settings.seed &+ 23)
            let wave = try SineTasks.sample(count: 1, supportSize: Self.shots, querySize: 200, using: &generator)
            let task = wave.task(0)
            let grid = (0...60).map { -5 + Double($0) / 6 }
            let adapted = try grid.map { x -> Double in
                let probe = { (y: Double) in
                    try adaptationLoss(trained.learned, task.support, (Tensor(shape: [1, 1], scalars: [x]), Tensor(shape: [1, 1], scalars: [y])),
                                       Self.stepSize).scalar
                }
                return try finite((try probe(0) - probe(1) + 1) / 2, "the adapted fit at x = \(x)")
            }
            let queryLoss = try adaptationLoss(trained.learned, task.support, task.query, Self.stepSize).scalar
            return (adapted, [try finite(queryLoss / 200, "the adapted query error")], wave)
        }) else { return }
        let (adapted, errors, wave) = measured
        let task = wave.task(0)
        let grid = (0...60).map { -5 + Double($0) / 6 }
        var figure = Figure(title: "A new wave: the learned init and after one of your steps", xLabel: "x", yLabel: "y")
        let (x, y) = (task.query.inputs.scalars, task.query.targets.scalars)
        let order = x.indices.sorted { x[$0] < x[$1] }
        try figure.addLine(x: order.map { x[$0] }, y: order.map { y[$0] }, label: "the wave", color: .black, width: 2, dash: .dashed)
        try figure.addScatter(x: task.support.inputs.scalars, y: task.support.targets.scalars, label: "\(Self.shots) support points", color: .black, radius: 4)
        try figure.addLine(x: grid, y: Self.fit(trained.learned, grid), label: "learned init", width: 1.5)
        try figure.addLine(x: grid, y: adapted, label: "after one step", width: 2.5)
        figure.legendPlacement = .outsideRight
        figure.width = 780
        try book.figure(figure, name: "adaptation", caption: "The init is no particular wave; one step on \(Self.shots) points moves it toward this one.")
        try book.keyNumbers([("new_wave_error_after_step", "mean squared error on 200 points of the wave after one step", errors[0])])
    }

    /// What a section that builds on the trained network says when there is none: which exercise
    /// to finish when a check fails, or that the training section stopped.
    static func missingNetwork(_ book: Notebook, _ gate: ExerciseGate, _ checks: [SanityCheck]) throws {
        if try gate.open(checks) { try book.note("The meta-training section stopped, so there is no trained network here.", kind: .warning) }
    }
}
