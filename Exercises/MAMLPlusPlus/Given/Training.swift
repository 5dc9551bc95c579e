import Autodiff

/// The meta-parameters MAML++ starts from: the model's parameters followed by one learned
/// inner rate per parameter and step, each equal to `innerRate`.
public func initialMetaParameters(model: Parameters, settings: MAMLPlusPlusSettings, innerRate: Double) throws -> Parameters {
    model.merging(try initialInnerRates(for: model, steps: settings.innerSteps, rate: innerRate))
}

/// What one meta-training step did.
public struct TrainingStepResult {
    /// The meta-parameters after the step.
    public let meta: Parameters
    /// The meta-objective before the step.
    public let loss: Double
    /// The outer learning rate the step used.
    public let outerRate: Double
    /// The derivative order of the step's meta-gradient.
    public let order: DerivativeOrder
}

/// One MAML++ meta-training step at `epoch`, putting the four pieces together:
///
///     w = importanceWeights(epoch),   objective(Θ, task) = Σₖ wₖ L_query(φᵏ(Θ)),
///     g = metaGradient(Θ, tasks, epoch),   Θ ← Θ − β(epoch) · g,
///
/// where φᵏ(Θ) comes from `adapt` with the learned rates of Θ and β is the cosine-annealed
/// outer rate. Plain gradient descent keeps the step readable; the workbook uses Adam at the
/// same annealed rate.
public func metaTrainingStep(_ meta: Parameters, tasks: [MetaTask], epoch: Int, settings: MAMLPlusPlusSettings) throws
    -> TrainingStepResult {
    let weights = try importanceWeights(epoch: epoch, schedule: settings.multiStepLoss)
    let steps = settings.innerSteps
    let objective: TaskObjective = { meta, task in
        let trajectory = try adapt(meta, supportLoss: task.supportLoss, steps: steps)
        return try multiStepLoss(trajectory: trajectory, queryLoss: task.queryLoss, weights: weights)
    }
    let result = try metaGradient(meta, tasks: tasks, epoch: epoch, schedule: settings.order, objective: objective)
    let rate = try outerLearningRate(epoch: epoch, schedule: settings.outerRate)
    return TrainingStepResult(meta: meta - rate * result.gradient, loss: result.loss, outerRate: rate, order: result.order)
}
