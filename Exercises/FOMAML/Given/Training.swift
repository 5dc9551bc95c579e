import Autodiff
import Dispatch
import ExerciseSupport
import NeuralNetworks
import TaskData

/// Where a training run stands after one outer step, for a progress line.
public struct TrainingProgress: Sendable {
    /// The outer steps taken so far.
    public let iteration: Int
    /// The outer steps the run will take.
    public let iterations: Int
    /// The FO-MAML objective of the last meta-batch (mean post-adaptation query loss).
    public let loss: Double
    /// The mean post-adaptation query accuracy of the last meta-batch.
    public let queryAccuracy: Double
    /// The latest validation (nil until the first).
    public let validation: ValidationPoint?
    /// Seconds since the run started.
    public let elapsedSeconds: Double

    /// Stores a progress report.
    public init(iteration: Int, iterations: Int, loss: Double, queryAccuracy: Double, validation: ValidationPoint?,
                elapsedSeconds: Double) {
        self.iteration = iteration
        self.iterations = iterations
        self.loss = loss
        self.queryAccuracy = queryAccuracy
        self.validation = validation
        self.elapsedSeconds = elapsedSeconds
    }

    /// The seconds the remaining steps should take at the pace so far.
    public var secondsLeft: Double {
        iteration == 0 ? .nan : elapsedSeconds / Double(iteration) * Double(iterations - iteration)
    }
}

/// The outcome of `trainFOMAML`: the final weights and the validation curve that led there.
public struct TrainingRun: Sendable {
    /// The hyper-parameters of the run.
    public let settings: TrainingSettings
    /// The network the weights belong to.
    public let network: ConvNet
    /// θ after the last outer step (the final weights, not the best ones).
    public let parameters: Parameters
    /// The validations, in order of iteration; the last one is of `parameters`.
    public let curve: [ValidationPoint]
    /// Where the episodes came from.
    public let dataDescription: String
    /// Wall-clock seconds of the whole run.
    public let seconds: Double

    /// Stores a finished run; `curve` must not be empty.
    public init(settings: TrainingSettings, network: ConvNet, parameters: Parameters, curve: [ValidationPoint],
                dataDescription: String, seconds: Double) {
        precondition(!curve.isEmpty, "TrainingRun: a run validates at least once")
        self.settings = settings
        self.network = network
        self.parameters = parameters
        self.curve = curve
        self.dataDescription = dataDescription
        self.seconds = seconds
    }

    /// The validation with the highest accuracy (the earliest of equals).
    public var best: ValidationPoint { curve.reduce(curve[0]) { $1.accuracy > $0.accuracy ? $1 : $0 } }
    /// The validation of the final weights.
    public var final: ValidationPoint { curve[curve.count - 1] }
}

/// Meta-trains the convolutional network with FO-MAML, using this module's `innerLoop` and
/// `outerLoop`:
///
///     for t = 1 … T:   episodes ~ training alphabets (n of them)
///                      g = outerLoop(θ, episodes).gradient        (first-order meta-gradient)
///                      θ ← Adam(θ, g)                              (β, β₁, β₂, ε from `settings`)
///
/// and validates at iteration 0, every `validateEvery` iterations and at the end: the mean
/// post-adaptation query accuracy over `validationEpisodes` fixed held-out episodes. With
/// `threads > 1` a meta-batch is cut into `threads` parts evaluated at once; the parts' means
/// are recombined weighted by their sizes, which gives the mean over the whole meta-batch.
/// `progress` is called after every outer step.
public func trainFOMAML(data: TrainingData, settings: TrainingSettings, threads: Int = 1,
                        progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingRun {
    try settings.check()
    guard threads >= 1 else { throw ExerciseError.invalidArgument("threads must be at least 1, got \(threads)") }
    guard (data.training.ways, data.training.shots, data.training.queries) == (settings.ways, settings.shots, settings.queries) else {
        throw ExerciseError.invalidArgument("the episodes are not \(settings.ways)-way \(settings.shots)-shot \(settings.queries)-query as the settings say")
    }
    let started = DispatchTime.now().uptimeNanoseconds
    let elapsed = { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    let network = ConvNet(ways: settings.ways, filters: settings.filters, blocks: settings.blocks)
    let model: Classifier = { network($0, $1) }
    let inner = try settings.innerLoopSettings()
    let adapt: Adapter = { try innerLoop($0, episode: $1, model: model, settings: inner) }
    let optimizer = Adam(learningRate: settings.outerLearningRate, beta1: settings.adamBeta1, beta2: settings.adamBeta2,
                         epsilon: settings.adamEpsilon, biasCorrection: settings.adamBiasCorrection)

    var generator = SeededGenerator(seed: settings.seed)
    var theta = network.initialize(generator: &generator, dtype: data.training.dtype)
    var state = optimizer.initialState(for: theta)
    var validationGenerator = SeededGenerator(seed: settings.seed &+ 0x5EED)
    let validationEpisodes = data.validation.sampleBatch(count: settings.validationEpisodes, generator: &validationGenerator)
    let validationIterations = Set(settings.validationIterations)

    func validate(after iteration: Int) throws -> ValidationPoint {
        let (accuracy, loss) = try postAdaptationQuery(theta, episodes: validationEpisodes, model: model, adapt: adapt, threads: threads)
        return ValidationPoint(iteration: iteration, accuracy: accuracy, loss: loss)
    }

    var curve = [try validate(after: 0)]
    for iteration in stride(from: 1, through: settings.iterations, by: 1) {
        let episodes = data.training.sampleBatch(count: settings.metaBatch, generator: &generator)
        let result = try metaBatchInParts(theta, episodes: episodes, model: model, adapt: adapt, parts: threads)
        (theta, state) = optimizer.step(theta, result.gradient, state)
        theta = theta.detached()
        if validationIterations.contains(iteration) { curve.append(try validate(after: iteration)) }
        progress(TrainingProgress(iteration: iteration, iterations: settings.iterations, loss: result.loss,
                                  queryAccuracy: result.queryAccuracy, validation: curve.last, elapsedSeconds: elapsed()))
    }
    return TrainingRun(settings: settings, network: network, parameters: theta, curve: curve,
                       dataDescription: data.description, seconds: elapsed())
}

/// `outerLoop` on a meta-batch cut into up to `parts` contiguous parts evaluated at once. Each
/// part's result is a mean over its nₚ episodes, so the whole batch's mean is Σₚ (nₚ/n)·meanₚ
/// for the loss, the gradient and the accuracies alike.
func metaBatchInParts(_ theta: Parameters, episodes: [Episode], model: @escaping Classifier, adapt: Adapter,
                      parts: Int) throws -> MetaBatchResult {
    let count = min(parts, episodes.count)
    guard count > 1 else { return try outerLoop(theta, episodes: episodes, model: model, adapt: adapt) }
    let bounds = (0...count).map { $0 * episodes.count / count }
    let results = try parallelMap(count, threads: count) { part -> Result<MetaBatchResult, any Error> in
        Result { try outerLoop(theta, episodes: Array(episodes[bounds[part]..<bounds[part + 1]]), model: model, adapt: adapt) }
    }.map { try $0.get() }
    let weights = (0..<count).map { Double(bounds[$0 + 1] - bounds[$0]) / Double(episodes.count) }
    var gradient = results[0].gradient * weights[0]
    for part in 1..<count { gradient = gradient + results[part].gradient * weights[part] }
    let weighted = { (value: (MetaBatchResult) -> Double) in zip(results, weights).map { value($0) * $1 }.reduce(0, +) }
    let steps = 0..<(results.map(\.supportAccuracies.count).min() ?? 0)
    return MetaBatchResult(loss: weighted(\.loss), gradient: gradient, queryAccuracy: weighted(\.queryAccuracy),
                           supportAccuracies: steps.map { step in weighted { $0.supportAccuracies[step] } })
}
