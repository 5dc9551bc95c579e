import Autodiff
import NeuralNetworks
import Notebook
import Plots
import ReptileAndANIL
import TaskData

/// The seminar's relatives of MAML on the student's code: Reptile meta-trained with their batched
/// update, ANIL with their head-only inner loop, both on sine waves, then how much of each
/// network needs to adapt at all.
public struct ReptileANILChapter: Chapter {
    /// `reptile-anil`.
    public let id = "reptile-anil"
    /// The page heading.
    public let title = "Reptile and ANIL, with your code"
    /// One line for the list.
    public let summary = "Reptile with your reptileBatchedStep, ANIL with your anilAdapt, both on sine waves; adapting everything or the head only."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The exercise functions the chapter runs: exercises GDStep and ReptileAndANIL.
    public struct Functions: @unchecked Sendable {
        /// `gdStep` (GDStep), the inner step of both methods.
        public var gdStep: GradientStepFunction
        /// `reptileBatchedStep` (ReptileAndANIL).
        public var reptileBatchedStep: ReptileStepFunction
        /// `anilAdapt` (ReptileAndANIL).
        public var anilAdapt: ANILAdaptFunction

        /// The three functions.
        public init(gdStep: @escaping GradientStepFunction, reptileBatchedStep: @escaping ReptileStepFunction,
                    anilAdapt: @escaping ANILAdaptFunction) {
            self.gdStep = gdStep
            self.reptileBatchedStep = reptileBatchedStep
            self.anilAdapt = anilAdapt
        }

        /// The checks of the step and of Reptile.
        var reptileChecks: [SanityCheck] {
            [GDStepChecks.value(gdStep), GDStepChecks.differentiable(gdStep), ReptileAndANILChecks.reptile(reptileBatchedStep)]
        }
        /// The checks of the step and of ANIL.
        var anilChecks: [SanityCheck] {
            [GDStepChecks.value(gdStep), GDStepChecks.differentiable(gdStep), ReptileAndANILChecks.anil(anilAdapt)]
        }
        /// The inner loop of both methods: k steps of the student's `gdStep` (the given `InnerLoop`).
        func inner() throws -> InnerLoop { try InnerLoop(steps: ReptileANILChapter.innerSteps, stepSize: ReptileANILChapter.innerRate, step: gdStep) }
    }

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// k inner steps of α on the support MSE; n tasks per update; β, Reptile's outer step.
    static let innerSteps = 5, innerRate = 0.05, tasksPerUpdate = 5, reptileStepSize = 0.5
    /// Support and query points per task.
    static let shots = 10
    /// The network: 1-40-40-1 ReLU; its head is the last layer.
    static let model = MLP(sizes: [1, 40, 40, 1], activation: .relu)
    /// The names of the head's tensors.
    static let headNames = ["layer3.weight", "layer3.bias"]

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let iterations = book.pick("meta-training iterations per method", full: 2000, quick: 500, test: 2)
        let tasks = book.pick("new tasks per comparison", full: 100, quick: 40, test: 2)
        book.section("Two relatives of MAML")
        try book.paragraph("*Reptile* never differentiates through the inner loop. It adapts to each of $n$ tasks from the same "
            + "$\\phi$ and moves $\\phi$ part of the way toward where the adaptations ended:")
        try book.math("W_i = U^k_i(\\phi), \\qquad \\phi \\leftarrow \\phi + \\beta \\frac{1}{n} \\sum_{i=1}^{n} (W_i - \\phi)")
        try book.paragraph("*ANIL* keeps MAML's second-order outer loop but adapts only the output layer (the head) in the inner loop; "
            + "the body's features are shared by every task:")
        try book.math("\\mathrm{head}_m = \\mathrm{head}_{m-1} - \\alpha \\nabla_{\\mathrm{head}} L(\\mathrm{body}, \\mathrm{head}_{m-1})")
        try book.paragraph("Both run on sine waves $y = a \\sin(x + \\varphi)$ with the 1-40-40-1 ReLU network, \(Self.shots) support and "
            + "\(Self.shots) query points per task, and k = \(Self.innerSteps) inner steps of your `gdStep` at $\\alpha = \(Self.innerRate)$.")
        let reptile = try reptileSection(book, gate, iterations: iterations)
        let anil = try anilSection(book, gate, iterations: iterations)
        try reuseSection(book, gate, reptile: reptile, anil: anil, tasks: tasks)
    }

    /// One sine task: its support and query MSE as functions of the parameters.
    static func sampleTask(_ generator: inout SeededGenerator) -> (support: (Parameters) -> Tensor, query: (Parameters) -> Tensor) {
        let family = SineAmplitudePhaseFamily()
        let task = family.sampleTask(generator: &generator)
        let (sx, sy) = family.sampleData(for: task, count: shots, generator: &generator, dtype: .float64)
        let (qx, qy) = family.sampleData(for: task, count: shots, generator: &generator, dtype: .float64)
        return ({ meanSquaredError(model($0, sx), sy) }, { meanSquaredError(model($0, qx), qy) })
    }

    /// A validation curve as a figure: query MSE after adaptation on held-out tasks, by iteration.
    static func curveFigure(_ curve: [(Int, Double)], title: String) throws -> Figure {
        var figure = Figure(title: title, xLabel: "iteration", yLabel: "query MSE after k steps")
        try figure.addLine(x: curve.map { Double($0.0) }, y: curve.map(\.1), width: 2.5)
        figure.legendPlacement = .hidden
        return figure
    }
}
