import Autodiff
import Foundation
import MetaLearning
import Plots

/// MAML for reinforcement learning on the MAML paper's 2-D navigation tasks: the inner step is
/// one policy-gradient step on sampled trajectories, and the meta-learned policy heads for the
/// goal after that one step.
public struct MAMLRLChapter: Chapter {
    /// `maml-rl`.
    public let id = "maml-rl"
    /// The page heading.
    public let title = "MAML for reinforcement learning: 2-D navigation"
    /// One line for the list.
    public let summary = "A point agent meta-learns to find a new goal with one policy-gradient step; trajectories before and after it."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        var configuration = MAMLRLConfiguration()
        configuration.iterations = book.pick("meta-training iterations", full: 500, quick: 200, test: 2)
        configuration.metaBatch = book.pick("tasks per meta-batch", full: 20, quick: 10, test: 2)
        configuration.trajectoriesPerTask = book.pick("trajectories per task", full: 20, quick: 10, test: 3)
        let heldOut = book.pick("held-out tasks for evaluation", full: 200, quick: 50, test: 4)
        let learner = try MAMLRL(configuration: configuration)
        let seed = book.settings.seed

        book.section("Every goal is a task")
        try introduction(book: book, configuration: configuration)

        book.section("One policy-gradient step as the inner loop")
        try policyGradientText(book: book, configuration: configuration)

        book.section("Meta-training")
        var generator = SeededGenerator(seed: seed &+ 31)
        let initial = learner.initialParameters(generator: &generator)
        book.progress("meta-training \(configuration.iterations) iterations of \(configuration.metaBatch) tasks")
        let every = max(1, configuration.iterations / 10)
        let (trained, history) = try learner.train(from: initial, generator: &generator) { record in
            if record.iteration % every == 0 || record.iteration == configuration.iterations {
                book.progress(String(format: "iteration %d/%d: return %.2f before, %.2f after adaptation (%.0f s)",
                                     record.iteration, configuration.iterations, record.returnBeforeAdaptation,
                                     record.returnAfterAdaptation, record.seconds))
            }
        }
        try trainingCurve(book: book, history: history, configuration: configuration)

        book.section("New goals, before and after one step")
        try evaluation(book: book, learner: learner, initial: initial, trained: trained, heldOut: heldOut, seed: seed)
    }

    /// The task family, its dynamics and reward, and the goal of meta-learning here.
    func introduction(book: Notebook, configuration: MAMLRLConfiguration) throws {
        try book.paragraph("A point agent lives in the plane and always starts at the origin. A task is a goal $g$ drawn "
            + "uniformly from the square $[-0.5, 0.5]^2$, but the agent is not told where it is: it only feels a reward, "
            + "minus its distance to the goal, after every move. Its action is a velocity, clipped to at most 0.1 along each axis:")
        try book.math("x_{t+1} = x_t + \\operatorname{clip}(a_t, -0.1, 0.1), \\qquad r_t = -\\Vert x_{t+1} - g \\Vert")
        try book.paragraph("An episode lasts $H = \(configuration.horizon)$ steps (the MAML paper uses 100; any goal is at most "
            + "8 steps away, so 20 leave time to get there and stay, at a fifth of the cost). To do well on a new goal the agent has "
            + "to explore, notice which direction pays, and go there. MAML asks for a policy that does this with a single "
            + "gradient step computed from \(configuration.trajectoriesPerTask) trial runs.")
    }

    /// The Gaussian policy, the REINFORCE surrogate, the baseline and Algorithm 3.
    func policyGradientText(book: Notebook, configuration: MAMLRLConfiguration) throws {
        let hidden = configuration.hiddenSizes.map(String.init).joined(separator: "-")
        try book.paragraph("The policy is Gaussian: a tanh network with hidden layers \(hidden) maps the position to a mean "
            + "velocity $\\mu_\\theta(s)$, and a learned vector $\\log \\sigma$ sets the spread. Its log-density is what we differentiate:")
        try book.math("\\log \\pi_\\theta(a \\mid s) = \\sum_{d=1}^{2} \\left( -\\frac{(a_d - \\mu_{\\theta,d}(s))^2}{2 \\sigma_d^2} - \\log \\sigma_d - \\frac{1}{2} \\log 2\\pi \\right)")
        try book.paragraph("There is no differentiable loss on the trajectories themselves: the reward comes from the environment. "
            + "REINFORCE turns the expected return into one: with $G_t = \\sum_{t' \\ge t} \\gamma^{t'-t} r_{t'}$ the return-to-go "
            + "($\\gamma = \(configuration.policyGradient.discount)$) and $A_t = G_t - b_t$ an advantage, the gradient of the surrogate")
        try book.math("\\mathcal{L}(\\theta) = -\\frac{1}{K H} \\sum_{k=1}^{K} \\sum_{t=0}^{H-1} \\log \\pi_\\theta(a_t^{(k)} \\mid s_t^{(k)}) \\, A_t^{(k)}")
        try book.paragraph("is, up to the factor $H$, minus an unbiased estimate of the gradient of the expected return, as long as the "
            + "advantages are held constant and the baseline $b_t$ does not depend on the trajectory's own actions. Our baseline is the "
            + "mean return-to-go of the task's *other* trajectories at the same time step, and each task's advantages are "
            + "scaled to mean 0 and standard deviation 1 before use.")
        try book.paragraph("Algorithm 3 of the seminar handout is then MAML with this surrogate as the loss, with one twist: the "
            + "query data must come from the *adapted* policy. For each task we sample $K$ trajectories with $\\pi_\\theta$, take one "
            + "step $\\theta'_i = \\theta - \\alpha \\nabla_\\theta \\mathcal{L}_i(\\theta)$ with $\\alpha = \(configuration.innerLearningRate)$, "
            + "sample $K$ new trajectories with $\\pi_{\\theta'_i}$, and update $\\theta$ with the gradient of "
            + "$\\sum_i \\mathcal{L}_i(\\theta'_i(\\theta))$ on those. That gradient goes through the inner gradient, so it needs "
            + "second derivatives, which our autodiff records. The paper uses TRPO for the outer step; we use Adam "
            + "(step \(configuration.outerLearningRate)). All \(configuration.metaBatch) tasks of a meta-batch run together on "
            + "parameters with a task axis: at each time step the states $[T, K, 2]$ of every task and trajectory go through the "
            + "network at once.")
        book.code("""
            // D with π_θ, one step to θ', D' with π_θ'
            let rollouts = learner.rollouts(theta, tasks: tasks, generator: &generator)
            let (loss, metaGradient) = learner.metaGradient(theta, support: rollouts.support,
                                                            query: rollouts.query)
            (theta, adamState) = Adam(learningRate: 0.003).step(theta, metaGradient, adamState)
            """)
    }

    /// The return of the sampled trajectories before and after adaptation, per iteration.
    func trainingCurve(book: Notebook, history: [MAMLRL.IterationRecord], configuration: MAMLRLConfiguration) throws {
        let iterations = history.map { Double($0.iteration) }
        let before = history.map(\.returnBeforeAdaptation)
        let after = history.map(\.returnAfterAdaptation)
        let window = max(1, history.count / 20)
        var figure = Figure(title: "Meta-training: average return of the sampled trajectories", xLabel: "iteration",
                            yLabel: "return over \(configuration.horizon) steps")
        let beforeColor = figure.claimNextColor(), afterColor = figure.claimNextColor()
        try figure.addLine(x: iterations, y: before, color: beforeColor, width: 0.75)
        try figure.addLine(x: iterations, y: after, color: afterColor, width: 0.75)
        try figure.addLine(x: iterations, y: movingAverage(before, window: window), label: "before adaptation (π_θ)", color: beforeColor, width: 2.5)
        try figure.addLine(x: iterations, y: movingAverage(after, window: window), label: "after one step (π_θ′)", color: afterColor, width: 2.5)
        figure.legendPlacement = .bottomRight
        try book.figure(figure, name: "training", caption: "Thin lines: each meta-batch; thick lines: moving averages over "
            + "\(window) iterations. MAML only optimizes the return *after* the step; the return before it need not improve.")
        let tail = max(1, history.count / 10)
        try book.keyNumbers([
            ("training_return_before_first", "return before adaptation, first iterations", before.prefix(tail).reduce(0, +) / Double(tail)),
            ("training_return_after_first", "after one step, first iterations", after.prefix(tail).reduce(0, +) / Double(tail)),
            ("training_return_before_last", "return before adaptation, last iterations", before.suffix(tail).reduce(0, +) / Double(tail)),
            ("training_return_after_last", "after one step, last iterations", after.suffix(tail).reduce(0, +) / Double(tail)),
        ], digits: 3)
        try book.keyNumbers([("training_seconds", "meta-training time", history.last?.seconds ?? 0)], digits: 3, unit: "s")
        try book.paragraph("Averages over the first and last \(tail) iteration\(tail == 1 ? "" : "s") (one meta-batch each).")
    }

    /// Held-out goals: returns before and after adaptation for the trained and the untrained policy,
    /// a goal-seeking reference, and the trajectories figure.
    func evaluation(book: Notebook, learner: MAMLRL, initial: Parameters, trained: Parameters, heldOut: Int, seed: UInt64) throws {
        var taskGenerator = SeededGenerator(seed: seed &+ 77)
        let tasks = NavigationTask.sample(count: heldOut, generator: &taskGenerator)
        var generator = SeededGenerator(seed: seed &+ 78)
        let learned = learner.evaluate(trained, tasks: tasks, generator: &generator)
        generator = SeededGenerator(seed: seed &+ 78)
        let untrained = learner.evaluate(initial, tasks: tasks, generator: &generator)
        let horizon = learner.configuration.horizon
        let reference = tasks.map { Self.goalSeekingReturn($0, horizon: horizon) }.reduce(0, +) / Double(tasks.count)
        try book.keyNumbers([
            ("heldout_return_before", "meta-learned policy, before adaptation", learned.before),
            ("heldout_return_after", "meta-learned policy, after one step", learned.after),
            ("heldout_return_untrained_before", "random init, before adaptation", untrained.before),
            ("heldout_return_untrained_after", "random init, after one step", untrained.after),
            ("heldout_return_goal_seeking", "a controller told the goal (steers straight at it)", reference),
        ], digits: 3)
        try book.record("heldout_adaptation_gain", learned.after - learned.before, digits: 3)
        try book.record("heldout_untrained_adaptation_gain", untrained.after - untrained.before, digits: 3)
        try book.paragraph("Mean returns over \(heldOut) goals never seen in training, \(learner.configuration.trajectoriesPerTask) "
            + "trajectories each (higher is better; 0 would mean sitting on the goal from the first step). One policy-gradient "
            + "step from the meta-learned init raises the return by @{heldout_adaptation_gain}; the same step from the random "
            + "init changes it by @{heldout_untrained_adaptation_gain}. The controller that knows the goal and moves straight at it "
            + "at full speed bounds what any policy can do.")
        try book.figure(try trajectoriesFigure(learned.rollouts, tasks: tasks, count: min(4, tasks.count)), name: "trajectories",
                        caption: "Three sampled trajectories per goal (the large black dot) from the origin: grey dashed before adaptation, "
                            + "coloured after one policy-gradient step on \(learner.configuration.trajectoriesPerTask) grey-policy runs. "
                            + "The meta-learned policy on its own wanders near the origin; after the step it heads for the goal.")
    }

    /// A panel per goal with trajectories before (dashed grey) and after (solid) adaptation.
    func trajectoriesFigure(_ rollouts: MAMLRL.Rollouts, tasks: [NavigationTask], count: Int) throws -> FigureGrid {
        var grid = FigureGrid(columns: 2, title: "New goals: trajectories before and after one adaptation step")
        let perTask = rollouts.support.trajectoriesPerTask
        for task in 0..<count {
            let goal = tasks[task].goal
            var figure = Figure(title: String(format: "goal (%.2f, %.2f)", goal.x, goal.y), xLabel: "x", yLabel: "y",
                                width: 360, height: 360)
            figure.xLimits = -0.8...0.8
            figure.yLimits = -0.8...0.8
            let color = PlotColor.palette[(task + 1) % PlotColor.palette.count]
            for k in 0..<min(3, perTask) {
                let before = rollouts.support.paths[task * perTask + k].map { clamp($0) }
                let after = rollouts.query.paths[task * perTask + k].map { clamp($0) }
                try figure.addLine(x: before.map(\.x), y: before.map(\.y), label: k == 0 ? "before" : nil, color: .gray, width: 1.25, dash: .dashed)
                try figure.addLine(x: after.map(\.x), y: after.map(\.y), label: k == 0 ? "after one step" : nil, color: color, width: 2)
            }
            try figure.addScatter(x: [goal.x], y: [goal.y], label: "goal", color: .black, radius: 6)
            // The legend goes in the corner opposite the goal's quadrant, away from the paths.
            let corner: LegendPlacement = goal.y < 0 ? (goal.x < 0 ? .topRight : .topLeft) : (goal.x < 0 ? .bottomRight : .bottomLeft)
            figure.legendPlacement = task == 0 ? corner : .hidden
            grid.add(figure)
        }
        return grid
    }

    /// A point kept inside the plotted square.
    func clamp(_ p: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(min(max(p.x, -0.8), 0.8), min(max(p.y, -0.8), 0.8))
    }

    /// The return of steering straight at the known goal at full speed: aₜ = clip(g - xₜ).
    static func goalSeekingReturn(_ task: NavigationTask, horizon: Int) -> Double {
        var position = NavigationTask.start
        var total = 0.0
        for _ in 0..<horizon {
            let (next, reward) = task.step(from: position, action: task.goal - position)
            position = next
            total += reward
        }
        return total
    }
}
