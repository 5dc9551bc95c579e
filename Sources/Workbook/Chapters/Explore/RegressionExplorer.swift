import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import Plots
import TaskData

/// The explorer of the regression chapters: for every setting of inner rate α, inner steps K,
/// shots and meta-gradient order, a short meta-training run from one shared random init, its
/// held-out error, and a new task's fit from the learned init.
///
/// Each setting trains with MAML's outer loop, θ ← Adam(θ, ∇_θ (1/n) Σᵢ L_query,i(θ_K⁽ⁱ⁾)),
/// where θ_K⁽ⁱ⁾ takes K steps θ_k = θ_{k−1} − α ∇L_support,i(θ_{k−1}); first order drops the
/// Hessians of the inner steps from the meta-gradient.
struct RegressionExplorer {
    /// The task family.
    let family: any TaskFamily
    /// The network.
    let model: MLP
    /// The inner rates the reader can choose.
    let rates: [Double]
    /// The inner step counts the reader can choose.
    let steps: [Int]
    /// The support sizes the reader can choose.
    let shots: [Int]
    /// The setting shown first: (α, K, shots), second order.
    let initial: (rate: Double, steps: Int, shots: Int)
    /// Meta-training iterations per setting.
    let iterations: Int
    /// Tasks per meta-batch.
    let metaBatch: Int
    /// Held-out tasks per setting.
    let heldOutTasks: Int
    /// Query points per task.
    let queries = 10
    /// The drawing's y range, the same for every setting so that they compare at a glance.
    let yLimits: ClosedRange<Double>

    /// The controls: α, K, shots, order.
    var controls: [ExploreControl] {
        [.slider("alpha", label: "inner rate $\\alpha$", values: rates, initial: initial.rate),
         .slider("k", label: "inner steps $K$", values: steps.map(Double.init), initial: Double(initial.steps)),
         .slider("shots", label: "support points (shots)", values: shots.map(Double.init), initial: Double(initial.shots)),
         .choice("order", label: "meta-gradient", options: [(1, "first order (FO-MAML)"), (2, "second order (MAML)")], initial: 1)]
    }

    /// Adds the explorer to `book`; `seed` fixes the init, the tasks and the new task drawn.
    func add(to book: Notebook, title: String, caption: String, seed: UInt64) throws {
        var initGenerator = SeededGenerator(seed: seed &+ 101)
        let start = RegressionProblem(name: "explore", family: family, model: model, shots: initial.shots, queries: queries,
                                      dtype: .float32).initialParameters(generator: &initGenerator)
        try book.explore(name: "explore", title: title, caption: caption, controls: controls) { setting in
            try result(setting, start: start, seed: seed)
        }
    }

    /// One setting: train, measure, draw.
    func result(_ setting: ExploreSetting, start: Parameters, seed: UInt64) throws -> ExploreResult {
        let (alpha, k, shots) = (setting.value("alpha"), setting.int("k"), setting.int("shots"))
        let order: GradientOrder = setting.int("order") == 1 ? .first : .second
        let problem = RegressionProblem(name: "explore", family: family, model: model, shots: shots, queries: queries, dtype: .float32)
        let loop = InnerLoop(steps: k, learningRate: .fixed(alpha))
        let began = Date()
        let (theta, completed) = try train(problem: problem, loop: loop, order: order, start: start, seed: seed &+ 102)
        let seconds = Date().timeIntervalSince(began)
        // The same held-out tasks for every setting of a shot count.
        var heldOutGenerator = SeededGenerator(seed: seed &+ 103)
        let tasks = try problem.evaluationTasks(count: heldOutTasks, generator: &heldOutGenerator)
        let before = evaluate(theta, on: tasks, innerLoop: InnerLoop(steps: 0, learningRate: .fixed(alpha))).loss.mean
        let after = evaluate(theta, on: tasks, innerLoop: loop).loss.mean
        let fits = AdaptationFigure(parameters: theta, model: model, family: family, shots: shots, innerLearningRate: alpha, steps: [0, k])
        var figure = try fits.make(title: "", seed: seed &+ 104).figure
        figure.yLimits = yLimits
        figure.legendPlacement = .outsideRight
        figure.width = 760
        figure.height = 360
        let stopped = completed < iterations
            ? " Meta-training diverged at iteration \(completed + 1); the drawing uses the parameters before it." : ""
        return try ExploreResult(figure: figure, numbers: [
            ExploreNumber("mse_after", "held-out MSE after $K$ steps (\(heldOutTasks) new tasks, \(queries) query points each)",
                          guarded(after)),
            ExploreNumber("mse_before", "the same tasks before adapting (the learned init)", guarded(before)),
            ExploreNumber("seconds", "meta-training time of this setting", seconds, unit: "s"),
        ], note: stopped.isEmpty ? nil : stopped)
    }

    /// A non-finite error (an adaptation that diverges) recorded as the largest finite number.
    private func guarded(_ value: Double) -> Double { value.isFinite ? value : Double.greatestFiniteMagnitude }

    /// Meta-trains from `start`; stops early, keeping the last finite parameters, if the loss
    /// stops being finite. Returns the parameters and the iterations completed.
    func train(problem: RegressionProblem, loop: InnerLoop, order: GradientOrder, start: Parameters,
               seed: UInt64) throws -> (Parameters, Int) {
        var generator = SeededGenerator(seed: seed)
        let maml = MAML(innerLoop: loop, order: order)
        let adam = Adam(learningRate: 1e-3)
        var theta = start
        var state = adam.initialState(for: theta)
        for iteration in 0..<iterations {
            guard case .vectorized(let batch, let count, _) = try problem.trainingBatch(size: metaBatch, generator: &generator) else {
                throw TrainingError.invalidOption("regression batches are expected to be vectorized")
            }
            let (loss, gradient) = maml.vectorizedMetaGradient(theta, batch: batch, tasks: count)
            guard loss.scalar.isFinite, gradient.tensors.allSatisfy({ $0.scalars.allSatisfy(\.isFinite) }) else {
                return (theta, iteration)
            }
            let (next, nextState) = adam.step(theta, gradient, state)
            (theta, state) = (next.detached(), nextState)
        }
        return (theta, iterations)
    }
}
