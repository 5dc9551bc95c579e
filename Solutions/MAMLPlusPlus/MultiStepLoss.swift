import Autodiff
import ExerciseSupport

/// The importance weights w₁ … w_K of the multi-step loss at `epoch` (counted from 0).
///
/// Every weight starts at 1/K. The K − 1 non-final weights fall linearly, reaching the floor
/// after E = `schedule.annealEpochs` epochs and staying there; the last weight takes what they
/// give up, so the weights always sum to 1:
///
///     v(e) = max(1/K − e/(K·E), floor),   wₖ = v(e) for k < K,   w_K = 1 − (K − 1)·v(e).
///
/// Throws when `epoch` is negative.
public func importanceWeights(epoch: Int, schedule: MultiStepLossSchedule) throws -> [Double] {
    guard epoch >= 0 else { throw ExerciseError.invalidArgument("epoch must be at least 0, got \(epoch)") }
    let steps = Double(schedule.steps)
    let decayed = 1 / steps - Double(epoch) / (steps * Double(schedule.annealEpochs))
    let nonFinal = max(decayed, schedule.floor)
    return Array(repeating: nonFinal, count: schedule.steps - 1) + [1 - (steps - 1) * nonFinal]
}

/// The multi-step loss of one task: the query loss after every inner step, weighted,
///
///     L_msl = Σₖ₌₁ᴷ wₖ · L_query(φᵏ),
///
/// where `trajectory` is φ⁰ … φᴷ (φ⁰, the unadapted parameters, is not scored) and `weights`
/// is w₁ … w_K. The result stays differentiable through the trajectory.
/// Throws unless there is exactly one weight per inner step and at least one step.
public func multiStepLoss(trajectory: [Parameters], queryLoss: Loss, weights: [Double]) throws -> Tensor {
    guard !weights.isEmpty else { throw ExerciseError.invalidArgument("the multi-step loss needs at least one inner step") }
    guard trajectory.count == weights.count + 1 else {
        throw ExerciseError.invalidArgument("\(weights.count) weights for a trajectory of \(trajectory.count) parameter sets (need steps + 1)")
    }
    var total = weights[0] * queryLoss(trajectory[1])
    for step in 2..<(weights.count + 1) {
        total = total + weights[step - 1] * queryLoss(trajectory[step])
    }
    return total
}
