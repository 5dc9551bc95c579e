import Autodiff
import ExerciseSupport

/// One step of gradient descent on `cost`, starting from `params`:
///
///     θ' = θ − η ∇cost(θ)
///
/// Return the new parameters; do not change `params`. Compute ∇cost with the library's
/// `grad` so that an outer `grad` can differentiate through this step.
public func gdStep(
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
) throws -> Parameters {
    // Replace this line with your step.
    throw ExerciseError.notImplemented("gdStep")
}
