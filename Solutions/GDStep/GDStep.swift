import Autodiff
import ExerciseSupport

/// One step of gradient descent on `cost`, starting from `params`:
///
///     θ' = θ − η ∇cost(θ)
///
/// Returns the new parameters and leaves `params` as they were. The gradient comes from
/// `grad`, so when the step itself runs under an outer `grad` (as in MAML), the outer
/// derivative flows through ∇cost as well (second order).
public func gdStep(
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
) throws -> Parameters {
    guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \(stepSize)") }
    let gradient = grad(cost)(params)
    return params - stepSize * gradient
}
