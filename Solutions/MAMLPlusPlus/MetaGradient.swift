import Autodiff
import ExerciseSupport

/// The derivative order of the meta-gradient at `epoch` (counted from 0): first order for
/// epochs 0 … E − 1, second order from epoch E = `schedule.firstOrderEpochs` on.
/// Throws when `epoch` is negative.
public func derivativeOrder(epoch: Int, schedule: DerivativeOrderSchedule) throws -> DerivativeOrder {
    guard epoch >= 0 else { throw ExerciseError.invalidArgument("epoch must be at least 0, got \(epoch)") }
    return epoch < schedule.firstOrderEpochs ? .first : .second
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
    guard !tasks.isEmpty else { throw ExerciseError.invalidArgument("metaGradient needs at least one task") }
    let order = try derivativeOrder(epoch: epoch, schedule: schedule)
    var totalLoss = 0.0
    var totalGradient = meta.zerosLike()
    for task in tasks {
        let evaluate = { try valueAndGradient(of: { try objective($0, task) }, at: meta) }
        let (loss, gradient) = order == .first ? try withFirstOrderGradients(evaluate) : try evaluate()
        totalLoss += loss.scalar
        totalGradient = totalGradient + gradient
    }
    let n = Double(tasks.count)
    return MetaGradient(loss: totalLoss / n, gradient: totalGradient / n, order: order)
}
