import Autodiff
import Foundation
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

// TransferLearning's assessment (10 points): the pre-training run is not repeated. The judge
// reads the submitted Assessment folder, re-evaluates the body of its pretrained network with
// its own transfer learning on Omniglot validation episodes, and checks its all-class head on
// training images.

/// The handout's validation episodes and head training: 5-way 5-shot, 15 queries, S = 50 steps of α = 0.4.
private let handout = (ways: 5, shots: 5, queries: 15, headSteps: 50, headStepSize: 0.4)
/// The validation episodes the body is re-evaluated on, and the seed that draws them and their
/// starting heads: fixed, so that the same weights always get the same grade.
private let reevaluation = (episodes: 10, seed: UInt64(20_220_520))
/// The accuracy the pretrained body must reach. Measured on these episodes: the random initial
/// body (no pre-training) gives 0.68, a body after 200 pre-training steps 0.94 and the reference's
/// 1000 steps 0.96; 0.85 sits well clear of the first and below the others.
private let accuracyBar = 0.85
/// The training images the all-class network must classify, the seed that draws them, and the
/// accuracy it must reach among all C training classes (chance is 1/C, below 0.3% on Omniglot).
/// Measured: 0.0 before pre-training, 0.40 after 200 steps, 0.96 after the reference's 1000.
private let classification = (images: 100, seed: UInt64(20_220_521), bar: 0.3)
/// How far the claimed final accuracy may lie from the re-evaluated one.
private let curveTolerance = 0.08
/// The files the training command writes.
private enum File {
    static let checkpoint = "pretrained.checkpoint"
}

/// The mean query accuracy of transfer learning from `body` over `episodes`, done by the judge:
/// for episode i, a head W ~ Glorot uniform (from the seed + i), b = 0, then S steps of gradient
/// descent on the cross-entropy of the frozen support features, and the adapted model's accuracy on the queries.
private func transferAccuracy(body: Parameters, network: ConvNet, episodes: [Episode]) -> Double {
    let accuracies = parallelMap(episodes.count, threads: 2) { index -> Double in
        let episode = episodes[index]
        var generator = SeededGenerator(seed: reevaluation.seed &+ UInt64(index))
        let (features, ways) = (network.featureCount, network.ways)
        var head: Parameters = [
            "head.weight": Initializer.glorotUniform.tensor([features, ways], fanIn: features, fanOut: ways, dtype: .float32, generator: &generator),
            "head.bias": .zeros([ways], dtype: .float32),
        ]
        let support = network.features(body, episode.supportImages).detached()
        let loss = { (h: Parameters) in crossEntropy(logits: network.head(h, support), labels: episode.supportLabels) }
        for _ in 0..<handout.headSteps { head = head - handout.headStepSize * grad(loss)(head) }
        let query = network.features(body, episode.queryImages).detached()
        return accuracy(logits: network.head(head, query), labels: episode.queryLabels)
    }
    return accuracies.reduce(0, +) / Double(accuracies.count)
}

/// The submitted body's transfer accuracy on the fixed validation episodes.
private func reevaluate(_ weights: (network: ConvNet, parameters: Parameters, metadata: [String: String])) throws -> Double {
    let sampler = try EpisodeSampler(dataset: try AssessmentData.omniglotSplit().validation, ways: handout.ways, shots: handout.shots,
                                     queries: handout.queries)
    var generator = SeededGenerator(seed: reevaluation.seed)
    let episodes = sampler.sampleBatch(count: reevaluation.episodes, generator: &generator)
    let episodeNetwork = ConvNet(ways: handout.ways, filters: weights.network.filters, blocks: weights.network.blocks)
    return transferAccuracy(body: weights.parameters.selecting(weights.network.featureNames), network: episodeNetwork, episodes: episodes)
}

/// weights: transfer learning from the submitted body reaches at least 85% on the validation episodes.
let weights = Part(
    "weights", points: 4, section: "Assessment part weights",
    summary: "transfer learning from the submitted pretrained body reaches at least 85% validation query accuracy",
    judge: { submission in
        let folder = try SubmittedAssessment(submission, writtenBy: "TransferLearningTrain")
        let measured = try reevaluate(try folder.convNetCheckpoint(File.checkpoint))
        var judgement = Judgement(inputs: "\(reevaluation.episodes) fixed 5-way 5-shot Omniglot validation episodes, a new head trained 50 steps of 0.4")
        judgement.measure("accuracy", measured)
        judgement.require(measured >= accuracyBar, "Transfer learning from your pretrained body should reach at least \(Rendering.number(accuracyBar)) query accuracy.",
                          expected: "≥ \(Rendering.number(accuracyBar))", actual: Rendering.number(measured))
        return judgement
    })

/// pretrained: the checkpoint is the all-class network: one output per training class (rotations
/// included), classifying training images far above chance.
let pretrained = Part(
    "pretrained", points: 2, section: "Assessment part pretrained",
    summary: "the checkpoint is the all-class network of pre-training: one output per training class, classifying training images far above chance",
    judge: { submission in
        let folder = try SubmittedAssessment(submission, writtenBy: "TransferLearningTrain")
        let weights = try folder.convNetCheckpoint(File.checkpoint)
        let training = try AssessmentData.omniglotSplit().training
        let classes = training.classes.count
        var judgement = Judgement(inputs: "\(classification.images) training images drawn at random among the \(classes) training classes")
        judgement.require(weights.network.ways == classes,
                          "The checkpoint's head should have one output per training class (hand in the pre-training weights, not an episode's model).",
                          expected: "\(classes)", actual: "\(weights.network.ways)")
        guard weights.network.ways == classes else { return judgement }
        var generator = SeededGenerator(seed: classification.seed)
        var pixels: [Float] = []
        var labels: [Int] = []
        for _ in 0..<classification.images {
            let label = generator.int(below: classes)
            let imageClass = training.classes[label]
            pixels += imageClass.image(generator.int(below: imageClass.imageCount))
            labels.append(label)
        }
        let images = Tensor(shape: [labels.count, 1, ImageDataset.side, ImageDataset.side], floats: pixels)
        let measured = accuracy(logits: weights.network(weights.parameters, images), labels: labels)
        judgement.require(measured >= classification.bar, "The pretrained network should classify at least \(Rendering.number(classification.bar)) of the training images right.",
                          expected: "≥ \(Rendering.number(classification.bar))", actual: Rendering.number(measured))
        return judgement
    })

/// The checks of the handed-in folder that both assessments make.
private let folderChecks = AssessmentJudging(command: "TransferLearningTrain", checkpoint: File.checkpoint)

/// curve: the plot and the curve are there and well formed, end at the checkpoint's iteration,
/// agree with `metrics.json`, and the final accuracy they claim lies within 0.08 of the re-evaluated one.
let curve = Part(
    "curve", points: 2, section: "Assessment part curve",
    summary: "the validation plot and curve are handed in and the curve's final accuracy agrees with the re-evaluated weights",
    judge: { submission in try folderChecks.curve(submission, tolerance: curveTolerance) { try reevaluate($0) } })

/// hyperparameters: `metrics.json` reports every hyper-parameter of pre-training and of head
/// training, and the episodes and head training are the handout's on Omniglot.
let hyperparameters = Part(
    "hyperparameters", points: 2, section: "Assessment part hyperparameters",
    summary: "metrics.json reports every hyper-parameter; 5-way 5-shot, 15 queries, 50 head steps of 0.4, on Omniglot",
    judge: { submission in
        try folderChecks.hyperparameters(submission, required: [("ways", 5), ("shots", 5), ("queries", 15), ("headSteps", 50), ("headStepSize", 0.4)],
                                         reported: ["pretrainingIterations", "batchSize", "learningRate", "validationEpisodes", "filters", "blocks", "seed"])
    })
