import Autodiff

/// The meta-learning algorithms a training run can use, in one table.
///
/// | algorithm | inner loop adapts | inner rate | meta-gradient |
/// | --- | --- | --- | --- |
/// | `maml` | every parameter | fixed α | second order (through the inner gradients) |
/// | `fomaml` | every parameter | fixed α | first order: ∇L_query(θ_K) |
/// | `anil` | the head only | fixed α | second order |
/// | `metaSGD` | every parameter | learned, one per parameter | second order |
/// | `learnedRate` | every parameter | one learned scalar α | second order |
/// | `mamlPlusPlus` | every parameter | learned, per parameter and step | multi-step loss; first order for the first iterations |
/// | `reptile` | every parameter | fixed α | none: the update direction is θ - mean(θ̃) |
public enum MetaAlgorithm: String, CaseIterable, Codable, Sendable {
    case maml, fomaml, anil
    case metaSGD = "meta-sgd"
    case learnedRate = "learned-rate"
    case mamlPlusPlus = "maml++"
    case reptile

    /// A one-line description for help texts and reports.
    public var summary: String {
        switch self {
        case .maml: "MAML with exact second-order meta-gradients"
        case .fomaml: "first-order MAML (inner gradients treated as constants)"
        case .anil: "ANIL: the inner loop adapts the head only"
        case .metaSGD: "Meta-SGD: one learned inner rate per parameter"
        case .learnedRate: "MAML with one learned scalar inner rate"
        case .mamlPlusPlus: "MAML++: multi-step loss, per-step learned rates, first-order warm-up, cosine outer rate"
        case .reptile: "Reptile: move the initialization toward the adapted parameters"
        }
    }

    /// The inner-rate policy of the algorithm.
    public var innerRatePolicy: (Double) -> InnerLearningRate {
        switch self {
        case .maml, .fomaml, .anil, .reptile: { .fixed($0) }
        case .metaSGD: { _ in .learnedPerParameter }
        case .learnedRate: { _ in .learnedScalar }
        case .mamlPlusPlus: { _ in .learnedPerParameterPerStep }
        }
    }
}

/// The meta-update of one iteration: the loss to report and the direction to descend.
struct MetaUpdate {
    let loss: Double
    let gradient: Parameters
}

extension MetaAlgorithm {
    /// The inner loop this algorithm uses on a problem: `steps` steps (default: the training
    /// run's), at the configured or learned rates, adapting the head only for ANIL.
    public func innerLoop(_ configuration: TrainingConfiguration, headNames: [String], steps: Int? = nil) -> InnerLoop {
        InnerLoop(steps: steps ?? configuration.innerSteps,
                  learningRate: innerRatePolicy(configuration.innerLearningRate),
                  adaptedNames: self == .anil ? headNames : nil)
    }

    /// Fresh meta-parameters for a problem: its model's initial parameters plus any learned rates.
    public func initialParameters(problem: any MetaProblem, configuration: TrainingConfiguration,
                                  generator: inout SeededGenerator) -> Parameters {
        initialMetaParameters(model: problem.initialParameters(generator: &generator), configuration: configuration)
    }

    /// The meta-parameters to start from: the model's plus any learned inner rates.
    func initialMetaParameters(model: Parameters, configuration: TrainingConfiguration) -> Parameters {
        let rates = innerRatePolicy(configuration.innerLearningRate)
            .initialRates(for: model, steps: configuration.innerSteps, alpha: configuration.innerLearningRate)
        return model.merging(rates)
    }

    /// Computes the loss and meta-gradient of one meta-batch at `iteration`.
    func update(_ meta: Parameters, batch: MetaBatch, iteration: Int,
                configuration: TrainingConfiguration, headNames: [String], threads: Int = 1) -> MetaUpdate {
        let loop = innerLoop(configuration, headNames: headNames)
        if self == .reptile {
            // θ - mean(θ̃): with plain SGD of rate ε as the outer optimizer this is batched Reptile.
            let reptile = Reptile(innerSteps: loop.steps, innerLearningRate: configuration.innerLearningRate, outerStepSize: 1)
            let tasks = batch.separateTasks
            let direction = reptile.direction(meta, tasks: tasks)
            let loss = withoutRecording { tasks.map { $0.queryLoss(meta).scalar }.reduce(0, +) / Double(tasks.count) }
            return MetaUpdate(loss: loss, gradient: -direction)
        }
        var order: GradientOrder = self == .fomaml ? .first : .second
        var weights: [Double]? = nil
        if self == .mamlPlusPlus {
            if iteration <= configuration.firstOrderIterations { order = .first }
            if loop.steps > 0 {
                weights = multiStepLossWeights(steps: loop.steps, epoch: iteration,
                                               annealEpochs: configuration.multiStepLossIterations)
            }
        }
        let maml = MAML(innerLoop: loop, order: order, stepWeights: weights)
        let (loss, gradient) = switch batch {
        case .tasks(let tasks): maml.metaGradient(meta, tasks: tasks, threads: threads)
        case .vectorized(let task, let count, _): maml.vectorizedMetaGradient(meta, batch: task, tasks: count)
        }
        return MetaUpdate(loss: loss.scalar, gradient: gradient)
    }
}
