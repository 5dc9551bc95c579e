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

    /// `adaptHead` (exercise TransferLearning, parts frozen and adaptation), used by `transfer`.
    public var headAdaptation: ExerciseEntry<HeadAdaptationFunction>?
    /// `transferLearn` on one episode (exercise TransferLearning, parts support and evaluation), used by `transfer`.
    public var episodeTransfer: ExerciseEntry<EpisodeTransferFunction>?
    /// `transferLearn` over several episodes (exercise TransferLearning, part batch), used by `transfer`.
    public var transferEpisodes: ExerciseEntry<TransferEpisodesFunction>?

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
