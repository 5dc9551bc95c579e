import Autodiff
import Foundation
import LearnedInnerRate
import Notebook
import Plots

/// The unrolled-SGD notebook on the student's code: meta-train an initialization and the inner
/// step size α through their unrolled objective, then compare learned and random starts.
public struct UnrolledSGDChapter: Chapter {
    /// `unrolled-sgd`.
    public let id = "unrolled-sgd"
    /// The page heading.
    public let title = "Differentiating through unrolled SGD, with your code"
    /// One line for the list.
    public let summary = "Your unrolledObjective: meta-train w₀ and the inner rate α on sin(a·x) from 4 points; learned against random start; phase π."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The exercise function the chapter runs: exercise LearnedInnerRate.
    public struct Functions: @unchecked Sendable {
        /// `unrolledObjective` (LearnedInnerRate).
        public var unrolledObjective: UnrolledObjectiveFunction

        /// The function.
        public init(unrolledObjective: @escaping UnrolledObjectiveFunction) { self.unrolledObjective = unrolledObjective }

        /// Its checks.
        var checks: [SanityCheck] { [LearnedInnerRateChecks.value(unrolledObjective), LearnedInnerRateChecks.gradient(unrolledObjective)] }
    }

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// T, the inner steps; the starting α.
    static let innerSteps = 3, startingRate = 0.1

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let iterations = book.pick("meta-training iterations", full: 3000, quick: 1000, test: 3)
        let tasks = book.pick("new tasks per comparison", full: 200, quick: 50, test: 2)
        book.section("An optimizer inside the objective")
        try book.paragraph("Each task is $y = \\sin(a x)$ with $a \\in [0.5, 1]$ and $x \\in [-2\\pi, 2\\pi]$, seen through 4 training "
            + "points; 4 validation points judge the result. From $w_0$ we take T = \(Self.innerSteps) steps of plain gradient descent "
            + "on the mean absolute error, and learn both $w_0$ and the step size $\\alpha$:")
        try book.math("w_t = w_{t-1} - \\alpha \\nabla L_{\\text{train}}(w_{t-1}), \\quad \\mathcal{J}(w_0, \\alpha) = L_{\\text{val}}(w_T)")
        try book.paragraph("One `grad` of your `unrolledObjective` gives both $\\partial \\mathcal{J} / \\partial w_0$ (through every step, "
            + "second order) and $\\partial \\mathcal{J} / \\partial \\alpha$:")
        try book.math("\\frac{\\partial \\mathcal{J}}{\\partial \\alpha} = \\sum_{t=1}^{T} \\frac{\\partial \\mathcal{J}}{\\partial w_t} \\cdot \\left(-\\nabla L_{\\text{train}}(w_{t-1})\\right)")
        let trained = try trainingSection(book, gate, iterations: iterations)
        try comparisonSection(book, gate, trained: trained, tasks: tasks)
    }

    /// The meta-parameters after training, the random ones they started from, and the record of the run.
    struct Trained {
        let learned: Parameters, initial: Parameters
        let losses: [Double], rates: [Double], rateGradients: [Double]
    }

    /// SGD (rate 10⁻²) on w₀ and Adam (rate 10⁻⁴) on α, one new task per iteration.
    func trainingSection(_ book: Notebook, _ gate: ExerciseGate, iterations: Int) throws -> Trained? {
        book.section("Meta-training w₀ and α")
        try book.paragraph("Every iteration draws a new task; $w_0$ takes a step of SGD at rate $10^{-2}$ and $\\alpha$, starting at "
            + "\(Self.startingRate), a step of Adam at rate $10^{-4}$, both on the gradient of your objective.")
        let objective = functions.unrolledObjective
        let seed = book.settings.seed
        guard let trained = try gate.run(functions.checks, doing: "meta-training with your unrolled objective", {
            try Self.train(objective, iterations: iterations, seed: seed &+ 31, progress: book.progress)
        }) else { return nil }
        let its = (1...iterations).map(Double.init)
        let window = max(1, iterations / 25)
        var curve = Figure(title: "Validation loss after T steps, one task per iteration", xLabel: "iteration", yLabel: "mean absolute error")
        try curve.addLine(x: its, y: trained.losses, label: "per task", color: .lightGray, width: 1)
        try curve.addLine(x: its, y: movingAverage(trained.losses, window: window), label: "moving average (\(window))", width: 2.5)
        try book.figure(curve, name: "training", caption: "Single tasks make the objective noisy; its average falls as $w_0$ and $\\alpha$ improve.")
        let every = max(1, iterations / 5)
        var rows: [[TableCell]] = []
        for iteration in stride(from: every, through: iterations, by: every) {
            try book.record("alpha_at_\(iteration)", trained.rates[iteration - 1], digits: 3)
            try book.record("alpha_gradient_at_\(iteration)", trained.rateGradients[iteration - 1])
            rows.append([.text("\(iteration)"), .metric("alpha_at_\(iteration)"), .metric("alpha_gradient_at_\(iteration)")])
        }
        try book.table(ResultTable(header: ["iteration", "$\\alpha$", "$\\partial \\mathcal{J} / \\partial \\alpha$ (that task)"], rows: rows,
                                   caption: "α and the gradient your objective gave it, now and then."))
        var rate = Figure(title: "The learned inner step size", xLabel: "iteration", yLabel: "α")
        try rate.addLine(x: its, y: trained.rates, label: "α")
        rate.legendPlacement = .hidden
        try book.figure(rate, name: "alpha", caption: "Adam moves α by about $10^{-4}$ per step whatever the size of its gradient.")
        try book.keyNumbers([("final_alpha", "α after meta-training", trained.rates.last!)], digits: 3)
        return trained
    }

    /// The training loop: w₀ by SGD, α by Adam, on the gradient of the student's objective.
    static func train(_ objective: @escaping UnrolledObjectiveFunction, iterations: Int, seed: UInt64,
                      progress: (String) -> Void) throws -> Trained {
        var generator = SeededGenerator(seed: seed)
        let initial = initialMetaParameters(innerRate: startingRate, using: &generator)
        var (weights, rate) = (networkWeights(of: initial), initial.selecting([innerRateName]))
        var optimizers = MetaOptimizers(rate: rate)
        var losses: [Double] = [], rates: [Double] = [], rateGradients: [Double] = []
        for iteration in 1...iterations {
            let task = try FrequencyTask.sample(using: &generator)
            let (loss, gradient) = try valueAndGradient(throwing: { try objective($0, task, innerSteps) }, at: weights.merging(rate))
            losses.append(try finite(loss.scalar, "the objective at iteration \(iteration)"))
            rateGradients.append(try finite(gradient.require(innerRateName).scalars[0], "∂𝒥/∂α at iteration \(iteration)"))
            (weights, rate) = optimizers.step(weights: weights, rate: rate, gradient: gradient)
            rates.append(rate.require(innerRateName).scalars[0])
            if iteration % max(1, iterations / 10) == 0 { progress(String(format: "iteration %d/%d, α = %.5f", iteration, iterations, rates.last!)) }
        }
        return Trained(learned: weights.merging(rate), initial: initial, losses: losses, rates: rates, rateGradients: rateGradients)
    }
}
