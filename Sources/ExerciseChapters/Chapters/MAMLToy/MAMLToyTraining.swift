import Autodiff
import Foundation
import MAMLTraining
import Notebook
import Plots

extension MAMLToyChapter {
    /// What meta-training leaves for the next section: the learned and the random start.
    struct Trained {
        /// θ after meta-training.
        let learned: Parameters
        /// θ before it (the random init).
        let initial: Parameters
        /// The settings of the run (K, η, β).
        let settings: TrainingSettings
    }

    /// The course's sizes: 10 support and 10 query points, K = 5 inner steps of η = 0.1.
    static let shots = 10, innerSteps = 5, innerStepSize = 0.1, metaStepSize = 0.01

    /// Meta-training on random step functions with `trainMAML`, then the meta-objective on new tasks.
    func trainingSection(_ book: Notebook, _ gate: ExerciseGate) throws -> Trained? {
        let iterations = book.pick("meta-training iterations (one task each)", full: 5000, quick: 1000, test: 2)
        let heldOut = book.pick("new tasks for the before/after comparison", full: 50, quick: 20, test: 2)
        book.section("Meta-training on step functions")
        try book.paragraph("Each task is a step function on $[-3, 3]$ with a random level on each unit interval. The network "
            + "(1-40-40-1, ReLU) sees \(Self.shots) support points of a task, takes K = \(Self.innerSteps) steps of size "
            + "$\\eta = \(Self.innerStepSize)$ on their mean squared error, and is judged on \(Self.shots) query points:")
        try book.math("\\mathrm{meta}(\\theta) = L_Q\\left(\\theta_K(\\theta)\\right), \\qquad \\theta \\leftarrow \\theta - \\beta \\nabla_\\theta \\mathrm{meta}(\\theta), \\quad \\beta = \(Self.metaStepSize)")
        try book.paragraph("Your `trainMAML` draws a new task per iteration and calls your `metaTrainingStep`; the inner loop it "
            + "is handed is your `MetaObjective` stepping with your `gdStep`.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let run = try gate.run(functions.trainingChecks, doing: "meta-training with trainMAML", { () -> (Trained, TrainingRun, [Double], [Double]) in
            let tasks = try PiecewiseConstantTasks(supportSize: Self.shots, querySize: Self.shots)
            let settings = try TrainingSettings(numSteps: Self.innerSteps, innerStepSize: Self.innerStepSize,
                                                metaStepSize: Self.metaStepSize, iterations: iterations)
            var generator = SeededGenerator(seed: seed &+ 11)
            let initial = randomNetwork(using: &generator)
            book.progress("meta-training \(iterations) iterations")
            let run = try functions.trainMAML(initial, tasks, settings, functions.adaptation, &generator)
            for (index, loss) in run.metaLosses.enumerated() { _ = try finite(loss, "the meta-loss of iteration \(index + 1)") }
            // meta(θ) on new tasks, from metaTrainingStep with β = 0: it reports meta(θ) and leaves θ where it is.
            let measure = try TrainingSettings(numSteps: Self.innerSteps, innerStepSize: Self.innerStepSize, metaStepSize: 0, iterations: 1)
            var newTasks = SeededGenerator(seed: seed &+ 12)
            let pairs = try (0..<heldOut).map { _ -> (Double, Double) in
                let task = tasks.sample(using: &newTasks)
                return (try functions.metaTrainingStep(initial, task, measure, functions.adaptation).metaLoss,
                        try functions.metaTrainingStep(run.params.detached(), task, measure, functions.adaptation).metaLoss)
            }
            return (Trained(learned: run.params.detached(), initial: initial, settings: settings), run, pairs.map(\.0), pairs.map(\.1))
        }) else { return nil }
        let (trained, training, before, after) = run
        let losses = training.metaLosses
        var figure = Figure(title: "Meta-training: the sampled task's meta-objective", xLabel: "iteration", yLabel: "query MSE after K steps")
        let window = max(1, losses.count / 20)
        try figure.addLine(x: losses.indices.map { Double($0 + 1) }, y: losses, label: "per task", color: .lightGray, width: 1)
        try figure.addLine(x: losses.indices.map { Double($0 + 1) }, y: movingAverage(losses, window: window),
                           label: "moving average (\(window))", width: 2.5)
        try book.figure(figure, name: "training", caption: "One new task per iteration makes the curve noisy; its average "
            + "falls as the initialization learns what step functions have in common.")
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(1, values.count)) }
        try book.keyNumbers([
            ("held_out_meta_objective_initial", "meta-objective on \(heldOut) new tasks, random init", try finite(mean(before), "the mean")),
            ("held_out_meta_objective_learned", "the same tasks from the learned init", try finite(mean(after), "the mean")),
        ])
        try book.paragraph("The learned initialization reaches a query error of @{held_out_meta_objective_learned} after "
            + "\(Self.innerSteps) steps on tasks it never saw, against @{held_out_meta_objective_initial} from the random start.")
        return trained
    }

    /// A new task: the fits after 0 … K steps of your inner loop from the learned init.
    func adaptationSection(_ book: Notebook, _ gate: ExerciseGate, trained: Trained?) throws {
        book.section("A new task, step by step")
        try book.paragraph("A new step function, \(Self.shots) support points, and the network after each of the "
            + "\(Self.innerSteps) inner steps of your `MetaObjective` and `gdStep`. Good features make the fit snap to the steps quickly.")
        let functions = self.functions
        guard let trained else {
            if try gate.open(functions.trainingChecks) { try book.note("The meta-training section stopped, so there is no trained network.", kind: .warning) }
            return
        }
        let seed = book.settings.seed
        guard let result = try gate.run(functions.trainingChecks, doing: "adapting to a new task", { () -> ([Parameters], [Parameters], RegressionTask) in
            var generator = SeededGenerator(seed: seed &+ 13)
            let task = try PiecewiseConstantTasks(supportSize: Self.shots, querySize: 200).sample(using: &generator)
            let path = { (start: Parameters) in
                try withFirstOrderGradients {
                    try functions.innerPath(Self.error(task.supportInputs, task.supportTargets), from: start, steps: Self.innerSteps,
                                            stepSize: Self.innerStepSize).map { $0.detached() }
                }
            }
            return (try path(trained.learned), try path(trained.initial), task)
        }) else { return }
        let (learnedPath, randomPath, task) = result
        let queryError = Self.error(task.queryInputs, task.queryTargets)
        let queryMSE = { (point: Parameters) in queryError(point).scalar }
        var rows: [[TableCell]] = []
        for k in 0...Self.innerSteps {
            try book.record("new_task_mse_learned_step_\(k)", try finite(queryMSE(learnedPath[k]), "the query MSE after \(k) steps"))
            try book.record("new_task_mse_random_step_\(k)", try finite(queryMSE(randomPath[k]), "the query MSE after \(k) steps"))
            rows.append([.text("\(k)"), .metric("new_task_mse_learned_step_\(k)"), .metric("new_task_mse_random_step_\(k)")])
        }
        try book.figure(try fitsFigure(path: learnedPath, task: task), name: "adaptation", caption: "Gray dots: 200 points of the "
            + "new task; black: the \(Self.shots) support points. Lines grow thicker with each of your inner steps.")
        try book.table(ResultTable(header: ["steps", "MSE from the learned init", "MSE from the random init"], rows: rows,
                                   caption: "Mean squared error on 200 points of the new task."))
    }

    /// The mean squared error of the network on `inputs` and `targets`, as a function of its parameters.
    static func error(_ inputs: Tensor, _ targets: Tensor) -> (Parameters) -> Tensor {
        { regressionCost($0, inputs: inputs, targets: targets) }
    }

    /// The task's points and the network's fit after every step of `path`.
    func fitsFigure(path: [Parameters], task: RegressionTask) throws -> Figure {
        var figure = Figure(title: "A new step function: the learned init (thin) and each inner step", xLabel: "x", yLabel: "y")
        let order = task.queryInputs.scalars.indices.sorted { task.queryInputs.scalars[$0] < task.queryInputs.scalars[$1] }
        try figure.addScatter(x: order.map { task.queryInputs.scalars[$0] }, y: order.map { task.queryTargets.scalars[$0] },
                              label: "the task", color: .lightGray, radius: 2)
        try figure.addScatter(x: task.supportInputs.scalars, y: task.supportTargets.scalars, label: "support points", color: .black, radius: 4)
        let grid = (0...240).map { -3 + 6 * Double($0) / 240 }
        let inputs = Tensor(shape: [grid.count, 1], scalars: grid)
        for (k, point) in path.enumerated() {
            let fit = withoutRecording { regressionNetwork(point, inputs) }.scalars
            try figure.addLine(x: grid, y: fit, label: k == 0 ? "learned init" : "after \(k) step\(k == 1 ? "" : "s")",
                               width: 1 + 0.6 * Double(k))
        }
        figure.legendPlacement = .outsideRight
        (figure.width, figure.xLimits) = (780, -3...3)
        return figure
    }
}
