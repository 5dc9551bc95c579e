import Autodiff

extension DiagramPresets {
    /// MAML's meta-objective for a 1-4-1 tanh network through `steps` inner SGD steps, and its meta-gradient.
    ///
    /// Inner step k (scope "inner step k") has three parts: the support loss L(θₖ₋₁) ("support
    /// loss"), its gradient ("gradient") and the update θₖ = θₖ₋₁ − α ∇L(θₖ₋₁) ("update θₖ").
    /// The meta-objective is L_query(θ_K) ("query loss"), and the meta-gradient ∇_θ₀ L_query(θ_K)
    /// is recorded too ("meta-gradient ∇θ₀"). With `firstOrder` the inner gradients are constants
    /// (FO-MAML), so the meta-gradient skips the backward pass through them (the Hessian terms).
    /// Support losses are outputs too, so the inner forward passes stay in the picture either way.
    /// The inner steps are built with Autodiff alone.
    public static func maml(steps: Int = 1, firstOrder: Bool = false, options: DiagramOptions = DiagramOptions()) throws -> Diagram {
        guard (1...5).contains(steps) else {
            throw DiagramError.invalidSetting("MAML diagrams take 1 to 5 inner steps, got \(steps)")
        }
        let problem = TinyRegression()
        let initial = problem.initialParameters()
        var theta = initial
        var supportLosses: [Tensor] = []
        for k in 1...steps {
            theta = withScope(innerStepScope(k)) {
                let loss = withScope("support loss") {
                    problem.loss(theta, inputs: problem.supportInputs, targets: problem.supportTargets)
                }
                supportLosses.append(loss)
                // Second order records the inner gradient so the meta-gradient can run back through it.
                let g = withScope("gradient") { gradients(of: loss, wrt: theta.tensors, createGraph: !firstOrder) }
                return withScope("update θ\(subscriptDigits(k))") {
                    Parameters(names: theta.names, tensors: zip(theta.tensors, g).map { $0 - problem.innerRate * $1 })
                }
            }
        }
        let query = withScope(queryScope) {
            problem.loss(theta, inputs: problem.queryInputs, targets: problem.queryTargets)
        }
        let metaGradient = withScope("meta-gradient ∇θ₀") {
            gradients(of: query, wrt: initial.tensors, createGraph: true)
        }
        let outputs = [query] + metaGradient + supportLosses
        let labels = ["meta-objective\nL_query(θ\(subscriptDigits(steps)))"] + initial.names.map { "∂L/∂\($0)" }
            + (1...steps).map { "support loss \($0)" }
        // Numbered in computation order: the inner steps' losses first, then the query loss.
        return Diagram(walk: GraphWalk(outputs: outputs, labels: labels,
                                       options: titled(options, mamlTitle(steps: steps, firstOrder: firstOrder)),
                                       traversal: supportLosses + [query] + metaGradient))
    }

    /// The overview of `maml(steps:firstOrder:)`: θ₀, each inner step as one cluster of three
    /// boxes (support loss, gradient, update), the query loss, and the meta-gradient as one box
    /// per step it runs back through, each step's boxes in one column. Arrows between boxes stand
    /// for the arrows of the full graph between their operations and carry that count.
    public static func mamlOverview(steps: Int = 1, firstOrder: Bool = false,
                                    options: DiagramOptions = DiagramOptions()) throws -> Diagram {
        let full = try maml(steps: steps, firstOrder: firstOrder, options: options)
        return options.title == nil ? full.titledOverview() : full.overview()
    }

    /// One inner step of `maml(steps:firstOrder:)` in full: its support loss, gradient and update
    /// operations, the boxes of earlier and later steps that feed or read them as one box each,
    /// and the meta-gradient's work on this step as one box per part it runs back through.
    ///
    /// Throws `DiagramError.invalidSetting` when `step` is not one of the inner steps.
    public static func mamlStep(_ step: Int, of steps: Int = 1, firstOrder: Bool = false,
                                options: DiagramOptions = DiagramOptions()) throws -> Diagram {
        guard (1...steps).contains(step) else {
            throw DiagramError.invalidSetting("--step must be one of the inner steps 1 to \(steps), got \(step)")
        }
        var titledOptions = options
        titledOptions.title = options.title ?? mamlTitle(steps: steps, firstOrder: firstOrder) + ", inner step \(step) in full"
        return try maml(steps: steps, firstOrder: firstOrder, options: titledOptions).detail(ofScope: innerStepScope(step))
    }

    /// "inner step k".
    static func innerStepScope(_ k: Int) -> String { "inner step \(k)" }
    /// The query loss's scope.
    static let queryScope = "query loss"

    static func mamlTitle(steps: Int, firstOrder: Bool) -> String {
        (firstOrder ? "First-order MAML" : "MAML (second order)") + ": \(steps) inner step" + (steps == 1 ? "" : "s")
    }
}
