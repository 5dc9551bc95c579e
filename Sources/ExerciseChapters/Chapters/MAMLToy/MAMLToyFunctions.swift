import Autodiff
import MAMLTraining

extension MAMLToyChapter {
    /// The exercise functions the chapter runs: exercises GDStep, MetaObjective and MAMLTraining.
    public struct Functions: @unchecked Sendable {
        /// `gdStep` (GDStep).
        public var gdStep: GradientStepFunction
        /// `MetaObjective(innerCost:numSteps:stepSize:step:)(θ)` (MetaObjective).
        public var metaObjective: MetaObjectiveFunction
        /// `metaTrainingStep` (MAMLTraining).
        public var metaTrainingStep: MetaTrainingStepFunction
        /// `trainMAML` (MAMLTraining).
        public var trainMAML: TrainMAMLFunction

        /// The four functions.
        public init(gdStep: @escaping GradientStepFunction, metaObjective: @escaping MetaObjectiveFunction,
                    metaTrainingStep: @escaping MetaTrainingStepFunction, trainMAML: @escaping TrainMAMLFunction) {
            self.gdStep = gdStep
            self.metaObjective = metaObjective
            self.metaTrainingStep = metaTrainingStep
            self.trainMAML = trainMAML
        }

        /// The checks of `gdStep`.
        var stepChecks: [SanityCheck] { [GDStepChecks.value(gdStep), GDStepChecks.differentiable(gdStep)] }
        /// The checks of `MetaObjective` (after those of `gdStep`, which it runs in this chapter).
        var objectiveChecks: [SanityCheck] {
            stepChecks + [MetaObjectiveChecks.value(metaObjective), MetaObjectiveChecks.gradient(metaObjective)]
        }
        /// Every check the training sections need.
        var trainingChecks: [SanityCheck] {
            objectiveChecks + [MAMLTrainingChecks.step(metaTrainingStep), MAMLTrainingChecks.training(trainMAML)]
        }

        /// θ₀, θ₁, …, θ_K: K inner steps from θ taken by the student's `MetaObjective` with the
        /// student's `gdStep` as its step. The step records where it lands, so the path comes out of
        /// the objective's own loop; the points stay differentiable in θ.
        func innerPath(_ cost: @escaping (Parameters) -> Tensor, from params: Parameters, steps: Int, stepSize: Double) throws
            -> [Parameters] {
            var path = [params]
            let gdStep = self.gdStep
            let recordingStep: GradientStepFunction = { cost, point, stepSize in
                let next = try gdStep(cost, point, stepSize)
                path.append(next)
                return next
            }
            _ = try metaObjective(cost, params, steps, stepSize, recordingStep)
            guard path.count == steps + 1 else {
                throw UnusableResult(description: "MetaObjective took \(path.count - 1) steps for K = \(steps)")
            }
            return path
        }

        /// The inner loop `trainMAML` and `metaTrainingStep` take: θ_K of `innerPath`.
        var adaptation: InnerAdaptation {
            { cost, params, steps, stepSize in try innerPath(cost, from: params, steps: steps, stepSize: stepSize).last! }
        }
    }
}
