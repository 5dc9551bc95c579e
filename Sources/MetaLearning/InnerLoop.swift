import Autodiff

/// Whether meta-gradients flow through the inner loop's gradients (second order, MAML) or
/// treat them as constants (first order, FO-MAML: dθₖ/dθ is taken to be the identity).
public enum GradientOrder: String, Sendable, CaseIterable {
    /// Inner gradients are constants: g_FO = ∇L_query(θₖ).
    case first
    /// Full meta-gradient: g = ∇L_query(θₖ) · Πᵢ (I - α ∇²L_support(θᵢ₋₁)).
    case second
}

/// How the inner loop picks its step size for parameter `name` at step `k`.
public enum InnerLearningRate: Sendable, Equatable {
    /// One fixed α for every parameter and step (MAML).
    case fixed(Double)
    /// One learned scalar α, stored in the meta-parameters as `"inner.lr"` (learned inner rate).
    case learnedScalar
    /// One learned rate tensor per parameter, shaped like it, stored as `"inner.lr.<name>"` (Meta-SGD).
    case learnedPerParameter
    /// One learned scalar per parameter and step, stored as `"inner.lr.<name>.<k>"` (MAML++).
    case learnedPerParameterPerStep

    /// The meta-parameter names this policy adds for the given model parameters and step count.
    public func metaParameterNames(for names: [String], steps: Int) -> [String] {
        switch self {
        case .fixed: []
        case .learnedScalar: ["inner.lr"]
        case .learnedPerParameter: names.map { "inner.lr.\($0)" }
        case .learnedPerParameterPerStep: names.flatMap { name in (0..<steps).map { "inner.lr.\(name).\($0)" } }
        }
    }

    /// Initial values for the learned rates: α everywhere.
    public func initialRates(for model: Parameters, steps: Int, alpha: Double) -> Parameters {
        switch self {
        case .fixed: return Parameters()
        case .learnedScalar:
            return ["inner.lr": Tensor(alpha, dtype: model.tensors.first?.dtype ?? .float64)]
        case .learnedPerParameter:
            return Parameters(model.map { t in Tensor.full(alpha, shape: t.shape, dtype: t.dtype) }
                .map { ("inner.lr.\($0.0)", $0.1) })
        case .learnedPerParameterPerStep:
            return Parameters(model.flatMap { name, t in
                (0..<steps).map { ("inner.lr.\(name).\($0)", Tensor(alpha, dtype: t.dtype)) }
            })
        }
    }

    /// The step size for parameter `name` at step `k`, as a tensor (tracked when learned).
    func rate(for name: String, step: Int, in meta: Parameters, dtype: DType) -> Tensor {
        switch self {
        case .fixed(let alpha): Tensor(alpha, dtype: dtype)
        case .learnedScalar: meta.require("inner.lr")
        case .learnedPerParameter: meta.require("inner.lr.\(name)")
        case .learnedPerParameterPerStep: meta.require("inner.lr.\(name).\(step)")
        }
    }
}

/// The inner step a loss is evaluated at: k for the support loss that produces θₖ₊₁ from θₖ,
/// and K for a query loss of θ_K. Models with per-step weights read it (MAML++'s per-step
/// batch normalization uses step k's scale and offset at step k).
public enum InnerStep {
    /// The current inner step; 0 outside any inner loop.
    @TaskLocal public static var current = 0
}

/// What an inner loop keeps alive for the outer backward pass of second-order MAML.
public enum InnerLoopMemory: Sendable, Equatable {
    /// Every step's activations and recorded backward pass, until the outer pass is done: the
    /// fastest, with memory growing linearly in the number of steps.
    case stored
    /// Only θ at the start of every segment of `every` steps (and each θₖ itself): a segment's
    /// graph is released as soon as its last step is done, and rebuilt by running the segment
    /// again when the outer pass reaches it (`checkpointed(_:)`). Memory for one segment's
    /// graph instead of all of them, for one more forward pass of every step; the gradients
    /// are the stored ones to the last bit.
    case checkpointed(every: Int)
}

/// The inner loop of MAML and its relatives: K steps of gradient descent on a support loss,
/// θₖ = θₖ₋₁ - αₖ ⊙ ∇L_support(θₖ₋₁), on all parameters or only some (ANIL adapts the head).
public struct InnerLoop: Sendable {
    /// The number of gradient steps K.
    public var steps: Int
    /// The step-size policy.
    public var learningRate: InnerLearningRate
    /// The names of the parameters to adapt; nil adapts every model parameter.
    public var adaptedNames: [String]?
    /// What the loop keeps for the outer pass: everything, or segment boundaries only.
    public var memory: InnerLoopMemory

    /// An inner loop of `steps` steps.
    public init(steps: Int, learningRate: InnerLearningRate, adaptedNames: [String]? = nil, memory: InnerLoopMemory = .stored) {
        check(steps >= 0, "InnerLoop: steps must be non-negative, got \(steps)")
        if case .checkpointed(let every) = memory {
            check(every >= 1, "InnerLoop: a checkpointed segment needs at least 1 step, got \(every)")
        }
        self.steps = steps
        self.learningRate = learningRate
        self.adaptedNames = adaptedNames
        self.memory = memory
    }

    /// The model part of meta-parameters (everything but the learned inner rates).
    public static func modelParameters(_ meta: Parameters) -> Parameters {
        Parameters(meta.filter { !$0.0.hasPrefix("inner.lr") })
    }

    /// Adapts the model part of `meta` to a task: returns θ₀, θ₁, ..., θ_K.
    ///
    /// Gradients are taken with `grad`, so inside an outer differentiation they are recorded
    /// (second order) unless the caller runs this inside `withFirstOrderGradients`. With
    /// `memory: .checkpointed(every: m)` the steps run in segments of m inside `checkpointed`.
    public func trajectory(from meta: Parameters, supportLoss: @escaping (Parameters) -> Tensor,
                           scopePrefix: String = "inner step") -> [Parameters] {
        var path = [Self.modelParameters(meta)]
        guard case .checkpointed(let every) = memory else {
            for k in 0..<steps { path.append(step(k, from: path[k], meta: meta, supportLoss: supportLoss, scopePrefix: scopePrefix)) }
            return path
        }
        for first in stride(from: 0, to: steps, by: every) {
            let segment = first..<Swift.min(first + every, steps), start = path[first], names = start.names
            // The segment returns every θₖ it makes, one after another, each in `names` order.
            let outputs = checkpointed {
                var theta = start, thetas: [Tensor] = []
                for k in segment {
                    theta = step(k, from: theta, meta: meta, supportLoss: supportLoss, scopePrefix: scopePrefix)
                    thetas += theta.tensors
                }
                return thetas
            }
            for offset in 0..<segment.count {
                path.append(Parameters(names: names, tensors: Array(outputs[(offset * names.count)..<((offset + 1) * names.count)])))
            }
        }
        return path
    }

    /// Inner step k: θₖ₊₁ from θₖ, in the scope "<scopePrefix> k+1".
    private func step(_ k: Int, from theta: Parameters, meta: Parameters, supportLoss: @escaping (Parameters) -> Tensor,
                      scopePrefix: String) -> Parameters {
        let adapted = adaptedNames ?? theta.names
        return withScope("\(scopePrefix) \(k + 1)") {
            let fixed = Parameters(theta.filter { !adapted.contains($0.0) })
            let moving = theta.selecting(adapted)
            // Only the adapted parameters are variables; the rest enter the loss as they are.
            let g = InnerStep.$current.withValue(k) { grad { (p: Parameters) in supportLoss(fixed.merging(p)) }(moving) }
            var next = theta
            for (name, gradient) in g {
                if case .fixed(let alpha) = learningRate {
                    // θ − α∇ in one pass (and one multiplication on the way back).
                    next[name] = theta.require(name).addingScaled(gradient, by: -alpha)
                } else {
                    let alpha = learningRate.rate(for: name, step: k, in: meta, dtype: gradient.dtype)
                    next[name] = theta.require(name) - alpha * gradient
                }
            }
            return next
        }
    }

    /// The adapted parameters θ_K.
    public func adapt(_ meta: Parameters, supportLoss: @escaping (Parameters) -> Tensor) -> Parameters {
        trajectory(from: meta, supportLoss: supportLoss).last!
    }
}
