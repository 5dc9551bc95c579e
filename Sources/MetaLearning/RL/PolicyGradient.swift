import Autodiff

/// The baseline subtracted from the returns to reduce the variance of the policy gradient.
public enum PolicyGradientBaseline: String, Sendable, CaseIterable {
    /// No baseline: Aₜ = Gₜ.
    case none
    /// The time-dependent mean return of the task's other trajectories (leave one out):
    /// bₜ⁽ᵏ⁾ = (1 / (N - 1)) Σ_{j ≠ k} Gₜ⁽ʲ⁾. It does not depend on trajectory k's own actions,
    /// so the estimator stays unbiased.
    case timeMeanLeaveOneOut
}

/// REINFORCE: the advantages and the surrogate loss whose gradient is the policy-gradient estimate.
///
/// For trajectories τ⁽ᵏ⁾ sampled from π_θ, the gradient of the expected return J(θ) is estimated by
///
///     ∇J ≈ (1/N) Σₖ Σₜ ∇ log π_θ(aₜ⁽ᵏ⁾ | sₜ⁽ᵏ⁾) · Aₜ⁽ᵏ⁾,   Aₜ = Gₜ - bₜ,
///
/// which is minus H times the gradient of the surrogate L(θ) = -(1/(N·H)) Σₖ Σₜ log π_θ(aₜ | sₜ) · Aₜ
/// with the advantages held constant (the mean over all N·H steps, so the step size does not
/// depend on the horizon H). Minimizing L is a step of policy-gradient ascent on J.
public struct PolicyGradient: Sendable, Equatable {
    /// The discount γ of the returns-to-go.
    public var discount: Double
    /// The baseline bₜ.
    public var baseline: PolicyGradientBaseline
    /// Whether each task's advantages are shifted and scaled to mean 0 and standard deviation 1.
    public var normalizesAdvantages: Bool

    /// An estimator with discount γ, a baseline, and optional per-task advantage normalization.
    public init(discount: Double = 0.99, baseline: PolicyGradientBaseline = .timeMeanLeaveOneOut,
                normalizesAdvantages: Bool = true) {
        check((0...1).contains(discount), "PolicyGradient: the discount must be in [0, 1], got \(discount)")
        self.discount = discount
        self.baseline = baseline
        self.normalizesAdvantages = normalizesAdvantages
    }

    /// Aₜ = Gₜ - bₜ for every step of `batch`, as a constant `[T, N·H]` tensor.
    public func advantages(_ batch: TrajectoryBatch, dtype: DType) -> Tensor {
        let (n, h) = (batch.trajectoriesPerTask, batch.horizon)
        let g = batch.returnsToGo(discount: discount)
        var advantages = g
        for task in 0..<batch.tasks {
            let base = task * n * h
            if baseline == .timeMeanLeaveOneOut && n > 1 {
                for step in 0..<h {
                    let total = (0..<n).reduce(0.0) { $0 + g[base + $1 * h + step] }
                    for k in 0..<n {
                        let flat = base + k * h + step
                        advantages[flat] = g[flat] - (total - g[flat]) / Double(n - 1)
                    }
                }
            }
            if normalizesAdvantages {
                let slice = advantages[base..<(base + n * h)]
                let mean = slice.reduce(0, +) / Double(slice.count)
                let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(slice.count)
                let scale = 1 / (variance.squareRoot() + 1e-8)
                for flat in base..<(base + n * h) { advantages[flat] = (advantages[flat] - mean) * scale }
            }
        }
        return Tensor(shape: [batch.tasks, n * h], scalars: advantages, dtype: dtype)
    }

    /// The surrogate loss of each task, `[T]`: Lᵢ(θ) = -(1/(N·H)) Σₖ Σₜ log π_θ(aₜ | sₜ) · Aₜ.
    ///
    /// `parameters` are tiled over the tasks; the result is differentiable with respect to them.
    public func surrogateLosses(policy: GaussianPolicy, parameters: Parameters, batch: TrajectoryBatch) -> Tensor {
        let logProbabilities = policy.logProbability(parameters, states: batch.states, actions: batch.actions)
        let advantages = advantages(batch, dtype: logProbabilities.dtype)
        return -(logProbabilities * advantages).mean(axis: 1)
    }
}
