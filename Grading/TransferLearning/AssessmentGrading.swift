import Autodiff
import Foundation
import GradingSupport
import NeuralNetworks
import TaskData
import Testing
import TransferLearning

// Hidden tests for the TransferLearning assessment (10 points): `weights` (4), `pretrained` (2),
// `curve` (2) and `hyperparameters` (2). The pre-training run is not repeated here: the submitted
// folder (`TransferLearning.assessmentFolder`, the `Assessment/` folder of the exercise) is read,
// the body of its pretrained network re-evaluated with this file's own transfer learning (a fresh
// head trained on the frozen support features) on a fixed seeded set of Omniglot validation
// episodes, and its all-class head checked on training images. Both need real Omniglot: without
// OMNIGLOT_ROOT the `weights`, `pretrained` and `curve` parts fail with a message saying so.

/// The handout's validation episodes and head training: 5-way 5-shot, 15 queries, S = 50 steps of α = 0.4.
private let handout = (ways: 5, shots: 5, queries: 15, headSteps: 50, headStepSize: 0.4)
/// The grader's validation episodes: how many (each needs the body's features of 100 images,
/// about a second in a debug build), and the seed that draws them and their starting heads.
private let reevaluation = (episodes: 10, seed: UInt64(20_220_520))
/// The accuracy the pretrained body must reach on those episodes. Measured on them: the random
/// initial body (no pre-training) gives 0.68, a body after 200 pre-training steps 0.94 and the
/// reference's 1000 steps 0.96; 0.85 sits well clear of the first and below the others.
private let accuracyBar = 0.85
/// The training images the all-class network must classify, the seed that draws them, and the
/// accuracy it must reach among all C training classes (chance is 1/C, below 0.3% on Omniglot).
/// Measured: 0.0 before pre-training, 0.40 after 200 steps, 0.96 after the reference's 1000.
private let classification = (images: 100, seed: UInt64(20_220_521), bar: 0.3)
/// How far the claimed final accuracy may lie from the re-evaluated one: the two are means over
/// different episodes (50 in training, 10 here) and different starting heads.
private let curveTolerance = 0.08

/// The submitted pretrained network: the checkpoint, and the all-class network its tensors fit.
private struct SubmittedWeights: Sendable {
    let network: ConvNet
    let parameters: Parameters
    let metadata: [String: String]
}

/// The submitted `Assessment/` folder of the exercise.
private let submitted = SubmittedAssessment(folder: assessmentFolder, writtenBy: "TransferLearningTrain")

/// Loads the checkpoint and checks it holds a ConvNet (any filter count, 1 to 4 blocks) with a
/// linear head of any width.
private func loadWeights() throws -> SubmittedWeights {
    let checkpoint = try Checkpoint(contentsOf: submitted.file(AssessmentFile.checkpoint))
    let parameters = checkpoint.parameters
    let blocks = parameters.names.filter { $0.hasPrefix("conv") && $0.hasSuffix(".weight") }.count
    guard let first = parameters["conv1.weight"], first.rank == 4, (1...4).contains(blocks),
          let head = parameters["head.weight"], head.rank == 2 else {
        throw AssessmentProblem("the checkpoint holds \(parameters.names), not the weights of the convolutional network")
    }
    let network = ConvNet(ways: head.shape[1], filters: first.shape[0], blocks: blocks)
    var generator = SeededGenerator(seed: 0)
    let expected = network.initialize(generator: &generator)
    guard parameters.names == expected.names,
          zip(parameters.tensors, expected.tensors).allSatisfy({ $0.shape == $1.shape }) else {
        throw AssessmentProblem("the checkpoint's tensors \(parameters.map { "\($0.0) \($0.1.shape)" }) "
            + "do not fit a \(head.shape[1])-way network with \(first.shape[0]) filters and \(blocks) blocks")
    }
    return SubmittedWeights(network: network, parameters: parameters.map { $0.converted(to: .float32) },
                            metadata: checkpoint.metadata)
}

/// Omniglot split as the course splits it (`ImageDataset.split()`, rotations added), loaded once.
private let omniglotSplit = Result { () throws -> (training: ImageDataset, validation: ImageDataset) in
    guard let root = Omniglot.rootFromEnvironment() else {
        throw AssessmentProblem("\(Omniglot.environmentVariable) is not set: grading the pretrained weights needs real "
            + "Omniglot; set it to a folder of Omniglot alphabets")
    }
    let split = try Omniglot.load(roots: [root], cache: Omniglot.defaultCacheURL).split()
    return (split.train.addingRotations(), split.validation.addingRotations())
}

/// The mean query accuracy of transfer learning from `body` over `episodes`, done here whatever
/// the submission's code does: for episode i, a head W ~ Glorot uniform (from the seed + i), b = 0,
/// then S steps (W, b) ← (W, b) − α ∇L on the cross-entropy of the frozen support features
/// F = body(support images), and the accuracy of the adapted model on the queries.
private func transferAccuracy(body: Parameters, episodeNetwork network: ConvNet, episodes: [Episode]) -> Double {
    let accuracies = parallelMap(episodes.count, threads: 2) { index -> Double in
        let episode = episodes[index]
        var generator = SeededGenerator(seed: reevaluation.seed &+ UInt64(index))
        let (features, ways) = (network.featureCount, network.ways)
        var head: Parameters = [
            "head.weight": Initializer.glorotUniform.tensor([features, ways], fanIn: features, fanOut: ways, dtype: .float32,
                                                            generator: &generator),
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

/// The submitted body's transfer accuracy on the grader's 5-way 5-shot validation episodes.
private func reevaluate() throws -> Double {
    let weights = try loadWeights()
    let sampler = try EpisodeSampler(dataset: try omniglotSplit.get().validation, ways: handout.ways, shots: handout.shots,
                                     queries: handout.queries)
    var generator = SeededGenerator(seed: reevaluation.seed)
    let episodes = sampler.sampleBatch(count: reevaluation.episodes, generator: &generator)
    let episodeNetwork = ConvNet(ways: handout.ways, filters: weights.network.filters, blocks: weights.network.blocks)
    return transferAccuracy(body: weights.parameters.selecting(weights.network.featureNames), episodeNetwork: episodeNetwork,
                            episodes: episodes)
}

/// The re-evaluated accuracy, computed once for the parts that need it.
private let measuredAccuracy = Result { try reevaluate() }

/// weights: the pretrained body loads, and transfer learning from it (this file's own head
/// training) reaches at least 85% query accuracy on the grader's validation episodes.
@Test(.graded) func weightsPart_pretrainedBodyTransfersToAtLeast85Percent() throws {
    let measured = try measuredAccuracy.get()
    #expect(measured >= accuracyBar,
            "transfer learning from the submitted body reaches \(measured) accuracy on the grader's validation episodes; \(accuracyBar) is needed")
}

/// pretrained: the checkpoint is the all-class network of pre-training: its head has one output
/// per training class (rotations included) and it tells those classes apart on training images
/// far above chance.
@Test(.graded) func pretrainedPart_allClassNetworkOfTheTrainingClasses() throws {
    let weights = try loadWeights()
    let training = try omniglotSplit.get().training
    let classes = training.classes.count
    let ways = weights.network.ways
    guard ways == classes else {
        throw AssessmentProblem("the checkpoint's head has \(ways) outputs; the pretrained network scores all \(classes) "
            + "training classes (hand in the pre-training weights, not an episode's model)")
    }
    var generator = SeededGenerator(seed: classification.seed)
    var pixels: [Float] = []
    var labels: [Int] = []
    for _ in 0..<classification.images {
        let label = generator.int(below: classes)
        let imageClass = training.classes[label]
        pixels += imageClass.image(generator.int(below: imageClass.imageCount))
        labels.append(label)
    }
    let images = Tensor(shape: [labels.count, 1, ImageDataset.side, ImageDataset.side], scalars: pixels.map(Double.init),
                        dtype: .float32)
    let measured = accuracy(logits: weights.network(weights.parameters, images), labels: labels)
    #expect(measured >= classification.bar,
            "the pretrained network classifies \(measured) of \(labels.count) training images among \(classes) classes right; \(classification.bar) is needed")
}

/// curve: the plot and the curve are there, the curve is well formed, its last point is the
/// checkpoint's iteration and `metrics.json`'s final accuracy, and that accuracy agrees with the
/// re-evaluated one within the tolerance.
@Test(.graded) func curvePart_claimedCurveAgreesWithThePretrainedWeights() throws {
    let last = try submitted.checkedCurve(plot: AssessmentFile.plot, curve: AssessmentFile.curve, metrics: AssessmentFile.metrics)
    let checkpointIteration = try loadWeights().metadata["iteration"].flatMap { Int($0) }
    #expect(checkpointIteration == last.iteration,
            "the checkpoint is of iteration \(checkpointIteration.map(String.init) ?? "?"), the curve ends at \(last.iteration)")
    let measured = try measuredAccuracy.get()
    #expect(abs(last.accuracy - measured) <= curveTolerance,
            "the curve claims \(last.accuracy) for the final weights; they re-evaluate to \(measured)")
}

/// hyperparameters: `metrics.json` reports every hyper-parameter of pre-training and of head
/// training, and the episodes and head training are the handout's (5-way 5-shot, 15 queries,
/// 50 steps of 0.4) on Omniglot.
@Test(.graded) func hyperparametersPart_reportedAndAsTheHandoutAsks() throws {
    let metrics = try submitted.jsonObject(AssessmentFile.metrics)
    let settings = try #require(metrics["hyperparameters"] as? [String: Any], "metrics.json has no \"hyperparameters\" object")
    let expected: [(String, Double)] = [("ways", 5), ("shots", 5), ("queries", 15), ("headSteps", 50), ("headStepSize", 0.4)]
    for (key, value) in expected {
        #expect(try SubmittedAssessment.number(settings, key, in: "metrics.json's hyperparameters") == value, "\(key) should be \(value)")
    }
    for key in ["pretrainingIterations", "batchSize", "learningRate", "validationEpisodes", "filters", "blocks", "seed"] {
        #expect(settings[key] is NSNumber, "metrics.json's hyperparameters do not report \(key)")
    }
    #expect((metrics["data"] as? String)?.contains("Omniglot") == true, "metrics.json does not say the data were Omniglot")
}
