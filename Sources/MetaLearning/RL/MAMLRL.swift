import Autodiff
import Foundation
import NeuralNetworks

/// MAML for reinforcement learning (Algorithm 3 of the MAML paper) on 2-D navigation.
///
/// For each task 𝒯ᵢ of a meta-batch:
/// 1. sample K trajectories 𝒟ᵢ with π_θ;
/// 2. adapt with one policy-gradient step, θ'ᵢ = θ - α ∇_θ Lᵢ(θ; 𝒟ᵢ);
/// 3. sample K new trajectories 𝒟'ᵢ with π_θ'ᵢ.
/// Then update θ with the gradient of Σᵢ Lᵢ(θ'ᵢ(θ); 𝒟'ᵢ), where L is the REINFORCE surrogate.
/// The trajectories are data (constants); the meta-gradient flows through θ'ᵢ(θ), and with
/// second order through the inner gradient ∇_θ Lᵢ(θ; 𝒟ᵢ) as well. All tasks run together
/// on parameters tiled over the meta-batch.
public struct MAMLRL: Sendable {
    /// The hyper-parameters.
    public let configuration: MAMLRLConfiguration
    /// The policy architecture.
    public let policy: GaussianPolicy

    /// A learner with validated hyper-parameters; throws `MAMLRLError.invalidOption` otherwise.
    public init(configuration: MAMLRLConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        policy = GaussianPolicy(hiddenSizes: configuration.hiddenSizes, meanBound: NavigationTask.maximumSpeed)
    }

    /// The one-step inner loop θ' = θ - α ∇L(θ).
    var innerLoop: InnerLoop { InnerLoop(steps: 1, learningRate: .fixed(configuration.innerLearningRate)) }

    /// Fresh policy parameters θ.
    public func initialParameters(generator: inout SeededGenerator) -> Parameters {
        policy.initialParameters(generator: &generator, dtype: configuration.dtype,
                                 logStandardDeviation: configuration.initialLogStandardDeviation)
    }

    /// K trajectories per task with the policy slices `tiledParameters` (one per task).
    public func sample(_ tiledParameters: Parameters, tasks: [NavigationTask], generator: inout SeededGenerator) -> TrajectoryBatch {
        TrajectoryBatch.sample(policy: policy, parameters: tiledParameters, tasks: tasks,
                               trajectoriesPerTask: configuration.trajectoriesPerTask, horizon: configuration.horizon,
                               generator: &generator)
    }

    /// The adapted parameters θ'ᵢ = θ - α ∇_θ Lᵢ(θ; 𝒟ᵢ), tiled over the tasks of `support`.
    ///
    /// The support loss is the SUM over tasks, so slice i of the gradient is task i's own.
    /// Differentiable with respect to `theta` (to second order unless first-order gradients are on).
    public func adapt(_ theta: Parameters, support: TrajectoryBatch) -> Parameters {
        let surrogate = configuration.policyGradient
        return withScope("policy-gradient step") {
            innerLoop.adapt(theta.tiled(for: support.tasks)) { p in
                surrogate.surrogateLosses(policy: policy, parameters: p, batch: support).sum()
            }
        }
    }

    /// The meta-objective (1/T) Σᵢ Lᵢ(θ'ᵢ(θ); 𝒟'ᵢ) for fixed support and query trajectories.
    public func metaObjective(_ theta: Parameters, support: TrajectoryBatch, query: TrajectoryBatch) -> Tensor {
        check(support.tasks == query.tasks, "MAMLRL: \(support.tasks) support tasks but \(query.tasks) query tasks")
        let adapted = adapt(theta, support: support)
        return withScope("query surrogate") {
            configuration.policyGradient.surrogateLosses(policy: policy, parameters: adapted, batch: query).mean()
        }
    }

    /// The meta-objective and its gradient for fixed trajectories, of the configured order.
    public func metaGradient(_ theta: Parameters, support: TrajectoryBatch, query: TrajectoryBatch) -> (loss: Tensor, gradient: Parameters) {
        let objective = { (p: Parameters) in metaObjective(p, support: support, query: query) }
        let (loss, gradient) = switch configuration.order {
        case .second: valueAndGrad(objective)(theta)
        case .first: withFirstOrderGradients { valueAndGrad(objective)(theta) }
        }
        return (loss, gradient)
    }

    /// What one round of Algorithm 3's sampling gives for a set of tasks.
    public struct Rollouts: Sendable {
        /// 𝒟ᵢ: trajectories of the shared policy π_θ.
        public let support: TrajectoryBatch
        /// The adapted parameters θ'ᵢ (constants), tiled over the tasks.
        public let adapted: Parameters
        /// 𝒟'ᵢ: trajectories of the adapted policies π_θ'ᵢ.
        public let query: TrajectoryBatch
    }

    /// Steps 1-3 for `tasks`: sample with θ, adapt (without recording), sample with θ'.
    public func rollouts(_ theta: Parameters, tasks: [NavigationTask], generator: inout SeededGenerator) -> Rollouts {
        let shared = theta.detached().tiled(for: tasks.count)
        let support = withoutRecording { sample(shared, tasks: tasks, generator: &generator) }
        let adapted = withoutRecording { adapt(theta.detached(), support: support).detached() }
        let query = withoutRecording { sample(adapted, tasks: tasks, generator: &generator) }
        return Rollouts(support: support, adapted: adapted, query: query)
    }

    /// One meta-iteration's record.
    public struct IterationRecord: Sendable {
        /// The iteration, from 1.
        public let iteration: Int
        /// The meta-objective (the query surrogate loss).
        public let loss: Double
        /// The mean return of the support trajectories (the policy before adaptation).
        public let returnBeforeAdaptation: Double
        /// The mean return of the query trajectories (the policy after one step).
        public let returnAfterAdaptation: Double
        /// Seconds since training started.
        public let seconds: Double
    }

    /// Meta-trains from `theta` for `configuration.iterations` iterations with Adam, calling
    /// `progress` after each one; returns the final θ and the records.
    /// Throws `MAMLRLError.nonFiniteLoss` if the meta-loss stops being finite.
    public func train(from theta: Parameters, generator: inout SeededGenerator,
                      progress: (IterationRecord) -> Void = { _ in }) throws -> (parameters: Parameters, history: [IterationRecord]) {
        let optimizer = Adam(learningRate: configuration.outerLearningRate)
        var state = optimizer.initialState(for: theta)
        var parameters = theta
        var history: [IterationRecord] = []
        let start = Date()
        for iteration in stride(from: 1, through: configuration.iterations, by: 1) {
            let tasks = NavigationTask.sample(count: configuration.metaBatch, generator: &generator)
            let rollouts = rollouts(parameters, tasks: tasks, generator: &generator)
            let (loss, gradient) = metaGradient(parameters, support: rollouts.support, query: rollouts.query)
            guard loss.scalar.isFinite else { throw MAMLRLError.nonFiniteLoss(iteration: iteration) }
            (parameters, state) = optimizer.step(parameters, gradient.detached(), state)
            parameters = parameters.detached()
            let record = IterationRecord(iteration: iteration, loss: loss.scalar,
                                         returnBeforeAdaptation: rollouts.support.averageReturn,
                                         returnAfterAdaptation: rollouts.query.averageReturn,
                                         seconds: Date().timeIntervalSince(start))
            history.append(record)
            progress(record)
        }
        return (parameters, history)
    }

    /// The mean return before and after one adaptation step on `tasks`, with the rollouts.
    public func evaluate(_ theta: Parameters, tasks: [NavigationTask], generator: inout SeededGenerator)
        -> (before: Double, after: Double, rollouts: Rollouts) {
        let rollouts = rollouts(theta, tasks: tasks, generator: &generator)
        return (rollouts.support.averageReturn, rollouts.query.averageReturn, rollouts)
    }
}
