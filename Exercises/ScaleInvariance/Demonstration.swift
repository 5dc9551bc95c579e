import Autodiff
import ExerciseSupport

/// Runs Adam for `steps` steps on `loss` and, from the same start, on C · `loss` (C = `scale`),
/// and returns the largest coordinate gap maxₜ,ᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| between the two sequences of
/// iterates θ₁…θ_T and θ̃₁…θ̃_T. Use `grad` for the gradients and your `Adam.step`.
public func largestIterateGap(
    loss: @escaping (Parameters) -> Tensor, scale: Double, start: Parameters, optimizer: Adam, steps: Int
) throws -> Double {
    // Replace this line with the two runs and the gap.
    throw ExerciseError.notImplemented("largestIterateGap")
}
