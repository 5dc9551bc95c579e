import Autodiff
import ExerciseSupport

/// The learned inner rates of MAML++ (LSLR), all set to `rate`: one scalar α_{n,k} for every
/// model parameter n (every weight and every bias of every layer) and every inner step
/// k = 1 … `steps`, stored under `innerRateName(of: n, step: k)` in the dtype of parameter n.
/// Merged into the meta-parameters, they are learned by the outer loop like the weights.
/// Throws when `steps` is negative or `rate` is not finite.
public func initialInnerRates(for model: Parameters, steps: Int, rate: Double) throws -> Parameters {
    // One scalar tensor per model parameter and per step 1 … steps, all equal to `rate`.
    throw ExerciseError.notImplemented("initialInnerRates")
}

/// The inner loop with per-step, per-parameter learned rates, from the model part of `meta`:
///
///     φ⁰ = θ,   φᵏ[n] = φᵏ⁻¹[n] − α_{n,k} · ∇_n L_sup(φᵏ⁻¹)   for k = 1 … K and every parameter n,
///
/// with α_{n,k} = meta[innerRateName(of: n, step: k)]. Returns the whole trajectory φ⁰ … φᴷ
/// (K + 1 parameter sets, names as in θ). The steps stay differentiable, so an outer gradient
/// reaches θ and every α_{n,k}. Throws when `steps` is negative or a rate is missing.
public func adapt(_ meta: Parameters, supportLoss: @escaping Loss, steps: Int) throws -> [Parameters] {
    // K steps, each parameter n moving by its own rate α_{n,k} times its gradient; keep every φᵏ.
    throw ExerciseError.notImplemented("adapt")
}
