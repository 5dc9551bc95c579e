import Autodiff
import ExerciseSupport

/// The learned inner rates of MAML++ (LSLR), all set to `rate`: one scalar α_{n,k} for every
/// model parameter n (every weight and every bias of every layer) and every inner step
/// k = 1 … `steps`, stored under `innerRateName(of: n, step: k)` in the dtype of parameter n.
/// Merged into the meta-parameters, they are learned by the outer loop like the weights.
/// Throws when `steps` is negative or `rate` is not finite.
public func initialInnerRates(for model: Parameters, steps: Int, rate: Double) throws -> Parameters {
    guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
    guard rate.isFinite else { throw ExerciseError.invalidArgument("rate must be finite, got \(rate)") }
    var rates: [(String, Tensor)] = []
    for (name, tensor) in modelParameters(of: model) {
        for step in 1..<(steps + 1) {
            rates.append((innerRateName(of: name, step: step), Tensor(rate, dtype: tensor.dtype)))
        }
    }
    return Parameters(rates)
}

/// The inner loop with per-step, per-parameter learned rates, from the model part of `meta`:
///
///     φ⁰ = θ,   φᵏ[n] = φᵏ⁻¹[n] − α_{n,k} · ∇_n L_sup(φᵏ⁻¹)   for k = 1 … K and every parameter n,
///
/// with α_{n,k} = meta[innerRateName(of: n, step: k)]. Returns the whole trajectory φ⁰ … φᴷ
/// (K + 1 parameter sets, names as in θ). The steps stay differentiable, so an outer gradient
/// reaches θ and every α_{n,k}. Throws when `steps` is negative or a rate is missing.
public func adapt(_ meta: Parameters, supportLoss: @escaping Loss, steps: Int) throws -> [Parameters] {
    guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
    var phi = modelParameters(of: meta)
    for name in phi.names {
        for step in 1..<(steps + 1) where meta[innerRateName(of: name, step: step)] == nil {
            throw ExerciseError.invalidArgument("the meta-parameters hold no inner rate \(innerRateName(of: name, step: step))")
        }
    }
    var trajectory = [phi]
    for step in 1..<(steps + 1) {
        let gradient = grad(supportLoss)(phi)
        var next = phi
        for (name, slope) in gradient {
            let rate = meta.require(innerRateName(of: name, step: step))
            next[name] = phi.require(name) - rate * slope
        }
        phi = next
        trajectory.append(phi)
    }
    return trajectory
}
