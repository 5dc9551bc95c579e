import Autodiff
import ExerciseSupport

/// Runs Adam for `steps` steps on `loss` and, from the same start, on C · `loss` (C = `scale`),
/// and returns the largest coordinate gap maxₜ,ᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| between the two sequences of
/// iterates θ₁…θ_T and θ̃₁…θ̃_T. With ε = 0 the gap is zero up to rounding.
public func largestIterateGap(
    loss: @escaping (Parameters) -> Tensor, scale: Double, start: Parameters, optimizer: Adam, steps: Int
) throws -> Double {
    guard scale > 0, scale.isFinite else { throw ExerciseError.invalidArgument("scale must be a positive number, got \(scale)") }
    guard steps >= 0 else { throw ExerciseError.invalidArgument("steps must be at least 0, got \(steps)") }
    let scaledLoss = { (p: Parameters) in scale * loss(p) }
    var original = start, scaled = start
    var originalState = AdamState(zerosLike: start), scaledState = AdamState(zerosLike: start)
    var gap = 0.0
    for _ in 0..<steps {
        original = try optimizer.step(original, gradient: grad(loss)(original), state: &originalState)
        scaled = try optimizer.step(scaled, gradient: grad(scaledLoss)(scaled), state: &scaledState)
        for (a, b) in zip(original.tensors, scaled.tensors) {
            gap = zip(a.scalars, b.scalars).reduce(gap) { max($0, abs($1.0 - $1.1)) }
        }
    }
    return gap
}
