import Autodiff

/// Running per-channel means and variances of a network's batch-norm layers, for evaluating
/// with population statistics instead of each batch's own (the alternative to the reference
/// MAML behaviour of always normalizing with batch statistics).
///
/// A value type: a training forward pass returns an updated copy,
///
///     r_mean ← (1 - m) r_mean + m μ_B,    r_var ← (1 - m) r_var + m σ²_B · n / (n - 1),
///
/// where μ_B, σ²_B are the batch's statistics over its n = N·H·W values per channel (the
/// variance made unbiased, as is usual), taken as constants (no gradient flows into them).
public struct BatchNormStatistics: Sendable {
    /// The running mean of each batch-norm layer, `[C]` each, first layer first.
    public var means: [Tensor]
    /// The running variance of each batch-norm layer, `[C]` each.
    public var variances: [Tensor]
    /// The weight m of the newest batch in the running averages.
    public var momentum: Double
    /// Whether a batch's variance enters as n / (n − 1) · σ²_B (the usual running estimate) or
    /// as σ²_B itself, the variance the batch was normalized with (for reusing one batch's
    /// statistics on another, as `BatchNormMode.support` does).
    public var unbiasedVariance = true

    /// Statistics from their parts.
    public init(means: [Tensor], variances: [Tensor], momentum: Double = 0.1) {
        check(means.count == variances.count,
              "BatchNormStatistics: \(means.count) means for \(variances.count) variances")
        check(momentum > 0 && momentum <= 1, "BatchNormStatistics: momentum must be in (0, 1], got \(momentum)")
        self.means = means
        self.variances = variances
        self.momentum = momentum
    }

    /// Mean 0 and variance 1 for `layers` layers of `channels` channels (normalization starts as the identity).
    public static func initial(layers: Int, channels: Int, dtype: DType = .float64, momentum: Double = 0.1) -> Self {
        BatchNormStatistics(means: (0..<layers).map { _ in .zeros([channels], dtype: dtype) },
                            variances: (0..<layers).map { _ in .ones([channels], dtype: dtype) },
                            momentum: momentum)
    }

    /// The statistics as named tensors `"bn<i>.running_mean"` and `"bn<i>.running_var"` (for a checkpoint).
    public var namedTensors: Parameters {
        Parameters(means.indices.flatMap { i in
            [("bn\(i + 1).running_mean", means[i]), ("bn\(i + 1).running_var", variances[i])]
        })
    }

    /// The statistics of `layers` layers from tensors written by `namedTensors`.
    public init(namedTensors: Parameters, layers: Int, momentum: Double = 0.1) throws {
        func tensor(_ name: String) throws -> Tensor {
            guard let t = namedTensors[name] else {
                throw OptimizerStateError.missingTensor(state: "batch-norm statistics", name: name)
            }
            return t
        }
        let means = try (0..<layers).map { try tensor("bn\($0 + 1).running_mean") }
        let variances = try (0..<layers).map { try tensor("bn\($0 + 1).running_var") }
        self.init(means: means, variances: variances, momentum: momentum)
    }

    /// These statistics with layer `layer` (0-based) moved toward the batch `x` of shape `[N, C, ...]`.
    func updated(layer: Int, batch x: Tensor) -> BatchNormStatistics {
        let (batchMean, batchVariance) = withoutRecording { batchStatistics(x.detached()) }
        let n = Double(x.scalarCount / x.shape[1])
        let unbiased = n > 1 && unbiasedVariance ? batchVariance * (n / (n - 1)) : batchVariance
        var next = self
        next.means[layer] = (1 - momentum) * means[layer] + momentum * batchMean
        next.variances[layer] = (1 - momentum) * variances[layer] + momentum * unbiased
        return next
    }
}
