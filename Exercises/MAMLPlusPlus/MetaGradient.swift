import Autodiff
import ExerciseSupport

/// The derivative order of the meta-gradient at `epoch` (counted from 0): first order for
/// epochs 0 … E − 1, second order from epoch E = `schedule.firstOrderEpochs` on.
/// Throws when `epoch` is negative.
public func derivativeOrder(epoch: Int, schedule: DerivativeOrderSchedule) throws -> DerivativeOrder {
    // First order before epoch E, second order from E on.
    throw ExerciseError.notImplemented("derivativeOrder")
}

/// The meta-objective and its gradient on a meta-batch of n tasks at `epoch`:
///
///     J(Θ) = (1/n) Σᵢ objective(Θ, taskᵢ),   gradient = ∇_Θ J(Θ),
///
/// where Θ = `meta` holds the model parameters and the learned inner rates. At a first-order
/// epoch the gradient is taken with the inner gradients held constant (the objective runs inside
/// `withFirstOrderGradients`); at a second-order epoch it flows through them.
/// Throws when `tasks` is empty, and passes on the objective's errors.
public func metaGradient(
    _ meta: Parameters, tasks: [MetaTask], epoch: Int, schedule: DerivativeOrderSchedule, objective: @escaping TaskObjective
) throws -> MetaGradient {
    // Average the objectives and their gradients over the tasks, in the epoch's derivative order.
    throw ExerciseError.notImplemented("metaGradient")
}
