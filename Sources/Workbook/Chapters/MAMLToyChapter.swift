import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import Plots
import TaskData

/// The first homework's MAML question: meta-learn an initialization for random step functions,
/// watch it adapt in a few steps, and look at what the hidden units became.
public struct MAMLToyChapter: Chapter {
    /// `maml-toy`.
    public let id = "maml-toy"
    /// The page heading.
    public let title = "MAML on piecewise-constant functions"
    /// One line for the list.
    public let summary = "Meta-train a 1-40-40-1 network on random step functions; its init, its fits after each step, its hidden units."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let defaults = TaskChoice.piecewise.defaults
        var configuration = defaults.configuration
        configuration.iterations = book.pick("meta-training iterations", full: 3000, quick: 400, test: 3)
        configuration.metaBatch = book.pick("tasks per meta-batch", full: 25, quick: 10, test: 2)
        configuration.validationTasks = book.pick("validation tasks", full: 100, quick: 20, test: 2)
        configuration.validateEvery = max(1, configuration.iterations / 10)
        configuration.checkpointEvery = configuration.iterations
        configuration.seed = book.settings.seed
        let family = PiecewiseConstantFamily()
        let model = TaskChoice.piecewise.regressionModel
        let problem = RegressionProblem(name: "piecewise-constant", family: family, model: model,
                                        shots: defaults.shots, queries: defaults.queries, dtype: .float32)

        book.section("Learning to learn step functions")
        try book.paragraph("Each task is a step function on $[-3, 3]$ that jumps only at the integers, with a random height on "
            + "each of its six pieces. A task shows us \(defaults.shots) noise-free points; we may take "
            + "\(configuration.innerSteps) gradient steps of size $\\alpha = \(configuration.innerLearningRate)$ on them, and are "
            + "judged on \(defaults.queries) other points of the same function. Five steps cannot train a network from "
            + "scratch, so everything depends on where the steps start.")
        try book.paragraph("MAML learns that starting point $\\theta$ by gradient descent on the loss *after* adaptation, averaged over tasks:")
        try book.math("\\min_{\\theta} \\frac{1}{n} \\sum_{i=1}^{n} \\mathcal{L}_{\\text{query},i}(\\theta_K^{(i)}), \\quad \\theta_{k}^{(i)} = \\theta_{k-1}^{(i)} - \\alpha \\nabla \\mathcal{L}_{\\text{support},i}(\\theta_{k-1}^{(i)}), \\quad \\theta_0^{(i)} = \\theta")
        try book.paragraph("The inner step calls the gradient, and the outer step takes the gradient of a function that calls "
            + "it: a gradient of a gradient, recorded and differentiated by our autodiff as in the first chapter.")
        book.code("""
            let loop = InnerLoop(steps: 5, learningRate: .fixed(0.1))
            let maml = MAML(innerLoop: loop, order: .second)
            let (loss, metaGradient) = maml.metaGradient(theta, tasks: batch)   // ∇θ of the adapted query loss
            (theta, adamState) = Adam(learningRate: 1e-3).step(theta, metaGradient, adamState)
            """)

        book.section("Meta-training")
        let summary = try TrainingSection(configuration: configuration, problem: problem).run(in: book, folder: "training-run")

        book.section("From the learned init, step by step")
        let steps = Array(0...configuration.innerSteps)
        let fits = AdaptationFigure(parameters: summary.parameters, model: model, family: family, shots: defaults.shots,
                                    innerLearningRate: configuration.innerLearningRate, steps: steps)
        let outcome = try fits.make(title: "A new step function: learned init (thinnest) and each inner step (thicker)",
                                          seed: book.settings.seed &+ 7)
        var (figure, mse) = (outcome.figure, outcome.mse)
        figure.legendPlacement = .outsideRight
        figure.width = 780
        try book.figure(figure, name: "adaptation", caption: "The dashed line is the task; the dots are the "
            + "\(defaults.shots) support points the network adapts on. Lines grow thicker with each gradient step.")
        try book.keyNumbers(steps.map { ("new_task_mse_step_\($0)", $0 == 0 ? "this task, learned init: MSE on 200 points across $[-3, 3]$"
                                          : "the same after \($0) step\($0 == 1 ? "" : "s")", mse[$0]!) })
        try book.paragraph("On this task the error goes from @{new_task_mse_step_0} at the init to "
            + "@{new_task_mse_step_\(configuration.innerSteps)} after \(configuration.innerSteps) steps.")

        book.section("What the hidden units learned")
        try book.paragraph("One good solution is easy to imagine: make each hidden unit an indicator of one unit interval "
            + "$[k, k+1)$. Then fitting a new task only means setting the output weights, a linear regression that a few "
            + "gradient steps solve. Whether MAML finds this is an empirical question, so here are the second hidden "
            + "layer's units as functions of $x$, the eight with the largest output weights.")
        let (basis, dead) = try hiddenUnitFigure(parameters: summary.parameters, model: model)
        try book.figure(basis, name: "hidden-units", caption: "Each line is one ReLU unit of the second hidden layer, "
            + "$h_j(x)$, at the learned init; the output is a weighted sum of them.")
        try book.keyNumbers([("dead_hidden_units", "second-layer units that are zero on all of $[-3, 3]$", Double(dead))])
        if book.settings.budget != .full {
            try book.note("With the reduced budget meta-training was short; rerun without --quick before reading much "
                + "into these shapes.", kind: .warning)
        }
        try exploreSection(book: book, family: family, model: model)
    }

    /// The explorer: α, K, shots and order, each setting meta-trained briefly from one init.
    func exploreSection(book: Notebook, family: PiecewiseConstantFamily, model: MLP) throws {
        let small = book.settings.budget == .test
        let explorer = RegressionExplorer(
            family: family, model: model, rates: small ? [0.03, 0.1] : [0.03, 0.1, 0.3], steps: small ? [1, 2] : [1, 3, 5],
            shots: [5, 10], initial: (0.1, small ? 2 : 5, 10),
            iterations: book.pick("meta-training iterations per explored setting", full: 300, quick: 100, test: 2),
            metaBatch: book.pick("tasks per meta-batch of an explored setting", full: 10, quick: 5, test: 2),
            heldOutTasks: book.pick("held-out tasks per explored setting", full: 100, quick: 25, test: 2),
            yLimits: -4...4)
        book.section("Explore: inner rate, inner steps, shots and order")
        try book.paragraph("Change a setting and look again, as in a notebook. Each setting below was meta-trained when this "
            + "page was made, from the same random init, for \(explorer.iterations) iterations of \(explorer.metaBatch) tasks "
            + "(shorter than the run above, so compare the settings with each other), then adapted with its own $\\alpha$ and $K$ "
            + "to the same held-out tasks and the same new step function.")
        try explorer.add(to: book, title: "A new step function after K steps from the init meta-trained with these settings",
                         caption: "Dashed: the new task; dots: its support points; thin: the learned init; thick: after $K$ steps.",
                         seed: book.settings.seed)
    }

    /// The second hidden layer's activations over [-3, 3] for the units with the largest |output weight|,
    /// and the number of units that never switch on.
    func hiddenUnitFigure(parameters: Parameters, model: MLP) throws -> (Figure, Int) {
        let grid = (0...300).map { -3 + 6 * Double($0) / 300 }
        let dtype = parameters.tensors[0].dtype
        let x = Tensor(shape: [grid.count, 1], scalars: grid, dtype: dtype)
        // h₁ = relu(x W₁ + b₁), h₂ = relu(h₁ W₂ + b₂): the features the output layer combines.
        let hidden = withoutRecording { () -> Tensor in
            let h1 = relu(matmul(x, parameters.require("layer1.weight")) + parameters.require("layer1.bias"))
            return relu(matmul(h1, parameters.require("layer2.weight")) + parameters.require("layer2.bias"))
        }
        let width = hidden.shape[1]
        let values = hidden.scalars
        let column = { (j: Int) in (0..<grid.count).map { values[$0 * width + j] } }
        let outputWeights = parameters.require("layer3.weight").scalars
        let dead = (0..<width).filter { j in column(j).allSatisfy { $0 == 0 } }.count
        let strongest = (0..<width).sorted { abs(outputWeights[$0]) > abs(outputWeights[$1]) }.prefix(8)
        var figure = Figure(title: "Second-layer hidden units at the learned init", xLabel: "x", yLabel: "activation hⱼ(x)")
        for j in strongest {
            try figure.addLine(x: grid, y: column(j), label: String(format: "unit %d (w = %.2f)", j + 1, outputWeights[j]), width: 1.8)
        }
        for k in -2...2 { figure.addVerticalLine(x: Double(k), color: .lightGray, dash: .dotted) }
        figure.legendPlacement = .outsideRight
        (figure.width, figure.xLimits) = (760, -3...3)
        return (figure, dead)
    }
}
