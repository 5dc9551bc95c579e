import Autodiff
import Foundation
import MetaLearning
import Plots
import TaskData

/// The explorer of the unrolled-SGD chapter: for every setting of the inner rate α, the
/// unrolled steps T, the samples per task and the order, a short meta-training of w₀ (one task
/// per outer SGD step, as in the notebook) from one shared random init, the mean L1 error
/// after T steps on new waves from it and from that random init, and one new wave's fits.
struct UnrolledSGDExplorer {
    /// The inner rates the reader can choose.
    let rates: [Double]
    /// The unrolled step counts the reader can choose.
    let steps: [Int]
    /// The samples per task the reader can choose.
    let samples: [Int]
    /// Outer iterations per setting.
    let iterations: Int
    /// New waves per setting.
    let newTasks: Int

    /// The controls: α, T, samples, order; the first shown is the chapter's (0.03, 3, 4, second order).
    var controls: [ExploreControl] {
        [.slider("alpha", label: "inner rate $\\alpha$", values: rates, initial: 0.03),
         .slider("t", label: "unrolled steps $T$", values: steps.map(Double.init), initial: 3),
         .slider("shots", label: "samples per task", values: samples.map(Double.init), initial: 4),
         .choice("order", label: "meta-gradient", options: [(1, "first order"), (2, "second order")], initial: 1)]
    }

    /// Adds the explorer to `book`; `seed` fixes the inits, the tasks and the wave drawn.
    func add(to book: Notebook, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed &+ 111)
        let start = UnrolledSGD(innerSteps: 1, innerRate: .fixed(0.03)).initialParameters(generator: &generator, alpha: 0.03)
        let random = UnrolledSGD(innerSteps: 1, innerRate: .fixed(0.03)).initialParameters(generator: &generator, alpha: 0.03)
        try book.explore(name: "explore", title: "A new wave after T steps from the learned and from a random w₀",
                         caption: "Dashed: the new wave $\\sin(a x)$; dots: its samples; the two fits take the same $T$ steps "
                            + "of size $\\alpha$ on them.", controls: controls) { setting in
            try result(setting, start: start, random: random, seed: seed)
        }
    }

    /// One setting: train w₀, measure both starts on new waves, draw one.
    func result(_ setting: ExploreSetting, start: Parameters, random: Parameters, seed: UInt64) throws -> ExploreResult {
        var unrolled = UnrolledSGD(innerSteps: setting.int("t"), innerRate: .fixed(setting.value("alpha")))
        unrolled.samples = setting.int("shots")
        unrolled.order = setting.int("order") == 1 ? .first : .second
        let began = Date()
        let trained = unrolled.train(from: start, iterations: iterations, seed: seed &+ 112, progress: { _ in })
        let seconds = Date().timeIntervalSince(began)
        let family = SineFrequencyFamily()
        let learnedError = unrolled.meanAdaptedError(trained.parameters, family: family, count: newTasks, seed: seed &+ 113)
        let randomError = unrolled.meanAdaptedError(random, family: family, count: newTasks, seed: seed &+ 113)

        var taskGenerator = SeededGenerator(seed: seed &+ 114)
        let task = family.sampleTask(generator: &taskGenerator)
        let supportX = family.sampleInputs(count: unrolled.samples, generator: &taskGenerator)
        let grid = UnrolledSGD.grid
        var figure = Figure(title: "", xLabel: "x", yLabel: "y", width: 760, height: 340)
        try figure.addLine(x: grid, y: task(grid), label: "the wave", color: .black, width: 2, dash: .dashed)
        try figure.addScatter(x: supportX, y: task(supportX), label: "\(unrolled.samples) samples", color: .black, radius: 4)
        try figure.addLine(x: grid, y: unrolled.adaptedFit(trained.parameters, task: task, supportX: supportX, grid: grid).fit.map(clipped),
                           label: "from learned w₀", width: 2.5)
        try figure.addLine(x: grid, y: unrolled.adaptedFit(random, task: task, supportX: supportX, grid: grid).fit.map(clipped),
                           label: "from random w₀", width: 1.5)
        (figure.xLimits, figure.yLimits, figure.legendPlacement) = (-7...7, -2...2, .outsideRight)
        let diverged = !trained.outerLoss.allSatisfy(\.isFinite)
        return try ExploreResult(figure: figure, numbers: [
            ExploreNumber("learned_l1", "mean L1 error after $T$ steps from the learned $w_0$ (\(newTasks) new waves)", finite(learnedError)),
            ExploreNumber("random_l1", "the same from the random $w_0$", finite(randomError)),
            ExploreNumber("seconds", "meta-training time of this setting", seconds, unit: "s"),
        ], note: diverged ? "The outer loss stopped being finite during meta-training with this setting." : nil)
    }

    /// A fit value kept inside the drawing's range.
    private func clipped(_ y: Double) -> Double { y.isFinite ? min(max(y, -2), 2) : 0 }

    /// A non-finite error recorded as the largest finite number.
    private func finite(_ value: Double) -> Double { value.isFinite ? value : Double.greatestFiniteMagnitude }
}
