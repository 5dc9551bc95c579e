import Autodiff
import Dispatch
import ExerciseSupport
import NeuralNetworks
import TaskData

/// One point of the validation curve: after `iteration` pre-training steps, the mean
/// post-adaptation query accuracy (and loss) of transfer learning over the held-out episodes.
public struct ValidationPoint: Codable, Sendable, Equatable {
    /// The pre-training steps taken before this validation (0 = the initial weights).
    public let iteration: Int
    /// The mean over episodes of the query accuracy after training the new head on the support set.
    public let accuracy: Double
    /// The mean over episodes of the query cross-entropy after training the new head.
    public let loss: Double

    /// Stores one validation's result.
    public init(iteration: Int, accuracy: Double, loss: Double) {
        self.iteration = iteration
        self.accuracy = accuracy
        self.loss = loss
    }
}

/// Where an assessment run stands after one pre-training step, for a progress line.
public struct AssessmentProgress: Sendable {
    /// The pre-training steps taken so far.
    public let iteration: Int
    /// The pre-training steps the run will take.
    public let iterations: Int
    /// The cross-entropy of the last mini-batch over all pre-training classes.
    public let loss: Double
    /// The latest validation (nil until the first).
    public let validation: ValidationPoint?
    /// Seconds since the run started.
    public let elapsedSeconds: Double

    /// Stores a progress report.
    public init(iteration: Int, iterations: Int, loss: Double, validation: ValidationPoint?, elapsedSeconds: Double) {
        self.iteration = iteration
        self.iterations = iterations
        self.loss = loss
        self.validation = validation
        self.elapsedSeconds = elapsedSeconds
    }

    /// The seconds the remaining steps should take at the pace so far.
    public var secondsLeft: Double {
        iteration == 0 ? .nan : elapsedSeconds / Double(iteration) * Double(iterations - iteration)
    }
}

/// The outcome of `trainTransfer`: the pretrained network and the validation curve that led there.
public struct AssessmentRun: Sendable {
    /// The hyper-parameters of the run.
    public let settings: AssessmentSettings
    /// The final pretrained network: the body and the all-class head (not the best weights).
    public let pretrained: PretrainedNetwork
    /// The validations, in order of iteration; the last one is of `pretrained`.
    public let curve: [ValidationPoint]
    /// The cross-entropy of every pre-training mini-batch, in order.
    public let losses: [Double]
    /// Where the classes and episodes came from.
    public let dataDescription: String
    /// Wall-clock seconds of the whole run.
    public let seconds: Double

    /// Stores a finished run; `curve` must not be empty.
    public init(settings: AssessmentSettings, pretrained: PretrainedNetwork, curve: [ValidationPoint], losses: [Double],
                dataDescription: String, seconds: Double) {
        precondition(!curve.isEmpty, "AssessmentRun: a run validates at least once")
        self.settings = settings
        self.pretrained = pretrained
        self.curve = curve
        self.losses = losses
        self.dataDescription = dataDescription
        self.seconds = seconds
    }

    /// The validation with the highest accuracy (the earliest of equals).
    public var best: ValidationPoint { curve.reduce(curve[0]) { $1.accuracy > $0.accuracy ? $1 : $0 } }
    /// The validation of the final weights.
    public var final: ValidationPoint { curve[curve.count - 1] }
}

/// Pre-trains the convolutional network on every pre-training class with the given `pretrain`
/// and follows how well its body transfers, using this module's `evaluateTransfer` (that is,
/// `adaptHead` and both forms of `transferLearn`):
///
///     θ⁰ = initial weights;  θᵗ = Adam step on −(1/B) Σᵢ log softmax(net(θᵗ⁻¹, xᵢ))_(yᵢ)   t = 1 … T
///     at t = 0, every `validateEvery` steps and t = T, for each validation episode i:
///         headᵢ = fresh N-way head (the same draws at every validation)
///         φᵢ = body(θᵗ) topped by headᵢ after S steps of size α on Dᵢ^sup
///         accuracy(t) = (1/n) Σᵢ acc(net(φᵢ, Dᵢ^query))
///
/// The validation episodes are drawn once, from their own generator, so every point of the
/// curve measures the same episodes from the same starting heads. `progress` is called after
/// every step.
public func trainTransfer(data: AssessmentData, settings: AssessmentSettings,
                          progress: (AssessmentProgress) -> Void = { _ in }) throws -> AssessmentRun {
    try settings.check()
    guard (data.validation.ways, data.validation.shots, data.validation.queries) == (settings.ways, settings.shots, settings.queries) else {
        throw ExerciseError.invalidArgument("the validation episodes are not \(settings.ways)-way \(settings.shots)-shot "
            + "\(settings.queries)-query as the settings say")
    }
    let started = DispatchTime.now().uptimeNanoseconds
    let elapsed = { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    let transfer = try settings.transferSettings()
    var episodeGenerator = SeededGenerator(seed: settings.seed &+ 0x5EED)
    let episodes = data.validation.sampleBatch(count: settings.validationEpisodes, generator: &episodeGenerator)
    let validationIterations = Set(settings.validationIterations)
    let network = ConvNet(ways: data.pretraining.classes.count, filters: settings.filters, blocks: settings.blocks)

    var curve: [ValidationPoint] = []
    func validate(_ parameters: Parameters, after iteration: Int) throws {
        var headGenerator = SeededGenerator(seed: settings.seed &+ 0x4EAD)
        let summary = try evaluateTransfer(try PretrainedNetwork(network: network, parameters: parameters), episodes: episodes,
                                           settings: transfer, generator: &headGenerator)
        curve.append(ValidationPoint(iteration: iteration, accuracy: summary.meanQueryAccuracy, loss: summary.meanQueryLoss))
    }

    var generator = SeededGenerator(seed: settings.seed)
    let run = try pretrain(on: data.pretraining, filters: settings.filters, blocks: settings.blocks,
                           settings: try settings.pretrainingSettings(), generator: &generator) { iteration, parameters, loss in
        if validationIterations.contains(iteration) { try validate(parameters, after: iteration) }
        if let loss {
            progress(AssessmentProgress(iteration: iteration, iterations: settings.pretrainingIterations, loss: loss,
                                        validation: curve.last, elapsedSeconds: elapsed()))
        }
    }
    return AssessmentRun(settings: settings, pretrained: run.pretrained, curve: curve, losses: run.losses,
                         dataDescription: data.description, seconds: elapsed())
}
