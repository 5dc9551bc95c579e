import Autodiff
import MAMLTraining

/// One outer step of MAML on one task as a chapter calls it (exercise MAMLTraining's
/// `metaTrainingStep`): θ − β∇meta(θ) and meta(θ), meta(θ) = L_Q(adapt(L_S, θ, K, η)).
public typealias MetaTrainingStepFunction = (
    _ params: Parameters, _ task: RegressionTask, _ settings: TrainingSettings, _ adapt: @escaping InnerAdaptation
) throws -> (params: Parameters, metaLoss: Double)

/// MAML training as a chapter calls it (exercise MAMLTraining's `trainMAML`).
public typealias TrainMAMLFunction = (
    _ initial: Parameters, _ tasks: PiecewiseConstantTasks, _ settings: TrainingSettings, _ adapt: @escaping InnerAdaptation,
    _ generator: inout SeededGenerator
) throws -> TrainingRun

/// Known-answer checks of the training loop, on the linear network f(x) = W1·x + b1 (widths
/// [1, 1]) and an inner loop the check supplies, so that they do not depend on earlier exercises.
enum MAMLTrainingChecks {
    /// The check's network: W1 = 2, b1 = 0.
    static let line: Parameters = ["W1": Tensor(shape: [1, 1], scalars: [2]), "b1": Tensor([0.0])]

    /// One step with the inner loop θ ↦ θ/2: support (x, y) = (1, 3) costs (2 − 3)² = 1 at θ;
    /// the adapted (W1, b1) = (1, 0) predicts 2 at the query x = 2 with target 1, so meta(θ) = 1;
    /// ∇_φ L_Q = (2·1·2, 2·1) = (4, 2), times ½ through the inner loop: (2, 1); with β = 0.1 the
    /// step lands on (1.8, −0.1).
    static func step(_ metaTrainingStep: @escaping MetaTrainingStepFunction) -> SanityCheck {
        SanityCheck("MAMLTraining", "metaTrainingStep") {
            let task = try RegressionTask(supportInputs: Tensor(shape: [1, 1], scalars: [1]), supportTargets: Tensor(shape: [1, 1], scalars: [3]),
                                          queryInputs: Tensor(shape: [1, 1], scalars: [2]), queryTargets: Tensor(shape: [1, 1], scalars: [1]))
            let settings = try TrainingSettings(numSteps: 1, innerStepSize: 0.1, metaStepSize: 0.1, iterations: 1)
            var innerCosts: [Double] = []
            let halve: InnerAdaptation = { cost, params, _, _ in
                innerCosts.append(withoutRecording { cost(params.detached()).scalar })
                return 0.5 * params
            }
            let (next, metaLoss) = try metaTrainingStep(line, task, settings, halve)
            guard let innerCost = innerCosts.first else { return "metaTrainingStep never called adapt for the inner loop" }
            if !close(innerCost, 1) {
                return "metaTrainingStep handed the inner loop a cost of \(shown(innerCost)) at θ; the support cost there is 1 "
                    + "(only the support set may drive the inner loop)"
            }
            if !close(metaLoss, 1) {
                return "with the inner loop θ ↦ θ/2 on the line f(x) = 2x, metaTrainingStep gave meta(θ) = \(shown(metaLoss)); "
                    + "the query cost of the adapted line, 1, was expected"
            }
            let moved = [next["W1"]?.scalars.first ?? .nan, next["b1"]?.scalars.first ?? .nan]
            return next.names == ["W1", "b1"] && close(moved, [1.8, -0.1]) ? nil
                : "with the inner loop θ ↦ θ/2 and β = 0.1, metaTrainingStep moved (W1, b1) from (2, 0) to \(shown(moved)); "
                    + "θ − β∇meta(θ) = (1.8, −0.1) was expected (a step against the gradient taken through adapt)"
        }
    }

    /// Three iterations with β = 0 and the inner loop θ ↦ θ: θ never moves, and the losses are
    /// the query costs of the three tasks drawn in turn from the generator.
    static func training(_ trainMAML: @escaping TrainMAMLFunction) -> SanityCheck {
        SanityCheck("MAMLTraining", "trainMAML") {
            let tasks = try PiecewiseConstantTasks(supportSize: 2, querySize: 3)
            let settings = try TrainingSettings(numSteps: 1, innerStepSize: 0.1, metaStepSize: 0, iterations: 3)
            var generator = SeededGenerator(seed: 5), replay = generator
            let expected = (0..<3).map { _ -> Double in
                let task = tasks.sample(using: &replay)
                return regressionCost(line, inputs: task.queryInputs, targets: task.queryTargets).scalar
            }
            let run = try trainMAML(line, tasks, settings, { _, params, _, _ in params }, &generator)
            guard close(run.metaLosses, expected) else {
                return "with β = 0 and 3 iterations trainMAML recorded the losses \(shown(run.metaLosses)); the query costs "
                    + "of the 3 tasks it should draw, one per iteration, are \(shown(expected))"
            }
            return close(flatScalars(run.params), flatScalars(line)) ? nil
                : "with β = 0 trainMAML moved the parameters to \(shown(flatScalars(run.params))); they should stay at (2, 0)"
        }
    }
}
