import Autodiff
import Notebook
import Plots
import SineMAML

/// The sine-wave notebook on the student's code: meta-training with their batched adaptation
/// loss, a new wave before and after one step, and MAML's init against pre-training on all waves.
public struct SineMAMLChapter: Chapter {
    /// `sine-maml`.
    public let id = "sine-maml"
    /// The page heading.
    public let title = "MAML on sine waves, with your code"
    /// One line for the list.
    public let summary = "Meta-training with your batchedAdaptationLoss; a new wave after one step of your adaptationLoss; MAML against pre-training."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The exercise functions the chapter runs: exercise SineMAML.
    public struct Functions: @unchecked Sendable {
        /// `adaptationLoss` (SineMAML).
        public var adaptationLoss: AdaptationLossFunction
        /// `batchedAdaptationLoss` (SineMAML).
        public var batchedAdaptationLoss: BatchedAdaptationLossFunction

        /// The two functions.
        public init(adaptationLoss: @escaping AdaptationLossFunction, batchedAdaptationLoss: @escaping BatchedAdaptationLossFunction) {
            self.adaptationLoss = adaptationLoss
            self.batchedAdaptationLoss = batchedAdaptationLoss
        }

        /// The checks of both functions.
        var checks: [SanityCheck] { [SineMAMLChecks.single(adaptationLoss), SineMAMLChecks.batched(batchedAdaptationLoss)] }
    }

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// α, the inner step size, and 10 support and 10 query points per task. The course's run takes
    /// α = 0.01; with the summed error of 10 points that step overshoots on a young network, and
    /// in this page's budget training settles on the flat average wave, so the page takes 0.002.
    static let stepSize = 0.002, shots = 10

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let iterations = book.pick("meta-training iterations", full: 5000, quick: 1000, test: 2)
        let metaBatch = book.pick("tasks per meta-batch", full: 10, quick: 10, test: 2)
        let newWaves = book.pick("new waves per comparison", full: 100, quick: 50, test: 2)
        try tasksSection(book, seed: book.settings.seed)
        let trained = try trainingSection(book, gate, iterations: iterations, metaBatch: metaBatch)
        try newWaveSection(book, gate, trained: trained)
        try baselineSection(book, gate, trained: trained, waves: newWaves, iterations: iterations)
    }

    /// Four sampled waves and the risk MAML minimizes.
    func tasksSection(_ book: Notebook, seed: UInt64) throws {
        book.section("A distribution of waves")
        try book.paragraph("Every task is a wave $y = a \\sin(x + \\varphi)$ with $a \\in [0.1, 5]$, $\\varphi \\in [0, \\pi]$ and inputs "
            + "in $[-5, 5]$. A model should fit the *next* wave from \(Self.shots) points and a single gradient step; the loss of a "
            + "set is the summed squared error $L(\\theta) = \\sum_i (f(x_i; \\theta) - y_i)^2$ and MAML minimizes, over tasks,")
        try book.math("J(\\theta) = L_Q\\left(\\theta - \\alpha \\nabla_\\theta L_S(\\theta)\\right)")
        try book.paragraph("The course's run takes $\\alpha = 0.01$. With the error summed over \(Self.shots) points that step "
            + "overshoots while the network is young, and in this page's budget training settles on the flat average wave; "
            + "the page takes $\\alpha = \(Self.stepSize)$.")
        var generator = SeededGenerator(seed: seed &+ 21)
        let batch = try SineTasks.sample(count: 4, supportSize: 20, querySize: 200, using: &generator)
        var figure = Figure(title: "Four waves, 20 observations each", xLabel: "x", yLabel: "y")
        for t in 0..<4 {
            let task = batch.task(t)
            let color = figure.claimNextColor()
            let (x, y) = (task.query.inputs.scalars, task.query.targets.scalars)
            let order = x.indices.sorted { x[$0] < x[$1] }
            try figure.addLine(x: order.map { x[$0] }, y: order.map { y[$0] }, label: "task \(t + 1)", color: color)
            try figure.addScatter(x: task.support.inputs.scalars, y: task.support.targets.scalars, color: color, radius: 3)
        }
        figure.legendPlacement = .outsideRight
        figure.width = 740
        try book.figure(figure, name: "sample-tasks", caption: "Each task is a different function; meta-training sees many of them.")
    }

    /// The fit of `params` at `inputs` (a plain forward pass of `sineNetwork`).
    static func fit(_ params: Parameters, _ inputs: [Double]) -> [Double] {
        withoutRecording { sineNetwork(params.detached(), Tensor(shape: [inputs.count, 1], scalars: inputs)) }.scalars
    }
}
