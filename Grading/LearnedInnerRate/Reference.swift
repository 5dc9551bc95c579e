import Autodiff

/// The judge's own unrolled objective, written from the handout's formulas (never the student's code).
enum Reference {
    /// f(x) = h_{L−1} W_L + b_L with h₀ = x and hₗ = tanh(hₗ₋₁ Wₗ + bₗ) for l < L.
    static func network(_ weights: Parameters, _ inputs: Tensor) -> Tensor {
        let layers = weights.count / 2
        var hidden = inputs
        for layer in 1...layers {
            hidden = matmul(hidden, weights.require("W\(layer)")) + weights.require("b\(layer)")
            if layer < layers { hidden = tanh(hidden) }
        }
        return hidden
    }

    /// L = (1/n) Σ |f(xᵢ) − yᵢ|.
    static func loss(_ weights: Parameters, _ inputs: Tensor, _ targets: Tensor) -> Tensor {
        abs(network(weights, inputs) - targets).mean()
    }

    /// The iterates w₀ = w, w_t = w_{t−1} − α ∇L_train(w_{t−1}) for t = 1 … T (T + 1 of them).
    static func iterates(_ meta: Parameters, _ unrolled: UnrolledCase) -> [Parameters] {
        let alpha = meta.require(UnrolledCase.rateName)
        let trainLoss = { (w: Parameters) in loss(w, unrolled.trainInputs, unrolled.trainTargets) }
        var weights = meta.selecting(meta.names.filter { $0 != UnrolledCase.rateName })
        var path = [weights]
        for _ in 0..<unrolled.steps {
            weights = weights - alpha * grad(trainLoss)(weights)
            path.append(weights)
        }
        return path
    }

    /// 𝒥(w, α) = L_val(w_T).
    static func objective(_ meta: Parameters, _ unrolled: UnrolledCase) -> Tensor {
        loss(iterates(meta, unrolled).last!, unrolled.validationInputs, unrolled.validationTargets)
    }

    /// The smallest |f(x) − y| over the training residuals of w₀ … w_{T−1} and the validation
    /// residuals of w_T: how far the objective is from a kink of the absolute value at `meta`.
    static func kinkMargin(_ unrolled: UnrolledCase) -> Double {
        let path = iterates(unrolled.meta, unrolled)
        let train = path.dropLast().flatMap { (network($0, unrolled.trainInputs) - unrolled.trainTargets).scalars }
        let validation = (network(path.last!, unrolled.validationInputs) - unrolled.validationTargets).scalars
        return (train + validation).map(Swift.abs).min() ?? 1
    }
}
