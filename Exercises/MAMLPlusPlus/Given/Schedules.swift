import Autodiff
import ExerciseSupport

/// The schedule of the multi-step loss's importance weights: K inner steps, the number of
/// epochs E over which the weights of the non-final steps decay, and the floor they stop at.
public struct MultiStepLossSchedule: Sendable, Equatable {
    /// K, the number of inner steps (and of importance weights).
    public let steps: Int
    /// E, the epochs it takes the non-final weights to decay from 1/K to the floor.
    public let annealEpochs: Int
    /// The smallest weight a non-final step keeps, at most 1/K.
    public let floor: Double

    /// Checks and stores a schedule. The floor defaults to 0.03/K, the value Antoniou et al. use.
    /// Throws unless K ≥ 1, E ≥ 1 and 0 ≤ floor ≤ 1/K.
    public init(steps: Int, annealEpochs: Int, floor: Double? = nil) throws {
        guard steps >= 1 else { throw ExerciseError.invalidArgument("steps must be at least 1, got \(steps)") }
        guard annealEpochs >= 1 else {
            throw ExerciseError.invalidArgument("annealEpochs must be at least 1, got \(annealEpochs)")
        }
        let floor = floor ?? 0.03 / Double(steps)
        guard floor >= 0, floor <= 1 / Double(steps) else {
            throw ExerciseError.invalidArgument("floor must lie in [0, 1/steps] = [0, \(1 / Double(steps))], got \(floor)")
        }
        self.steps = steps
        self.annealEpochs = annealEpochs
        self.floor = floor
    }
}

/// The cosine schedule of the outer learning rate: β₀ at epoch 0, β_min from epoch T on.
public struct OuterRateSchedule: Sendable, Equatable {
    /// β₀, the outer learning rate at epoch 0.
    public let initial: Double
    /// β_min, the rate the schedule ends at.
    public let minimum: Double
    /// T, the epoch at which the rate reaches β_min.
    public let totalEpochs: Int

    /// Checks and stores a schedule; throws unless 0 ≤ β_min ≤ β₀ (both finite) and T ≥ 1.
    public init(initial: Double, minimum: Double, totalEpochs: Int) throws {
        guard initial.isFinite, minimum.isFinite, minimum >= 0, minimum <= initial else {
            throw ExerciseError.invalidArgument("need 0 ≤ minimum ≤ initial, got minimum \(minimum) and initial \(initial)")
        }
        guard totalEpochs >= 1 else { throw ExerciseError.invalidArgument("totalEpochs must be at least 1, got \(totalEpochs)") }
        self.initial = initial
        self.minimum = minimum
        self.totalEpochs = totalEpochs
    }
}

/// Whether meta-gradients stop at the inner gradients (first order) or flow through them
/// (second order, exact MAML).
public enum DerivativeOrder: String, Sendable, Equatable {
    /// The inner gradients are constants to the outer differentiation: ∂φᵏ/∂φᵏ⁻¹ is taken as I.
    case first
    /// The outer differentiation flows through the inner gradients (Hessian-vector products).
    case second
}

/// Derivative-order annealing: first-order meta-gradients for the first epochs, second order after.
public struct DerivativeOrderSchedule: Sendable, Equatable {
    /// The number of epochs trained with first-order meta-gradients: epochs 0 … firstOrderEpochs − 1.
    public let firstOrderEpochs: Int

    /// Checks and stores a schedule; throws when `firstOrderEpochs` is negative.
    public init(firstOrderEpochs: Int) throws {
        guard firstOrderEpochs >= 0 else {
            throw ExerciseError.invalidArgument("firstOrderEpochs must be at least 0, got \(firstOrderEpochs)")
        }
        self.firstOrderEpochs = firstOrderEpochs
    }
}

/// Everything a MAML++ meta-training step needs besides the data.
public struct MAMLPlusPlusSettings: Sendable, Equatable {
    /// The importance weights of the multi-step loss (and K, the number of inner steps).
    public let multiStepLoss: MultiStepLossSchedule
    /// The cosine-annealed outer learning rate.
    public let outerRate: OuterRateSchedule
    /// When the meta-gradient switches from first to second order.
    public let order: DerivativeOrderSchedule

    /// Collects the three schedules.
    public init(multiStepLoss: MultiStepLossSchedule, outerRate: OuterRateSchedule, order: DerivativeOrderSchedule) {
        self.multiStepLoss = multiStepLoss
        self.outerRate = outerRate
        self.order = order
    }

    /// K, the number of inner steps.
    public var innerSteps: Int { multiStepLoss.steps }
}

/// What one meta-gradient evaluation gives on a meta-batch.
public struct MetaGradient {
    /// The meta-objective: the mean over tasks of their objectives.
    public let loss: Double
    /// Its gradient with respect to every meta-parameter, named like them.
    public let gradient: Parameters
    /// The derivative order the epoch called for.
    public let order: DerivativeOrder

    /// Stores a meta-gradient's result.
    public init(loss: Double, gradient: Parameters, order: DerivativeOrder) {
        self.loss = loss
        self.gradient = gradient
        self.order = order
    }
}
