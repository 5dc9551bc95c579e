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

/// The inner loop of MAML and its relatives: K steps of gradient descent on a support loss,
/// θₖ = θₖ₋₁ - αₖ ⊙ ∇L_support(θₖ₋₁), on all parameters or only some (ANIL adapts the head).
public struct InnerLoop: Sendable {
    /// The number of gradient steps K.
    public var steps: Int
    /// The step-size policy.
    public var learningRate: InnerLearningRate
    /// The names of the parameters to adapt; nil adapts every model parameter.
    public var adaptedNames: [String]?

    /// An inner loop of `steps` steps.
    public init(steps: Int, learningRate: InnerLearningRate, adaptedNames: [String]? = nil) {
        check(steps >= 0, "InnerLoop: steps must be non-negative, got \(steps)")
        self.steps = steps
        self.learningRate = learningRate
        self.adaptedNames = adaptedNames
    }

    /// The model part of meta-parameters (everything but the learned inner rates).
    public static func modelParameters(_ meta: Parameters) -> Parameters {
        Parameters(meta.filter { !$0.0.hasPrefix("inner.lr") })
    }

    /// Adapts the model part of `meta` to a task: returns θ₀, θ₁, ..., θ_K.
    ///
    /// Gradients are taken with `grad`, so inside an outer differentiation they are recorded
    /// (second order) unless the caller runs this inside `withFirstOrderGradients`.
    public func trajectory(from meta: Parameters, supportLoss: @escaping (Parameters) -> Tensor,
                           scopePrefix: String = "inner step") -> [Parameters] {
        var theta = Self.modelParameters(meta)
        var path = [theta]
        let adapted = adaptedNames ?? theta.names
        for k in 0..<steps {
            theta = withScope("\(scopePrefix) \(k + 1)") {
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
            path.append(theta)
        }
        return path
    }

    /// The adapted parameters θ_K.
    public func adapt(_ meta: Parameters, supportLoss: @escaping (Parameters) -> Tensor) -> Parameters {
        trajectory(from: meta, supportLoss: supportLoss).last!
    }
}
