import Autodiff

/// Reptile (Nichol et al. 2018): adapt to a task with plain SGD, then move θ toward the result.
///
/// Serial:  φ̃ = U_τᵏ(φ);  φ ← φ + ε (φ̃ - φ).
/// Batched: φ ← φ + ε (1/n) Σᵢ (φ̃ᵢ - φ).
/// No second derivatives, no query set: the direction (φ̃ - φ) is itself the meta-update.
public struct Reptile: Sendable {
    /// Inner SGD steps k.
    public var innerSteps: Int
    /// Inner SGD step size.
    public var innerLearningRate: Double
    /// The outer step size ε.
    public var outerStepSize: Double

    /// A Reptile learner.
    public init(innerSteps: Int, innerLearningRate: Double, outerStepSize: Double) {
        self.innerSteps = innerSteps
        self.innerLearningRate = innerLearningRate
        self.outerStepSize = outerStepSize
    }

    /// φ̃ = k steps of SGD on the task's support loss, starting at φ.
    public func adapt(_ phi: Parameters, task: MetaTask) -> Parameters {
        var current = phi.detached()
        for _ in 0..<innerSteps {
            current = current - innerLearningRate * grad(task.supportLoss)(current)
        }
        return current
    }

    /// The Reptile direction averaged over tasks: (1/n) Σᵢ (φ̃ᵢ - φ).
    public func direction(_ phi: Parameters, tasks: [MetaTask]) -> Parameters {
        check(!tasks.isEmpty, "Reptile.direction: no tasks given")
        let sum = tasks.map { adapt(phi, task: $0) - phi }.reduce(phi.zerosLike(), +)
        return sum / Double(tasks.count)
    }

    /// One serial step on one task: φ + ε (φ̃ - φ).
    public func serialStep(_ phi: Parameters, task: MetaTask) -> Parameters {
        phi + outerStepSize * (adapt(phi, task: task) - phi)
    }

    /// One batched step: φ + ε (1/n) Σᵢ (φ̃ᵢ - φ).
    public func batchedStep(_ phi: Parameters, tasks: [MetaTask]) -> Parameters {
        phi + outerStepSize * direction(phi, tasks: tasks)
    }
}
