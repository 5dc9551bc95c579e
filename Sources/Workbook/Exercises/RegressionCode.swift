import Autodiff
import MetaLearning
import NeuralNetworks

/// One task of the unrolled-SGD chapter: inner-loop (train) and outer-loss (validation) points, [n, 1] each.
public struct UnrolledTask {
    /// Inputs and targets of the inner steps.
    public let trainInputs: Tensor, trainTargets: Tensor
    /// Inputs and targets of the outer loss.
    public let validationInputs: Tensor, validationTargets: Tensor

    /// A task from its four columns.
    public init(trainInputs: Tensor, trainTargets: Tensor, validationInputs: Tensor, validationTargets: Tensor) {
        (self.trainInputs, self.trainTargets) = (trainInputs, trainTargets)
        (self.validationInputs, self.validationTargets) = (validationInputs, validationTargets)
    }
}

/// The unrolled meta-objective with a learned inner rate: for meta-parameters holding the
/// 1-H-H-1 tanh network `layerN.weight`, `layerN.bias` and the rate `inner.lr`,
/// w₀ = w, w_t = w_{t−1} − α ∇L_train(w_{t−1}) for t = 1…T, objective = L_val(w_T), L the mean absolute error.
public typealias UnrolledObjectiveFunction = (_ meta: Parameters, _ task: UnrolledTask, _ innerSteps: Int) throws -> Tensor

/// MAML's loss for one task after one adaptation step, θ' = θ − α ∇L_support(θ), loss = L_query(θ'),
/// with L the summed squared error of the ReLU network `layerN.weight`, `layerN.bias`; sets are [n, 1].
public typealias AdaptationLossFunction = (
    _ params: Parameters, _ support: (inputs: Tensor, targets: Tensor), _ query: (inputs: Tensor, targets: Tensor), _ stepSize: Double
) throws -> Tensor

extension ExerciseAgreement {
    /// The library's one-step adaptation loss: MAML's task objective with one step of size α
    /// and the summed squared error Σᵢ (f(xᵢ) − yᵢ)² of the ReLU network as both losses.
    public static var libraryAdaptationLoss: AdaptationLossFunction { { params, support, query, stepSize in
        let sizes = layerSizes(params)
        guard sizes.count >= 2 else { throw ExerciseCodeError.badInput("the parameters need layer1.weight, …, got \(params.names)") }
        let model = MLP(sizes: sizes, activation: .relu)
        let task = MetaTask(supportLoss: { (model($0, support.inputs) - support.targets).squared.sum() },
                            queryLoss: { (model($0, query.inputs) - query.targets).squared.sum() })
        return MAML(innerLoop: InnerLoop(steps: 1, learningRate: .fixed(stepSize)), order: .second).taskObjective(params, task: task)
    } }

    /// The library's unrolled objective: MAML's task objective with a learned scalar inner rate
    /// `inner.lr` on the tanh network whose layer sizes the weights' shapes give.
    public static var libraryUnrolledObjective: UnrolledObjectiveFunction { { meta, task, steps in
        let sizes = layerSizes(meta)
        guard sizes.count >= 2, meta["inner.lr"] != nil else {
            throw ExerciseCodeError.badInput("the meta-parameters need layer1.weight, … and inner.lr, got \(meta.names)")
        }
        let model = MLP(sizes: sizes, activation: .tanh)
        let metaTask = MetaTask(supportLoss: { meanAbsoluteError(model($0, task.trainInputs), task.trainTargets) },
                                queryLoss: { meanAbsoluteError(model($0, task.validationInputs), task.validationTargets) })
        return MAML(innerLoop: InnerLoop(steps: steps, learningRate: .learnedScalar), order: .second).taskObjective(meta, task: metaTask)
    } }

    /// `adaptationLoss`: value and second-order gradient on a 1-3-3-1 ReLU network.
    public static func adaptationLoss(_ loss: @escaping AdaptationLossFunction) throws -> String? {
        let support = (Tensor(shape: [3, 1], scalars: [-1.5, 0.4, 2]), Tensor(shape: [3, 1], scalars: [0.2, -0.5, 0.9]))
        let query = (Tensor(shape: [2, 1], scalars: [-0.3, 1.1]), Tensor(shape: [2, 1], scalars: [0.1, 0.6]))
        return try compare({ try loss($0, support, query, 0.05) }, with: { try libraryAdaptationLoss($0, support, query, 0.05) },
                           at: tinyNetwork(seed: 6), what: "the loss after one adaptation step")
    }

    /// `unrolledObjective`: value and gradient (α included) on a 1-3-3-1 tanh network, two steps.
    public static func unrolledObjective(_ objective: @escaping UnrolledObjectiveFunction) throws -> String? {
        let meta = tinyNetwork(seed: 5).merging(["inner.lr": Tensor(0.3, dtype: .float64)])
        let task = UnrolledTask(trainInputs: Tensor(shape: [3, 1], scalars: [-1, 0.4, 2]), trainTargets: Tensor(shape: [3, 1], scalars: [0.2, -0.5, 0.9]),
                                validationInputs: Tensor(shape: [2, 1], scalars: [-0.3, 1.1]), validationTargets: Tensor(shape: [2, 1], scalars: [0.1, 0.6]))
        return try compare({ try objective($0, task, 2) }, with: { try libraryUnrolledObjective($0, task, 2) },
                           at: meta, what: "the unrolled objective after two steps")
    }
}

extension ExerciseSlot where Function == AdaptationLossFunction {
    /// `adaptationLoss` from exercise SineMAML.
    public static var adaptationLoss: Self {
        Self(entry: \.adaptationLoss, exercise: "SineMAML", library: ExerciseAgreement.libraryAdaptationLoss,
             check: ExerciseAgreement.adaptationLoss)
    }
}

extension ExerciseSlot where Function == UnrolledObjectiveFunction {
    /// `unrolledObjective` from exercise LearnedInnerRate.
    public static var unrolledObjective: Self {
        Self(entry: \.unrolledObjective, exercise: "LearnedInnerRate", library: ExerciseAgreement.libraryUnrolledObjective,
             check: ExerciseAgreement.unrolledObjective)
    }
}
