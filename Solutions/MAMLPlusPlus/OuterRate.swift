import ExerciseSupport
import Foundation

/// The cosine-annealed outer learning rate at `epoch` (counted from 0):
///
///     β(e) = β_min + (β₀ − β_min) · (1 + cos(π · min(e, T) / T)) / 2,
///
/// so β(0) = β₀, β(T/2) is the midpoint and β(e) = β_min for every e ≥ T.
/// Throws when `epoch` is negative.
public func outerLearningRate(epoch: Int, schedule: OuterRateSchedule) throws -> Double {
    guard epoch >= 0 else { throw ExerciseError.invalidArgument("epoch must be at least 0, got \(epoch)") }
    let progress = Double(min(epoch, schedule.totalEpochs)) / Double(schedule.totalEpochs)
    return schedule.minimum + (schedule.initial - schedule.minimum) * (1 + cos(Double.pi * progress)) / 2
}
