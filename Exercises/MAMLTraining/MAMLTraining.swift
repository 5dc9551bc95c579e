import Autodiff
import ExerciseSupport

/// K inner gradient steps on a cost from given parameters: θ₀ = θ, θₖ₊₁ = θₖ − η ∇cost(θₖ),
/// returning θ_K (what `gdStep` and `MetaObjective` compute; passed in so this module stands
/// on its own and a mistake in those exercises costs nothing here).
public typealias InnerAdaptation = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ numSteps: Int, _ stepSize: Double
) throws -> Parameters

/// The hyper-parameters of MAML training.
public struct TrainingSettings: Sendable {
    /// K, inner steps per task.
    public let numSteps: Int
    /// η, the inner step size.
    public let innerStepSize: Double
    /// β, the outer (meta) step size.
    public let metaStepSize: Double
    /// Outer iterations, one sampled task each.
    public let iterations: Int

    /// Checks and stores the settings; throws when a count is negative or a step size not finite.
    public init(numSteps: Int = 5, innerStepSize: Double = 0.1, metaStepSize: Double = 0.01, iterations: Int = 1000) throws {
        guard numSteps >= 0 else { throw ExerciseError.invalidArgument("numSteps must be at least 0, got \(numSteps)") }
        guard iterations >= 0 else { throw ExerciseError.invalidArgument("iterations must be at least 0, got \(iterations)") }
        guard innerStepSize.isFinite, metaStepSize.isFinite else {
            throw ExerciseError.invalidArgument("step sizes must be finite, got \(innerStepSize) and \(metaStepSize)")
        }
        self.numSteps = numSteps
        self.innerStepSize = innerStepSize
        self.metaStepSize = metaStepSize
        self.iterations = iterations
    }
}

/// The outcome of a training run.
public struct TrainingRun {
    /// The meta-learned initial parameters.
    public let params: Parameters
    /// The meta-objective of the sampled task at each iteration, before that iteration's update.
    public let metaLosses: [Double]

    /// Bundles the final parameters with the loss curve.
    public init(params: Parameters, metaLosses: [Double]) {
        self.params = params
        self.metaLosses = metaLosses
    }
}

/// One outer step of MAML on one task:
///
///     meta(θ) = cost_query(adapt(cost_support, θ, K, η)),    θ ← θ − β ∇meta(θ).
///
/// The inner loop sees only the support set; the query set only judges the adapted network.
/// Returns the new parameters and meta(θ) at the old ones.
public func metaTrainingStep(
    _ params: Parameters, on task: RegressionTask, settings: TrainingSettings, adapt: @escaping InnerAdaptation
) throws -> (params: Parameters, metaLoss: Double) {
    // Build meta(θ) from the support cost, the adaptation and the query cost, then step against its gradient.
    throw ExerciseError.notImplemented("metaTrainingStep")
}

/// MAML training: `settings.iterations` times, sample a task from `tasks` and take
/// `metaTrainingStep` on it, starting from `initial`.
public func trainMAML(
    from initial: Parameters, tasks: some RegressionTaskFamily, settings: TrainingSettings,
    adapt: @escaping InnerAdaptation, using generator: inout SeededGenerator
) throws -> TrainingRun {
    // Sample a task each iteration and call metaTrainingStep; record the losses.
    throw ExerciseError.notImplemented("trainMAML")
}
