import ExerciseSupport
import Foundation

/// The cosine-annealed outer learning rate at `epoch` (counted from 0):
///
///     β(e) = β_min + (β₀ − β_min) · (1 + cos(π · min(e, T) / T)) / 2,
///
/// so β(0) = β₀, β(T/2) is the midpoint and β(e) = β_min for every e ≥ T.
/// Throws when `epoch` is negative.
public func outerLearningRate(epoch: Int, schedule: OuterRateSchedule) throws -> Double {
    // Half a cosine period from β₀ down to β_min over T epochs, then β_min.
    throw ExerciseError.notImplemented("outerLearningRate")
}
