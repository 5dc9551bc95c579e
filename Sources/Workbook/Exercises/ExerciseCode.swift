import Autodiff

/// Where the exercise functions a chapter runs come from.
public enum ExerciseSource: String, Sendable, CaseIterable {
    /// The reference solutions (`Solutions/`), the ordinary build.
    case reference
    /// The student's files (`Exercises/`), built with `MAML_IMPLEMENTATION=exercises`.
    case student

    /// How the page and the terminal name the code: "the reference solution" or "your code".
    public var label: String {
        switch self {
        case .reference: "the reference solution"
        case .student: "your code"
        }
    }
}

/// One exercise function as a chapter calls it, with the exercise and the handout part it comes from.
public struct ExerciseEntry<Function>: @unchecked Sendable {
    /// The exercise's module name, as in `Exercises/<name>` ("GDStep").
    public let exercise: String
    /// The function and the handout part it answers ("gdStep, part 1").
    public let part: String
    /// The function itself, with library-level argument and result types.
    public let function: Function

    /// An entry for `function`, written in exercise `exercise` as `part` of its handout.
    public init(exercise: String, part: String, function: Function) {
        self.exercise = exercise
        self.part = part
        self.function = function
    }
}

/// One gradient step θ' = θ − η ∇cost(θ), differentiable again when run under an outer `grad`.
public typealias GradientStepFunction = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ stepSize: Double
) throws -> Parameters

/// A task's meta-objective cost(θ_K) after `steps` applications of `step` from θ:
/// θ₀ = θ, θₖ₊₁ = step(cost, θₖ, η).
public typealias MetaObjectiveFunction = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ steps: Int, _ stepSize: Double,
    _ step: @escaping GradientStepFunction
) throws -> Tensor

/// The four hyper-parameters of the handout's Adam (no bias correction), (α, β₁, β₂, ε).
public struct AdamSettings: Sendable, Equatable, CustomStringConvertible {
    /// α, the learning rate.
    public var learningRate: Double
    /// β₁, the decay of the gradient average.
    public var beta1: Double
    /// β₂, the decay of the squared-gradient average.
    public var beta2: Double
    /// ε, the damping added to √v.
    public var epsilon: Double

    /// Collects the four numbers.
    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    }

    /// "(α = 0.1, β₁ = 0, β₂ = 0.9, ε = 1e-08)".
    public var description: String { "(α = \(learningRate), β₁ = \(beta1), β₂ = \(beta2), ε = \(epsilon))" }
}

/// The Adam settings that take RMSprop's steps, from RMSprop's (α_R, γ, ε_R).
public typealias RMSpropAsAdamFunction = (_ learningRate: Double, _ decay: Double, _ epsilon: Double) throws -> AdamSettings

/// The Adam settings that take (essentially) momentum SGD's steps, from momentum's (α_S, μ).
public typealias MomentumAsAdamFunction = (_ learningRate: Double, _ momentum: Double) throws -> AdamSettings

/// The largest coordinate gap maxₜ,ᵢ |θₜ,ᵢ − θ̃ₜ,ᵢ| between Adam's iterates on `loss` and on
/// `scale` · `loss`, both from `start`, over `steps` steps.
public typealias IterateGapFunction = (
    _ loss: @escaping (Parameters) -> Tensor, _ scale: Double, _ start: Parameters, _ adam: AdamSettings, _ steps: Int
) throws -> Double

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

/// The exercise functions the chapters can run in place of the library's, one entry per
/// function; a nil entry means the program holds no code for it.
public struct ExerciseCode: Sendable {
    /// Whether the functions are the reference solutions or the student's.
    public var source: ExerciseSource
    /// `gdStep` (exercise GDStep), used by `maml-toy` for the adaptation steps.
    public var gdStep: ExerciseEntry<GradientStepFunction>?
    /// `MetaObjective` (exercise MetaObjective), used by `maml-toy` for a task's loss after K steps.
    public var metaObjective: ExerciseEntry<MetaObjectiveFunction>?
    /// `metaTrainingStep` (exercise MAMLTraining), used by `maml-toy` for one more meta-step on a new task.
    public var metaTrainingStep: ExerciseEntry<MetaTrainingStepFunction>?
    /// `adamEquivalentToRMSprop` (exercise AdamEquivalences, part a), used by `adam`.
    public var rmspropAsAdam: ExerciseEntry<RMSpropAsAdamFunction>?
    /// `adamApproximatingMomentum` (exercise AdamEquivalences, part b), used by `adam`.
    public var momentumAsAdam: ExerciseEntry<MomentumAsAdamFunction>?
    /// `largestIterateGap` with its `Adam.step` (exercise ScaleInvariance), used by `adam`.
    public var iterateGap: ExerciseEntry<IterateGapFunction>?
    /// `adaptationLoss` (exercise SineMAML), used by `sine-maml` for a new task's loss after one step.
    public var adaptationLoss: ExerciseEntry<AdaptationLossFunction>?
    /// `unrolledObjective` (exercise LearnedInnerRate), used by `unrolled-sgd` for every meta-gradient.
    public var unrolledObjective: ExerciseEntry<UnrolledObjectiveFunction>?

    /// `innerLoop` (exercise FOMAML, parts adaptation and fresh), used by `fomaml-omniglot`.
    public var fomamlInnerLoop: ExerciseEntry<InnerLoopFunction>?
    /// `outerLoop` (exercise FOMAML, parts gradient and objective), used by `fomaml-omniglot`.
    public var fomamlOuterLoop: ExerciseEntry<OuterLoopFunction>?

    /// `reptileBatchedStep` (exercise ReptileAndANIL, part batched), used by `reptile-anil`.
    public var reptileStep: ExerciseEntry<ReptileStepFunction>?
    /// `anilAdapt` (exercise ReptileAndANIL, part anil), used by `reptile-anil`.
    public var anilAdapt: ExerciseEntry<ANILAdaptFunction>?

    /// A table from `source` with no entries; set the entries the program holds.
    public init(source: ExerciseSource) {
        self.source = source
    }
}

/// Why the library's stand-in for an exercise function could not run.
public enum ExerciseCodeError: Error, CustomStringConvertible, Equatable {
    /// The arguments cannot be used; the payload says which and why.
    case badInput(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .badInput(let problem): "bad input: \(problem)"
        }
    }
}
