import Autodiff
import Foundation
import LearnedInnerRate
import NeuralNetworks
import Notebook
import Plots

/// The outer optimizers of the unrolled-SGD run: plain SGD on the network's weights, Adam (with
/// bias correction) on the inner step size.
struct MetaOptimizers {
    private let sgd = SGD(learningRate: 1e-2)
    private let adam = Adam(learningRate: 1e-4, biasCorrection: true)
    private var state: Adam.State

    /// Optimizers for the rate tensor `rate`.
    init(rate: Parameters) { state = adam.initialState(for: rate) }

    /// One step of each on the matching parts of `gradient`.
    mutating func step(weights: Parameters, rate: Parameters, gradient: Parameters) -> (Parameters, Parameters) {
        let newWeights = sgd.step(weights, gradient.selecting(weights.names), SGD.State()).0.detached()
        let (newRate, newState) = adam.step(rate, gradient.selecting(rate.names), state)
        state = newState
        return (newWeights, newRate.detached())
    }
}

extension UnrolledSGDChapter {
    /// Learned against random start on new tasks, and on the flipped task sin(a·x + π), all
    /// measured by the student's objective.
    func comparisonSection(_ book: Notebook, _ gate: ExerciseGate, trained: Trained?, tasks: Int) throws {
        book.section("Learned against random start")
        try book.paragraph("Your objective *is* the test: the validation error after T steps. Here each new task has 50 validation "
            + "points, and the same tasks flipped, $\\sin(a x + \\pi) = -\\sin(a x)$, probe a wave from outside the training "
            + "family. To draw a fit, the objective is asked with one validation point, $(x, -M)$ or $(x, M)$ for a large $M$: "
            + "$(\\mathcal{J}_{-M} - \\mathcal{J}_{M}) / 2$ is the adapted network's value at $x$.")
        guard let trained else {
            if try gate.open(functions.checks) { try book.note("The meta-training section stopped, so there is nothing to compare.", kind: .warning) }
            return
        }
        let objective = functions.unrolledObjective
        let seed = book.settings.seed
        guard let measured = try gate.run(functions.checks, doing: "comparing starts", {
            try Self.compare(objective, trained: trained, tasks: tasks, seed: seed &+ 32)
        }) else { return }
        try book.keyNumbers([
            ("learned_start_error", "validation error after T steps from the learned $w_0$, α", measured.learned),
            ("random_start_error", "the same tasks from the random start", measured.random),
            ("phase_pi_error", "the learned start on the flipped tasks (phase π)", measured.flipped),
        ])
        var figure = Figure(title: "One new task: 4 points, T steps from each start", xLabel: "x", yLabel: "y")
        try figure.addLine(x: measured.grid, y: measured.truth, label: "the task", color: .black, width: 2, dash: .dashed)
        try figure.addScatter(x: measured.points.x, y: measured.points.y, label: "4 training points", color: .black, radius: 4)
        try figure.addLine(x: measured.grid, y: measured.learnedFit, label: "from the learned start")
        try figure.addLine(x: measured.grid, y: measured.randomFit, label: "from the random start")
        figure.legendPlacement = .outsideRight
        (figure.width, figure.xLimits) = (780, -7...7)
        try book.figure(figure, name: "learned-vs-random", caption: "Both starts take the same T steps on the same 4 points.")
        try book.paragraph(measured.learned < measured.random && measured.flipped > measured.learned
            ? "The learned start gets to @{learned_start_error} against @{random_start_error} from a random one, but on the flipped "
                + "waves only to @{phase_pi_error}: what it learned carries over to tasks like those it trained on, not beyond."
            : "With this budget the learned start is not yet clearly better: @{learned_start_error} against @{random_start_error}, "
                + "and @{phase_pi_error} on the flipped waves.")
    }

    /// What the comparison measured.
    struct Comparison {
        let learned: Double, random: Double, flipped: Double
        let grid: [Double], truth: [Double], learnedFit: [Double], randomFit: [Double]
        let points: (x: [Double], y: [Double])
    }

    /// Mean objective over `tasks` new tasks from both starts and on the flipped tasks, and one task's fits.
    static func compare(_ objective: @escaping UnrolledObjectiveFunction, trained: Trained, tasks: Int, seed: UInt64) throws -> Comparison {
        var generator = SeededGenerator(seed: seed)
        let sample = try (0..<tasks).map { _ in try FrequencyTask.sample(validationSize: 50, using: &generator) }
        let mean = { (start: Parameters, flip: Bool) throws -> Double in
            try sample.map { task in try objective(start, flip ? flipped(task) : task, innerSteps).scalar }.reduce(0, +) / Double(tasks)
        }
        let task = sample[0]
        let grid = (0...60).map { -2 * Double.pi + 4 * Double.pi * Double($0) / 60 }
        // J with the single validation point (x, y) for |y| large is |f(x) − y|: (J₋ − J₊)/2 = f(x).
        let fit = { (start: Parameters) throws -> [Double] in
            try grid.map { x in
                let probe = { (y: Double) in
                    try objective(start, FrequencyTask(frequency: task.frequency, trainInputs: task.trainInputs, trainTargets: task.trainTargets,
                                                       validationInputs: Tensor(shape: [1, 1], scalars: [x]),
                                                       validationTargets: Tensor(shape: [1, 1], scalars: [y])), innerSteps).scalar
                }
                return try finite((try probe(-1000) - probe(1000)) / 2, "the adapted fit at x = \(x)")
            }
        }
        return Comparison(learned: try finite(try mean(trained.learned, false), "the learned start's error"),
                          random: try finite(try mean(trained.initial, false), "the random start's error"),
                          flipped: try finite(try mean(trained.learned, true), "the error on flipped tasks"),
                          grid: grid, truth: grid.map { Foundation.sin(task.frequency * $0) },
                          learnedFit: try fit(trained.learned), randomFit: try fit(trained.initial),
                          points: (task.trainInputs.scalars, task.trainTargets.scalars))
    }

    /// The same task with every target negated: sin(a·x + π).
    static func flipped(_ task: FrequencyTask) -> FrequencyTask {
        FrequencyTask(frequency: task.frequency, trainInputs: task.trainInputs, trainTargets: -task.trainTargets,
                      validationInputs: task.validationInputs, validationTargets: -task.validationTargets)
    }
}
