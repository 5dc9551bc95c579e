import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import Plots
import TaskData

/// The sine-wave notebook: sample tasks, meta-train, adapt to a new wave; the K-step chain rule
/// and what second-order meta-gradients cost in time and memory.
public struct SineMAMLChapter: Chapter {
    /// `sine-maml`.
    public let id = "sine-maml"
    /// The page heading.
    public let title = "MAML on sine waves"
    /// One line for the list.
    public let summary = "The MAML paper's sinusoids: sampled tasks, meta-training, adaptation; the K-step chain rule and its cost."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let defaults = TaskChoice.sine.defaults
        var configuration = defaults.configuration
        configuration.iterations = book.pick("meta-training iterations", full: 5000, quick: 800, test: 3)
        configuration.metaBatch = book.pick("tasks per meta-batch", full: 25, quick: 10, test: 2)
        configuration.validationTasks = book.pick("validation tasks", full: 100, quick: 25, test: 2)
        configuration.validateEvery = max(1, configuration.iterations / 20)
        configuration.checkpointEvery = configuration.iterations
        configuration.seed = book.settings.seed
        let family = SineAmplitudePhaseFamily()
        let model = TaskChoice.sine.regressionModel
        let problem = RegressionProblem(name: "sine", family: family, model: model, shots: defaults.shots,
                                        queries: defaults.queries, dtype: .float32)

        book.section("A distribution of tasks")
        try book.paragraph("Ordinary regression fits one function. Here every task is a different wave "
            + "$y = A \\sin(x + \\varphi)$ with amplitude $A$ drawn from $[0.1, 5]$ and phase $\\varphi$ from $[0, \\pi]$, observed on "
            + "$[-5, 5]$. We want a model that does well on the *next* wave after seeing only \(defaults.shots) of its points: "
            + "generalization across functions, not just across points of one function.")
        try book.figure(try sampleTasksFigure(family: family, seed: book.settings.seed), name: "sample-tasks",
                        caption: "Four tasks and 20 observations of each, as a meta-training set would hold them.")
        try book.paragraph("The risk we minimize is an expectation over tasks of the loss after adapting to the task:")
        try book.math("R(\\theta) = \\mathbb{E}_{\\tau \\sim p(\\mathcal{T})} \\left[ \\mathcal{L}_{\\tau}^{\\text{test}}\\left(\\theta - \\alpha \\nabla \\mathcal{L}_{\\tau}^{\\text{train}}(\\theta)\\right) \\right]")
        try book.paragraph("Each task's points split into a support set, used for the adaptation step, and a query set that "
            + "judges the adapted model: cross-validation built into the objective. The model is the MAML paper's network, "
            + "two hidden layers of 40 ReLU units, adapted with one step of size $\\alpha = \(configuration.innerLearningRate)$.")

        book.section("Meta-training")
        let summary = try TrainingSection(configuration: configuration, problem: problem).run(in: book, folder: "training-run")

        book.section("Before and after adaptation")
        let fits = AdaptationFigure(parameters: summary.parameters, model: model, family: family, shots: defaults.shots,
                                    innerLearningRate: configuration.innerLearningRate, steps: [0, 1, 10])
        let outcome = try fits.make(title: "A new sine task: learned init, after 1 and after 10 steps", seed: book.settings.seed &+ 2026)
        var (figure, mse) = (outcome.figure, outcome.mse)
        figure.legendPlacement = .outsideRight
        figure.width = 780
        try book.figure(figure, name: "adaptation", caption: "The init is not any particular wave; a single gradient step on "
            + "\(defaults.shots) points moves it toward this one, and more steps keep improving.")
        try book.keyNumbers([("new_task_mse_init", "this wave, learned init: MSE on 200 points across $[-5, 5]$", mse[0]!),
                             ("new_task_mse_1_step", "the same after 1 step on its \(defaults.shots) support points", mse[1]!),
                             ("new_task_mse_10_steps", "the same after 10 steps", mse[10]!)])
        try book.paragraph("These three numbers describe this one wave, measured along the whole interval. The table in the next "
            + "section averages many new waves, each measured on 20 query points, so its numbers differ from these.")

        try baselineSection(book: book, meta: summary.parameters, configuration: configuration, problem: problem)

        book.section("The chain rule through K steps")
        try book.paragraph("Write one adaptation step as a function, $u(\\theta) = \\theta - \\alpha \\nabla \\mathcal{L}(\\theta)$, so "
            + "that $\\theta_K = (u \\circ \\cdots \\circ u)(\\theta_0)$ and the meta-loss is $J(\\theta_K)$. The Jacobian of one step is "
            + "$I - \\alpha \\nabla^2 \\mathcal{L}(\\theta)$, and the chain rule multiplies them:")
        try book.math("\\nabla_{\\theta_0} J(\\theta_K) = \\left(I - \\alpha \\nabla^2 \\mathcal{L}(\\theta_0)\\right) \\left(I - \\alpha \\nabla^2 \\mathcal{L}(\\theta_1)\\right) \\cdots \\left(I - \\alpha \\nabla^2 \\mathcal{L}(\\theta_{K-1})\\right) \\nabla J(\\theta_K)")
        try book.paragraph("Reverse mode never forms a Hessian: it multiplies the vector $\\nabla J(\\theta_K)$ by one factor at a "
            + "time, each a Hessian-vector product that costs about as much as a gradient. But every $\\theta_k$ and every "
            + "inner backward pass must stay in memory until the outer backward pass reaches it, so time and memory grow "
            + "with $K$. First-order MAML drops the Hessians, replacing every factor by $I$: "
            + "$\\nabla_{\\theta_0} J \\approx \\nabla J(\\theta_K)$.")
        try costSection(book: book, problem: problem, learningRate: configuration.innerLearningRate)
        try exploreSection(book: book, family: family, model: model)
    }

    /// The explorer: α, K, shots and order, each setting meta-trained briefly from one init.
    func exploreSection(book: Notebook, family: SineAmplitudePhaseFamily, model: MLP) throws {
        let small = book.settings.budget == .test
        let explorer = RegressionExplorer(
            family: family, model: model, rates: small ? [0.01, 0.03] : [0.003, 0.01, 0.03], steps: small ? [1, 2] : [1, 3, 5],
            shots: [5, 10], initial: (0.01, 1, 10),
            iterations: book.pick("meta-training iterations per explored setting", full: 300, quick: 100, test: 2),
            metaBatch: book.pick("tasks per meta-batch of an explored setting", full: 10, quick: 5, test: 2),
            heldOutTasks: book.pick("held-out tasks per explored setting", full: 100, quick: 25, test: 2),
            yLimits: -6...6)
        book.section("Explore: inner rate, inner steps, shots and order")
        try book.paragraph("Change a setting and look again, as in a notebook. Each setting below was meta-trained when this "
            + "page was made, from the same random init, for \(explorer.iterations) iterations of \(explorer.metaBatch) tasks "
            + "(much shorter than the run above, so compare settings with each other rather than with it), then adapted to the "
            + "same held-out tasks and the same new wave with its own $\\alpha$ and $K$.")
        try explorer.add(to: book, title: "A new wave after K steps from the init meta-trained with these settings",
                         caption: "Dashed: the new wave; dots: its support points; thin: the learned init; thick: after $K$ steps.",
                         seed: book.settings.seed)
    }

    /// MAML's init against a network pre-trained on all tasks jointly, both fine-tuned on a few support points.
    func baselineSection(book: Notebook, meta: Parameters, configuration: TrainingConfiguration, problem: RegressionProblem) throws {
        book.section("MAML versus pre-training on all tasks")
        try book.paragraph("Is meta-learning needed, or would any network trained on many sine waves adapt as well? The "
            + "baseline trains the same network for the same number of iterations on every task's points at once, "
            + "ignoring which wave they came from, then fine-tunes it on a new wave exactly as MAML's init is fine-tuned: "
            + "gradient steps of size $\\alpha = \(configuration.innerLearningRate)$ on the wave's 5 or 10 support points (its shots).")
        book.progress("pre-training the baseline for \(configuration.iterations) iterations")
        let baseline = pretrainJointly(problem, iterations: configuration.iterations, tasksPerBatch: configuration.metaBatch,
                                       seed: book.settings.seed &+ 7)
        let newTasks = book.pick("new tasks per comparison", full: 200, quick: 50, test: 2)
        var rows: [[TableCell]] = []
        var measured: [String: Double] = [:]
        for shots in [5, 10] {
            let evaluationProblem = RegressionProblem(name: "sine", family: problem.family, model: problem.model,
                                                      shots: shots, queries: 20, dtype: problem.dtype)
            for (method, params) in [("MAML", meta), ("pretrained", baseline)] {
                var row: [TableCell] = [.text("\(shots)"), .text(method)]
                for steps in [1, 10] {
                    var generator = SeededGenerator(seed: book.settings.seed &+ 99)  // the same tasks for both methods
                    let tasks = try evaluationProblem.evaluationTasks(count: newTasks, generator: &generator)
                    let loop = InnerLoop(steps: steps, learningRate: .fixed(configuration.innerLearningRate))
                    let result = evaluate(params, on: tasks, innerLoop: loop)
                    let key = "\(method == "MAML" ? "maml" : "pretrained")_mse_\(shots)_shots_\(steps)_steps"
                    try book.record(key, result.loss.mean, digits: 3)
                    measured[key] = result.loss.mean
                    row.append(.metric(key))
                }
                rows.append(row)
            }
        }
        try book.table(ResultTable(header: ["shots", "initialization", "MSE after 1 step", "MSE after 10 steps"], rows: rows,
                                   caption: "Mean over \(newTasks) new waves of the MSE on 20 query points per wave, after 1 or 10 "
                                    + "steps on the support points; the same waves for both initializations."))
        let mamlBetter = measured["maml_mse_10_shots_10_steps"]! < measured["pretrained_mse_10_shots_10_steps"]!
        try book.paragraph(mamlBetter
            ? "The pre-trained network learns something close to the average wave, nearly flat, and a few small steps "
                + "cannot turn it into one particular wave; MAML's init was trained for exactly that. With 10 shots and 10 "
                + "steps MAML reaches @{maml_mse_10_shots_10_steps} against @{pretrained_mse_10_shots_10_steps} for the baseline."
            : "With this budget the baseline keeps up: with 10 shots and 10 steps MAML reaches "
                + "@{maml_mse_10_shots_10_steps} against @{pretrained_mse_10_shots_10_steps} for the baseline. "
                + "Meta-training for longer (the full budget) separates them.")
    }

    /// Four tasks with 20 points each.
    func sampleTasksFigure(family: SineAmplitudePhaseFamily, seed: UInt64) throws -> Figure {
        var generator = SeededGenerator(seed: seed &+ 4)
        let grid = (0...200).map { -5 + 10 * Double($0) / 200 }
        var figure = Figure(title: "Four sine tasks, 20 observations each", xLabel: "x", yLabel: "y")
        for index in 1...4 {
            let task = family.sampleTask(generator: &generator)
            let (x, y) = family.sampleData(for: task, count: 20, generator: &generator)
            let color = figure.claimNextColor()
            try figure.addLine(x: grid, y: task(grid), label: "task \(index)", color: color)
            try figure.addScatter(x: x.scalars, y: y.scalars, color: color, radius: 3)
        }
        figure.legendPlacement = .outsideRight
        figure.width = 740
        return figure
    }

    /// Time per meta-step and recorded-graph memory of second- and first-order MAML for K = 1...5.
    func costSection(book: Notebook, problem: RegressionProblem, learningRate: Double) throws {
        let tasks = 5
        let repeats = book.pick("timed meta-steps per measurement", full: 20, quick: 5, test: 1)
        let largestK = book.pick("largest K measured", full: 5, quick: 5, test: 2)
        try book.paragraph("We measure it on a small meta-batch of \(tasks) tasks with \(problem.shots) support and "
            + "\(problem.queries) query points each, for $K = 1, \\ldots, \(largestK)$. Time is the mean over \(repeats) meta-gradient "
            + "computations (forward, inner steps and outer backward pass). Memory is what the recorded graph holds when the "
            + "outer backward pass starts: every intermediate tensor the meta-objective's graph keeps alive, which is the "
            + "peak the backward pass needs on top of the parameters.")
        var generator = SeededGenerator(seed: book.settings.seed &+ 11)
        let meta = problem.initialParameters(generator: &generator)
        guard case .vectorized(let batch, let count, _) = try problem.trainingBatch(size: tasks, generator: &generator) else {
            throw TrainingError.invalidOption("regression batches are expected to be vectorized")
        }
        var rows: [[TableCell]] = []
        var timeFigure = Figure(title: "Cost of one meta-gradient (\(tasks) tasks)", xLabel: "inner steps K", yLabel: "milliseconds")
        var memoryFigure = Figure(title: "Memory held by the recorded graph", xLabel: "inner steps K", yLabel: "MiB")
        var series: [GradientOrder: (time: [Double], memory: [Double])] = [:]
        for k in 1...largestK {
            var row: [TableCell] = [.text(String(k))]
            for order in [GradientOrder.second, .first] {
                book.progress("K = \(k), \(order.rawValue) order: \(repeats) meta-gradients")
                let maml = MAML(innerLoop: InnerLoop(steps: k, learningRate: .fixed(learningRate)), order: order)
                _ = maml.vectorizedMetaGradient(meta, batch: batch, tasks: count)  // warm-up
                let start = Date()
                for _ in 0..<repeats { _ = maml.vectorizedMetaGradient(meta, batch: batch, tasks: count) }
                let milliseconds = Date().timeIntervalSince(start) / Double(repeats) * 1000
                let objective = { maml.vectorizedMetaObjective(meta.variables(), batch: batch, tasks: count) }
                let loss = order == .second ? objective() : withFirstOrderGradients(objective)
                let mebibytes = Double(Self.recordedGraph(of: loss).bytes) / 1_048_576
                let name = order == .second ? "second" : "first"
                try book.record("ms_per_meta_step_\(name)_k\(k)", milliseconds, digits: 3, unit: "ms")
                try book.record("graph_mib_\(name)_k\(k)", mebibytes, digits: 3, unit: "MiB")
                row += [.metric("ms_per_meta_step_\(name)_k\(k)"), .metric("graph_mib_\(name)_k\(k)")]
                series[order, default: ([], [])].time.append(milliseconds)
                series[order, default: ([], [])].memory.append(mebibytes)
            }
            rows.append(row)
        }
        try book.table(ResultTable(header: ["K", "second order: time", "second order: graph", "first order: time", "first order: graph"],
                                   rows: rows, caption: "Measured on this machine, one thread, Float32."))
        let ks = (1...largestK).map(Double.init)
        for (order, label) in [(GradientOrder.second, "second order (MAML)"), (.first, "first order (FO-MAML)")] {
            try timeFigure.addLine(x: ks, y: series[order]!.time, label: label)
            try memoryFigure.addLine(x: ks, y: series[order]!.memory, label: label)
        }
        timeFigure.legendPlacement = .topLeft
        memoryFigure.legendPlacement = .topLeft
        timeFigure.width = 420
        memoryFigure.width = 420
        try book.figure(FigureGrid(columns: 2, title: "Second versus first order, by number of inner steps",
                                   figures: [timeFigure, memoryFigure]),
                        name: "cost-by-steps", caption: "Both grow roughly linearly in $K$ (timings on a shared machine are noisy); the second-order line is steeper because "
                            + "each step adds its inner backward pass to what the outer pass must traverse and keep.")
        try book.record("second_to_first_time_ratio", series[.second]!.time.last! / series[.first]!.time.last!, digits: 3)
        try book.paragraph("At $K = \(largestK)$ a second-order meta-gradient takes @{second_to_first_time_ratio} times as long as a first-order one.")
    }

    /// The number of recorded nodes behind `output` and the bytes their values occupy.
    static func recordedGraph(of output: Tensor) -> (nodes: Int, bytes: Int) {
        let nodes = GraphNode.postOrder(from: [output.node].compactMap { $0 })
        return (nodes.count, nodes.reduce(0) { $0 + $1.shape.reduce(1, *) * $1.value.dtype.byteCount })
    }
}
