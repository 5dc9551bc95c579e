import Autodiff
import LearnedInnerRate

/// `unrolledObjective` as a chapter calls it (exercise LearnedInnerRate): L_val(w_T) with α = `innerRate` learned.
public typealias UnrolledObjectiveFunction = (_ meta: Parameters, _ task: FrequencyTask, _ innerSteps: Int) throws -> Tensor

/// Known-answer checks on the line f(x) = w·x + b (`frequencyNetwork` with one layer) at w = 1,
/// b = 0, α = 0.25, with one training point (1, 0) and one validation point (2, 0). The mean
/// absolute error's gradient at the training point is (1, 1) while f > 0 there, so every step
/// lowers w and b by α, and 𝒥 = |2w + b − 3Tα| = 2, 1.25, 0.5 for T = 0, 1, 2, with ∂𝒥/∂α = −3T.
enum LearnedInnerRateChecks {
    /// The check's meta-parameters.
    static let line: Parameters = ["W1": Tensor(shape: [1, 1], scalars: [1]), "b1": Tensor([0.0]), innerRateName: Tensor([0.25])]

    /// The check's task.
    static var task: FrequencyTask {
        FrequencyTask(frequency: 1, trainInputs: Tensor(shape: [1, 1], scalars: [1]), trainTargets: Tensor(shape: [1, 1], scalars: [0]),
                      validationInputs: Tensor(shape: [1, 1], scalars: [2]), validationTargets: Tensor(shape: [1, 1], scalars: [0]))
    }

    /// The objective after T = 0, 1 and 2 steps.
    static func value(_ unrolledObjective: @escaping UnrolledObjectiveFunction) -> SanityCheck {
        SanityCheck("LearnedInnerRate", "unrolledObjective") {
            for (steps, expected) in [(0, 2.0), (1, 1.25), (2, 0.5)] {
                let value = try unrolledObjective(line, task, steps).scalar
                if !close(value, expected) {
                    return "on the line f(x) = x with training point (1, 0), validation point (2, 0) and α = 0.25 it gave "
                        + "\(shown(value)) after T = \(steps) steps; \(shown(expected)) was expected (the inner steps use the training point only)"
                }
            }
            return nil
        }
    }

    /// The gradient after T = 2 steps: ∂𝒥/∂w = 2, ∂𝒥/∂b = 1 and ∂𝒥/∂α = −6.
    static func gradient(_ unrolledObjective: @escaping UnrolledObjectiveFunction) -> SanityCheck {
        SanityCheck("LearnedInnerRate", "unrolledObjective") {
            let (_, gradient) = try valueAndGradient(throwing: { try unrolledObjective($0, task, 2) }, at: line)
            let rate = gradient[innerRateName]?.scalars.first ?? .nan
            if !close(rate, -6) {
                return "on the same line after T = 2 steps its derivative with respect to \(innerRateName) was \(shown(rate)); −6 was "
                    + "expected (keep α a tensor inside every step)"
            }
            let slopes = [gradient["W1"]?.scalars.first ?? .nan, gradient["b1"]?.scalars.first ?? .nan]
            return close(slopes, [2, 1]) ? nil
                : "on the same line its gradient with respect to (w, b) was \(shown(slopes)); (2, 1) was expected"
        }
    }
}
