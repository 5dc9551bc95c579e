import Autodiff
import SineMAML

/// `adaptationLoss` as a chapter calls it (exercise SineMAML): L_Q(θ − α∇L_S(θ)), summed squared errors.
public typealias AdaptationLossFunction = (
    _ params: Parameters, _ support: (inputs: Tensor, targets: Tensor), _ query: (inputs: Tensor, targets: Tensor), _ stepSize: Double
) throws -> Tensor
/// `batchedAdaptationLoss` as a chapter calls it (exercise SineMAML): the mean of the tasks' adaptation losses.
public typealias BatchedAdaptationLossFunction = (_ params: Parameters, _ tasks: SineTaskBatch, _ stepSize: Double) throws -> Tensor

/// Known-answer checks on the line f(x) = w·x + b (`sineNetwork` with one layer) at w = 1, b = 0,
/// α = 0.125. Task 1: support x = (1, −1), y = (0, 0), so L_S = 2w² + 2b², ∇L_S = (4w, 4b) and
/// θ' = θ/2; query x = 2, y = 0, so ℓ = (2w' + b')² = ¼(2w + b)² = 1 with gradient (2w + b, ½(2w + b)) = (2, 1).
/// Task 2: support targets (1, 1), so θ' = (w/2, b/2 + ½) and ℓ = (w + b/2 + ½)² = 2.25 with gradient (3, 1.5).
enum SineMAMLChecks {
    /// The line's parameters in `sineNetwork`'s naming.
    static let line: Parameters = ["W1": Tensor(shape: [1, 1], scalars: [1]), "b1": Tensor(shape: [1, 1], scalars: [0])]

    /// Inputs or targets of one task as an [n, 1] column.
    static func column(_ values: [Double]) -> Tensor { Tensor(shape: [values.count, 1], scalars: values) }

    /// Task 1's loss and its gradient (second order: a detached inner gradient gives (4, 2)).
    static func single(_ adaptationLoss: @escaping AdaptationLossFunction) -> SanityCheck {
        SanityCheck("SineMAML", "adaptationLoss") {
            let (support, query) = ((column([1, -1]), column([0, 0])), (column([2]), column([0])))
            let (value, gradient) = try valueAndGradient(throwing: { try adaptationLoss($0, support, query, 0.125) }, at: line)
            if !close(value.scalar, 1) {
                return "on the line f(x) = x with support points (1, 0) and (−1, 0), query (2, 0) and α = 0.125 it gave "
                    + "\(shown(value.scalar)); the summed squared error after one step, 1, was expected"
            }
            let slopes = [gradient["W1"]?.scalars.first ?? .nan, gradient["b1"]?.scalars.first ?? .nan]
            return close(slopes, [2, 1]) ? nil
                : "on the same task its gradient with respect to (w, b) was \(shown(slopes)); the second-order (2, 1) was expected "
                    + "(keep the inner gradient differentiable)"
        }
    }

    /// Both tasks as a batch: the mean 1.625 and the mean gradient (2.5, 1.25).
    static func batched(_ batchedAdaptationLoss: @escaping BatchedAdaptationLossFunction) -> SanityCheck {
        SanityCheck("SineMAML", "batchedAdaptationLoss") {
            let batch = try SineTaskBatch(supportInputs: Tensor(shape: [2, 2, 1], scalars: [1, -1, 1, -1]),
                                          supportTargets: Tensor(shape: [2, 2, 1], scalars: [0, 0, 1, 1]),
                                          queryInputs: Tensor(shape: [2, 1, 1], scalars: [2, 2]), queryTargets: Tensor(shape: [2, 1, 1], scalars: [0, 0]))
            let (value, gradient) = try valueAndGradient(throwing: { try batchedAdaptationLoss($0, batch, 0.125) }, at: line)
            if !close(value.scalar, 1.625) {
                return "on two tasks of the line f(x) = x whose own losses are 1 and 2.25 it gave \(shown(value.scalar)); their mean, "
                    + "1.625, was expected (every task adapted with its own gradient, then averaged)"
            }
            let slopes = [gradient["W1"]?.scalars.first ?? .nan, gradient["b1"]?.scalars.first ?? .nan]
            return close(slopes, [2.5, 1.25]) ? nil
                : "on the same two tasks its gradient was \(shown(slopes)); the mean of the tasks' gradients, (2.5, 1.25), was expected"
        }
    }
}
