import Autodiff
import MetaLearning
import NeuralNetworks

/// One outer step of MAML on one regression task with the ReLU network `layerN.weight`,
/// `layerN.bias`: meta(θ) = MSE_query(θ_K) with θ_K after K plain gradient steps of size η on
/// MSE_support, then θ ← θ − β ∇meta(θ). Returns the new parameters and meta(θ) at the old ones.
public typealias MetaTrainingStepFunction = (
    _ params: Parameters, _ support: (inputs: Tensor, targets: Tensor), _ query: (inputs: Tensor, targets: Tensor),
    _ innerSteps: Int, _ innerStepSize: Double, _ metaStepSize: Double
) throws -> (params: Parameters, metaLoss: Double)

extension ExerciseAgreement {
    /// The library's meta-training step: MAML's second-order task objective (mean squared
    /// errors, fixed inner rate) and one plain gradient step on it.
    public static var libraryMetaTrainingStep: MetaTrainingStepFunction { { params, support, query, steps, innerStepSize, metaStepSize in
        let sizes = layerSizes(params)
        guard sizes.count >= 2 else { throw ExerciseCodeError.badInput("the parameters need layer1.weight, …, got \(params.names)") }
        let model = MLP(sizes: sizes, activation: .relu)
        let task = MetaTask(supportLoss: { meanSquaredError(model($0, support.inputs), support.targets) },
                            queryLoss: { meanSquaredError(model($0, query.inputs), query.targets) })
        let maml = MAML(innerLoop: InnerLoop(steps: steps, learningRate: .fixed(innerStepSize)), order: .second)
        let (loss, gradient) = maml.metaGradient(params, tasks: [task])
        return ((params - metaStepSize * gradient).detached(), loss.scalar)
    } }

    /// `metaTrainingStep`: the new parameters and the meta-loss of one step on a tiny task.
    public static func metaTrainingStep(_ step: @escaping MetaTrainingStepFunction) throws -> String? {
        let support = (Tensor(shape: [3, 1], scalars: [-1.5, 0.4, 2]), Tensor(shape: [3, 1], scalars: [0.2, -0.5, 0.9]))
        let query = (Tensor(shape: [2, 1], scalars: [-0.3, 1.1]), Tensor(shape: [2, 1], scalars: [0.1, 0.6]))
        let start = tinyNetwork(seed: 9)
        let expected = try libraryMetaTrainingStep(start, support, query, 2, 0.1, 0.05)
        let result = try step(start, support, query, 2, 0.1, 0.05)
        if !(abs(result.metaLoss - expected.metaLoss) <= tolerance) {
            return "the meta-loss \(result.metaLoss) differs from the library's \(expected.metaLoss) on a small task"
        }
        guard let gap = largestDifference(result.params, expected.params) else {
            return "the new parameters are named \(result.params.names), expected \(expected.params.names)"
        }
        return gap <= tolerance ? nil : "one meta-training step differs from the library's by \(gap) (is the meta-gradient second order?)"
    }
}

extension ExerciseSlot where Function == MetaTrainingStepFunction {
    /// `metaTrainingStep` from exercise MAMLTraining.
    public static var metaTrainingStep: Self {
        Self(entry: \.metaTrainingStep, exercise: "MAMLTraining", library: ExerciseAgreement.libraryMetaTrainingStep,
             check: ExerciseAgreement.metaTrainingStep)
    }
}
