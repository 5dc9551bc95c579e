import Autodiff
import Foundation
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

// FOMAML's assessment (10 points): the 1000-iteration run is not repeated. The judge reads the
// submitted Assessment folder, re-evaluates its weights with its own inner loop on Omniglot
// validation episodes, and (part learns) runs a short training with the submitted loops.

/// The handout's episodes and inner loop: 5-way 5-shot, 15 queries, L = 5 steps of η = 0.4, at most 1000 iterations.
private let handout = (ways: 5, shots: 5, queries: 15, innerSteps: 5, innerStepSize: 0.4, iterationBudget: 1000)
/// The validation episodes the weights are re-evaluated on: how many (each adaptation of the
/// 64-filter network takes seconds in a debug build), and the seed that draws them. They are
/// fixed, not drawn from the grading seed, so that the same weights always get the same grade;
/// they come from the validation alphabets, which training never sees.
private let reevaluation = (episodes: 8, seed: UInt64(20_220_519))
/// How far the claimed final accuracy may lie from the re-evaluated one: the two are means over
/// different episodes (50 in training, 8 here) whose accuracies spread by several points, so
/// their difference has a standard deviation near 0.025; 0.08 is about three of them.
private let curveTolerance = 0.08
/// The files the training command writes.
private enum File {
    static let checkpoint = "weights.checkpoint"
}

/// The mean post-adaptation query accuracy and loss of `theta` over `episodes`, adapting each with
/// `steps` plain gradient steps of size `eta` on its support cross-entropy (the judge's own inner loop).
func adaptedQuery(_ theta: Parameters, network: ConvNet, episodes: [Episode], steps: Int, eta: Double) -> (accuracy: Double, loss: Double) {
    let measured = parallelMap(episodes.count, threads: 2) { index in
        let episode = episodes[index]
        let phi = referenceAdaptation(theta, episode: episode, network: network, steps: steps, stepSize: eta).parameters
        let logits = network(phi, episode.queryImages)
        return (accuracy(logits: logits, labels: episode.queryLabels), crossEntropy(logits: logits, labels: episode.queryLabels).scalar)
    }
    let n = Double(measured.count)
    return (measured.map(\.0).reduce(0, +) / n, measured.map(\.1).reduce(0, +) / n)
}

/// The submitted weights' mean accuracy on the fixed validation episodes.
private func reevaluate(_ weights: (network: ConvNet, parameters: Parameters, metadata: [String: String])) throws -> Double {
    let sampler = try EpisodeSampler(dataset: try AssessmentData.omniglotSplit().validation, ways: handout.ways, shots: handout.shots,
                                     queries: handout.queries)
    var generator = SeededGenerator(seed: reevaluation.seed)
    let episodes = sampler.sampleBatch(count: reevaluation.episodes, generator: &generator)
    return adaptedQuery(weights.parameters, network: weights.network, episodes: episodes, steps: handout.innerSteps, eta: handout.innerStepSize).accuracy
}

/// The submitted checkpoint, checked to be a 5-way network.
private func submittedWeights(_ folder: SubmittedAssessment) throws -> (network: ConvNet, parameters: Parameters, metadata: [String: String]) {
    let weights = try folder.convNetCheckpoint(File.checkpoint)
    guard weights.network.ways == handout.ways else {
        throw AssessmentProblem("\(File.checkpoint) holds a \(weights.network.ways)-way network; the assessment is \(handout.ways)-way")
    }
    return weights
}

/// weights: the final weights load as a 5-way network, were reached within 1000 iterations, and
/// re-evaluate to at least 80% post-adaptation query accuracy.
let weights = Part(
    "weights", points: 4, section: "Assessment part weights",
    summary: "the submitted final weights, trained within 1000 iterations, re-evaluate to at least 80% validation query accuracy",
    judge: { submission in
        let folder = try SubmittedAssessment(submission, writtenBy: "FOMAMLTrain")
        let weights = try submittedWeights(folder)
        var judgement = Judgement(inputs: "\(reevaluation.episodes) fixed 5-way 5-shot Omniglot validation episodes, 5 inner steps of 0.4")
        let iteration = weights.metadata["iteration"].flatMap(Int.init)
        judgement.require(iteration.map { $0 <= handout.iterationBudget } ?? false,
                          "The checkpoint should record its iteration, at most \(handout.iterationBudget) (write it with FOMAMLTrain).",
                          expected: "≤ \(handout.iterationBudget)", actual: iteration.map(String.init) ?? "none recorded")
        let measured = try reevaluate(weights)
        judgement.measure("accuracy", measured)
        judgement.require(measured >= 0.8, "The weights should re-evaluate to at least 80% post-adaptation query accuracy.",
                          expected: "≥ 0.8", actual: Rendering.number(measured))
        return judgement
    })

/// The checks of the handed-in folder that both assessments make.
private let folderChecks = AssessmentJudging(command: "FOMAMLTrain", checkpoint: File.checkpoint)

/// curve: the plot and the curve are there and well formed, end at the checkpoint's iteration,
/// agree with `metrics.json`, and the final accuracy they claim lies within 0.08 of the re-evaluated one.
let curve = Part(
    "curve", points: 2, section: "Assessment part curve",
    summary: "the validation plot and curve are handed in and the curve's final accuracy agrees with the re-evaluated weights",
    judge: { submission in try folderChecks.curve(submission, tolerance: curveTolerance) { try reevaluate($0) } })

/// hyperparameters: `metrics.json` reports every hyper-parameter, and the episodes and inner loop
/// are the handout's (5-way 5-shot, 15 queries, 5 steps of 0.4) on Omniglot.
let hyperparameters = Part(
    "hyperparameters", points: 2, section: "Assessment part hyperparameters",
    summary: "metrics.json reports every hyper-parameter; 5-way 5-shot, 15 queries, 5 inner steps of 0.4, on Omniglot",
    judge: { submission in
        try folderChecks.hyperparameters(submission, required: [("ways", 5), ("shots", 5), ("queries", 15), ("innerSteps", 5), ("innerStepSize", 0.4)],
                                         reported: ["metaBatch", "outerLearningRate", "adamBeta1", "adamBeta2", "adamEpsilon", "iterations",
                                                    "validationEpisodes", "seed"])
    })

/// learns: ten Adam steps (learning rate 0.003) of FO-MAML from fresh weights with the submitted
/// `innerLoop` and `outerLoop` (2 inner steps of 0.1: at 0.4 this tiny network's post-adaptation
/// loss is erratic in θ), always on the same three synthetic-glyph episodes, must cut their
/// post-adaptation query loss, measured by the judge's own inner loop on the θ the run returns,
/// by at least 40%. The reference cuts it to about a third. Like the re-evaluation episodes, this
/// run's start and episodes are fixed rather than drawn from the grading seed: it grades a
/// training run, whose outcome with a wrong loop would otherwise depend on the draw.
let learns = Part(
    "learns", points: 2, section: "Assessment part learns",
    summary: "a short training run from scratch with the submitted loops lowers the post-adaptation query loss", seconds: 240,
    inputs: { _ in
        let shape = ConvNetShape(ways: 3, filters: 4, blocks: 2)
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 9, drawingsPerClass: 5, seed: 6100), ways: 3, shots: 2, queries: 3)
        var generator = SeededGenerator(seed: 6101)
        let start = shape.network.initialize(generator: &generator)
        let episodes = sampler.sampleBatch(count: 3, generator: &generator)
        return ["network": .record(shape.record), "theta": .of(start), "episodes": .of(episodes),
                "steps": 2, "stepSize": 0.1, "learningRate": 0.003, "iterations": 10]
    },
    judge: { inputs, observed in
        let shape = try ConvNetShape(record: try inputs.record("network"))
        let episodes = try Episode.list(inputs, "episodes")
        let (steps, eta) = (try inputs.integer("steps"), try inputs.number("stepSize"))
        var judgement = Judgement(inputs: "a \(shape.description), 3 synthetic-glyph episodes (3-way 2-shot), 10 Adam steps of 0.003, "
            + "inner loop 2 steps of 0.1")
        let before = adaptedQuery(try inputs.parameters("theta"), network: shape.network, episodes: episodes, steps: steps, eta: eta)
        let trained = try observed.parameters("theta")
        judgement.require(trained.names == shape.network.parameterNames, "The training should return θ with the network's parameters.",
                          expected: "\(shape.network.parameterNames)", actual: "\(trained.names)")
        let after = adaptedQuery(trained.map { $0.converted(to: .float32) }, network: shape.network, episodes: episodes, steps: steps, eta: eta)
        judgement.require(after.loss.isFinite && after.loss <= 0.6 * before.loss,
                          "Ten outer steps with your loops should cut the post-adaptation query loss by at least 40%.",
                          expected: "≤ \(Rendering.number(0.6 * before.loss)) (from \(Rendering.number(before.loss)))", actual: Rendering.number(after.loss))
        return judgement
    })
