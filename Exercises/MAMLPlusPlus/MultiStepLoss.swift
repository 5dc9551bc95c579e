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
    // K − 1 equal non-final weights decaying from 1/K to the floor, and a final weight making the sum 1.
    throw ExerciseError.notImplemented("importanceWeights")
}

/// The multi-step loss of one task: the query loss after every inner step, weighted,
///
///     L_msl = Σₖ₌₁ᴷ wₖ · L_query(φᵏ),
///
/// where `trajectory` is φ⁰ … φᴷ (φ⁰, the unadapted parameters, is not scored) and `weights`
/// is w₁ … w_K. The result stays differentiable through the trajectory.
/// Throws unless there is exactly one weight per inner step and at least one step.
public func multiStepLoss(trajectory: [Parameters], queryLoss: Loss, weights: [Double]) throws -> Tensor {
    // Sum the weighted query losses of φ¹ … φᴷ.
    throw ExerciseError.notImplemented("multiStepLoss")
}
