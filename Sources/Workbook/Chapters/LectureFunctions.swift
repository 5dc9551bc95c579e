import Autodiff
import NeuralNetworks

// The library's forms of quantities the lecture chapters show and the exercises ask students
// to compute themselves. They stay in the instructor's module: the student workbook runs the
// students' own functions instead.

/// Adam set up to take RMSprop's steps: with β₁ = 0 the first moment is the current gradient,
/// mₜ = gₜ, so (α_A, β₁, β₂, ε_A) = (α_R, 0, γ, ε_R) gives θₜ = θₜ₋₁ − α_R gₜ / (√vₜ + ε_R).
func adamTakingRMSpropSteps(learningRate: Double, decay: Double, epsilon: Double) -> Adam {
    Adam(learningRate: learningRate, beta1: 0, beta2: decay, epsilon: epsilon)
}

/// The largest coordinate gap maxₜ,ᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| between `adam`'s iterates on `loss` and on
/// `scale` · `loss`, both from `start`, over `steps` steps.
func largestIterateGap(_ loss: @escaping (Parameters) -> Tensor, scale: Double, start: Parameters, adam: Adam,
                       steps: Int) -> Double {
    let original = adamPath(loss, start: start, adam: adam, steps: steps)
    let scaled = adamPath({ scale * loss($0) }, start: start, adam: adam, steps: steps)
    return AdamChapter.maxDifference(original, scaled)
}

/// θ₀, θ₁, …, θ_T of `adam` on `loss` from `start`, each flattened to its scalars.
private func adamPath(_ loss: @escaping (Parameters) -> Tensor, start: Parameters, adam: Adam, steps: Int) -> [[Double]] {
    var theta = start
    var state = adam.initialState(for: theta)
    var path = [theta.tensors.flatMap(\.scalars)]
    for _ in 0..<max(0, steps) {
        (theta, state) = adam.step(theta, grad(loss)(theta), state)
        theta = theta.detached()
        path.append(theta.tensors.flatMap(\.scalars))
    }
    return path
}
