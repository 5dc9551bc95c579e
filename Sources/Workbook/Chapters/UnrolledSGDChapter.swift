import Autodiff
import Foundation
import MetaLearning
import Plots
import TaskData

/// The unrolled-SGD notebook: differentiate through T gradient steps to learn an initialization
/// for 4-sample sine fitting; phase π; learned versus random init; a learned inner rate α.
public struct UnrolledSGDChapter: Chapter {
    /// `unrolled-sgd`.
    public let id = "unrolled-sgd"
    /// The page heading.
    public let title = "Differentiating through unrolled SGD"
    /// One line for the list.
    public let summary = "Fit sin(a·x) from 4 samples in 3 steps: learned vs random init, the phase-π failure, a learned α and its gradient."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let iterations = book.pick("meta-training iterations", full: 5000, quick: 1500, test: 4)
        let evaluationTasks = book.pick("evaluation tasks", full: 200, quick: 50, test: 3)
        let seed = book.settings.seed
        let fixed = UnrolledSGD(innerSteps: 3, innerRate: .fixed(3e-2))

        book.section("An optimizer inside the model")
        try book.paragraph("Every task is a sine wave $y = \\sin(a x)$ with frequency $a$ drawn from $[0.5, 1]$ and inputs from "
            + "$[-2\\pi, 2\\pi]$. We see only 4 samples of it and may take 3 steps of plain gradient descent from an initialization "
            + "$w_0$. The loss is the mean absolute error $\\mathcal{L}$, and 4 further samples judge the result. Learning $w_0$ is "
            + "a nested problem:")
        try book.math("\\min_{w_0} \\mathcal{L}\\left(f_{w_T}(X_{\\text{val}}), Y_{\\text{val}}\\right), \\quad w_t = w_{t-1} - \\alpha \\nabla_{w} \\mathcal{L}\\left(f_{w_{t-1}}(X_{\\text{train}}), Y_{\\text{train}}\\right), \\quad t = 1, \\ldots, T")
        try book.paragraph("The outer gradient has to pass through each update $w_t$, and each update contains a gradient, so "
            + "the inner gradients are computed *with* their graph recorded. The network is 1-32-32-1 with tanh, the inner step "
            + "$\\alpha = 0.03$, $T = 3$, and the outer optimizer plain SGD with step 0.01 on one task at a time.")
        book.code("""
            let maml = MAML(innerLoop: InnerLoop(steps: 3, learningRate: .fixed(0.03)), order: .second)
            let (outerLoss, gradient) = maml.metaGradient(w0, tasks: [task])  // through all 3 steps
            w0 = SGD(learningRate: 0.01).step(w0, gradient, SGD.State()).0
            """)

        book.section("Meta-training")
        var generator = SeededGenerator(seed: seed &+ 31)
        let start = fixed.initialParameters(generator: &generator, alpha: 3e-2)
        let trained = fixed.train(from: start, iterations: iterations, seed: seed &+ 32, progress: book.progress)
        let window = max(1, iterations / 25)
        var curve = Figure(title: "Outer L1 loss, one task per iteration", xLabel: "iteration", yLabel: "L1 loss on 4 validation samples")
        let its = (1...iterations).map(Double.init)
        try curve.addLine(x: its, y: trained.outerLoss, label: "per iteration", color: .lightGray, width: 1)
        try curve.addLine(x: its, y: movingAverage(trained.outerLoss, window: window), label: "moving average (\(window))", width: 2.5)
        try book.figure(curve, name: "training", caption: "Single tasks make the outer loss noisy; its average falls as $w_0$ improves.")
        let tail = trained.outerLoss.suffix(window)
        try book.keyNumbers([("final_outer_loss", "mean outer L1 loss over the last \(window) iterations", tail.reduce(0, +) / Double(tail.count))])

        book.section("A new sine wave: learned versus random initialization")
        let random = fixed.initialParameters(generator: &generator, alpha: 3e-2)
        var taskGenerator = SeededGenerator(seed: seed &+ 33)
        let family = SineFrequencyFamily()
        let task = family.sampleTask(generator: &taskGenerator)
        let supportX = family.sampleInputs(count: 4, generator: &taskGenerator)
        let grid = UnrolledSGD.grid
        let learnedFit = fixed.adaptedFit(trained.parameters, task: task, supportX: supportX, grid: grid)
        let randomFit = fixed.adaptedFit(random, task: task, supportX: supportX, grid: grid)
        var comparison = Figure(title: "The same task, 4 samples, 3 steps from each start", xLabel: "x", yLabel: "y")
        try comparison.addLine(x: grid, y: task(grid), label: "truth", color: .black, width: 2, dash: .dashed)
        try comparison.addScatter(x: supportX, y: task(supportX), label: "4 samples", color: .black, radius: 4)
        try comparison.addLine(x: grid, y: learnedFit.fit, label: "from learned w₀")
        try comparison.addLine(x: grid, y: randomFit.fit, label: "from random w₀")
        comparison.legendPlacement = .outsideRight
        (comparison.width, comparison.xLimits) = (780, -7...7)
        try book.figure(comparison, name: "learned-vs-random", caption: "Both networks take the same 3 steps on the same 4 points.")
        let learnedError = fixed.meanAdaptedError(trained.parameters, family: family, count: evaluationTasks, seed: seed &+ 34)
        let randomError = fixed.meanAdaptedError(random, family: family, count: evaluationTasks, seed: seed &+ 34)
        try book.keyNumbers([("learned_init_l1", "mean L1 error on the whole interval, learned $w_0$", learnedError),
                             ("random_init_l1", "the same from a random $w_0$", randomError)])
        try book.paragraph("Averaged over \(evaluationTasks) new tasks, the learned start reaches an error of @{learned_init_l1} against "
            + "@{random_init_l1} from a random one. "
            + (learnedError < randomError
               ? "Three small steps barely move a random network; the learned $w_0$ already encodes the shape shared by all "
                 + "tasks, so the steps only have to adjust the frequency."
               : "With this budget the learned start is not yet better: meta-training has not run long enough."))

        book.section("Phase π: a task from outside the distribution")
        let shifted = SineFrequencyFamily(phase: Double.pi)
        let shiftedTask = RegressionTask.sine(amplitude: 1, frequency: frequency(of: task), phase: Double.pi)
        let shiftedFit = fixed.adaptedFit(trained.parameters, task: shiftedTask, supportX: supportX, grid: grid)
        var phase = Figure(title: "sin(a·x + π) from the learned w₀", xLabel: "x", yLabel: "y")
        try phase.addLine(x: grid, y: shiftedTask(grid), label: "truth, phase π", color: .black, width: 2, dash: .dashed)
        try phase.addScatter(x: supportX, y: shiftedTask(supportX), label: "4 samples", color: .black, radius: 4)
        try phase.addLine(x: grid, y: shiftedFit.fit, label: "after 3 steps")
        try phase.addLine(x: grid, y: task(grid), label: "phase 0 (training family)", color: .lightGray, width: 1.5)
        phase.legendPlacement = .outsideRight
        (phase.width, phase.xLimits) = (780, -7...7)
        try book.figure(phase, name: "phase-pi", caption: "The same frequency and samples as above, with the wave flipped.")
        let shiftedError = fixed.meanAdaptedError(trained.parameters, family: shifted, count: evaluationTasks, seed: seed &+ 34)
        try book.keyNumbers([("phase_pi_l1", "mean L1 error with phase π (learned $w_0$)", shiftedError)])
        try book.paragraph("Since $\\sin(a x + \\pi) = -\\sin(a x)$, these tasks have the opposite sign of every training task. "
            + "The learned $w_0$ is a strong prior for waves through the origin rising to the right, and 3 steps of size 0.03 "
            + "cannot turn it upside down: the error is @{phase_pi_l1} against @{learned_init_l1} with phase 0"
            + (shiftedError > randomError ? ", worse even than from a random start. " : ". ")
            + "Meta-learning generalizes across the task distribution it saw, not beyond it.")

        try learnedRateSection(book: book, iterations: iterations, seed: seed)

        book.section("Explore: inner rate, unrolled steps, samples and order")
        let small = book.settings.budget == .test
        let explorer = UnrolledSGDExplorer(
            rates: small ? [0.03, 0.1] : [0.01, 0.03, 0.1], steps: small ? [1, 3] : [1, 3, 5], samples: [4, 8],
            iterations: book.pick("outer iterations per explored setting", full: 400, quick: 150, test: 2),
            newTasks: book.pick("new waves per explored setting", full: 100, quick: 30, test: 2))
        try book.paragraph("The numbers above hold for one choice of $\\alpha$, $T$ and samples. Change them here and look "
            + "again: each setting was meta-trained when this page was made, from the same random $w_0$, for "
            + "\(explorer.iterations) outer iterations (shorter than the run above), and measured on the same new waves. First "
            + "order treats the inner gradients as constants, so the outer gradient no longer sees how a step changes the next one.")
        try explorer.add(to: book, seed: seed)
    }

    /// The frequency a of a sine task.
    func frequency(of task: RegressionTask) -> Double {
        if case .sine(_, let frequency, _) = task { return frequency }
        return 1
    }

    /// Learning α too, in a run of its own (the notebook's second experiment): T_lr = 5 inner
    /// steps, α starts at α₀ = 0.1 and is trained by Adam (step 10⁻⁴).
    func learnedRateSection(book: Notebook, iterations: Int, seed: UInt64) throws {
        let (steps, initialRate) = (5, 0.1)
        book.section("Learning the inner step size")
        try book.paragraph("Nothing forces $\\alpha$ to be a constant: the outer loss depends on it through every update, so "
            + "the same backward pass gives $\\partial \\mathcal{L} / \\partial \\alpha$. This section is a separate run with the "
            + "notebook's settings for it, not those above: it unrolls $T_{\\text{lr}} = \(steps)$ steps, and its $\\alpha$ is a "
            + "parameter that starts at $\\alpha_0 = \(initialRate)$ and has its own Adam optimizer with step $10^{-4}$, while "
            + "$w_0$ keeps plain SGD.")
        try book.math("\\frac{\\partial \\mathcal{L}}{\\partial \\alpha} = \\sum_{t=1}^{T_{\\text{lr}}} \\frac{\\partial \\mathcal{L}}{\\partial w_t} \\cdot \\left(-\\nabla_{w} \\mathcal{L}_{\\text{train}}(w_{t-1})\\right)")
        let learned = UnrolledSGD(innerSteps: steps, innerRate: .learnedScalar)
        var generator = SeededGenerator(seed: seed &+ 41)
        let start = learned.initialParameters(generator: &generator, alpha: initialRate)
        let outcome = learned.train(from: start, iterations: iterations, seed: seed &+ 42, progress: book.progress)
        let every = max(1, iterations / 10)
        var rows: [[TableCell]] = []
        for iteration in stride(from: every, through: iterations, by: every) {
            try book.record("alpha_at_\(iteration)", outcome.alpha[iteration - 1], digits: 3)
            try book.record("alpha_gradient_at_\(iteration)", outcome.alphaGradient[iteration - 1], digits: 3)
            rows.append([.text(String(iteration)), .metric("alpha_at_\(iteration)"), .metric("alpha_gradient_at_\(iteration)")])
        }
        try book.table(ResultTable(header: ["iteration", "$\\alpha$", "$\\partial \\mathcal{L} / \\partial \\alpha$ (one task)"],
                                   rows: rows, caption: "The gradient of α printed as training goes, as the notebook asks."))
        var figure = Figure(title: "The learned inner step size", xLabel: "iteration", yLabel: "α")
        try figure.addLine(x: (1...iterations).map(Double.init), y: outcome.alpha, label: "α")
        figure.legendPlacement = .hidden
        try book.figure(figure, name: "alpha", caption: "Each Adam step moves α by about $10^{-4}$ whatever the gradient's size.")
        try book.keyNumbers([("final_alpha", "α after meta-training", outcome.alpha.last!)], digits: 3)
        let positive = outcome.alphaGradient.filter { $0 > 0 }.count
        try book.record("alpha_gradient_positive_fraction", Double(positive) / Double(outcome.alphaGradient.count), style: .percent)
        try book.paragraph("Of the single-task gradients of $\\alpha$, @{alpha_gradient_positive_fraction} are positive "
            + "(asking for a smaller step), the rest negative: each task would like a different step. Adam's normalized steps "
            + "follow their running average, so $\\alpha$ moves slowly, from $\\alpha_0 = \(initialRate)$ to @{final_alpha}.")
    }
}
