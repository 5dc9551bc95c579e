import Autodiff
import ExerciseSupport
import Foundation
import NeuralNetworks
import TaskData
import Testing
import TransferLearning

/// A tiny 4-class "pretrained" network with random weights and one 3-way 2-shot episode of
/// synthetic glyphs for the checks.
private func smallProblem() throws -> (pretrained: PretrainedNetwork, episode: Episode) {
    var generator = SeededGenerator(seed: 11)
    let network = ConvNet(ways: 4, filters: 4, blocks: 2)
    let pretrained = try PretrainedNetwork(network: network, parameters: network.initialize(generator: &generator, dtype: .float64))
    let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 4),
                                     ways: 3, shots: 2, queries: 2, dtype: .float64)
    return (pretrained, sampler.sample(generator: &generator))
}

/// The 3-way model of the episode: the pretrained body and a fresh head.
private func episodeModel(_ pretrained: PretrainedNetwork) -> (network: ConvNet, parameters: Parameters) {
    var generator = SeededGenerator(seed: 3)
    let network = pretrained.episodeNetwork(ways: 3)
    let head = freshHead(featureCount: network.featureCount, ways: 3, dtype: .float64, generator: &generator)
    return (network, pretrained.featureParameters.merging(head))
}

/// True for `ExerciseError.invalidArgument` (and not for "not implemented").
private func isInvalidArgument(_ error: any Error) -> Bool {
    if case .invalidArgument? = error as? ExerciseError { return true }
    return false
}

/// Visible sanity check: with no head steps, the model comes back unchanged.
@Test func zeroHeadStepsLeaveTheModelAsItIs() throws {
    let (pretrained, episode) = try smallProblem()
    let (network, model) = episodeModel(pretrained)
    let adapted = try adaptHead(model, network: network, images: episode.supportImages, labels: episode.supportLabels,
                                settings: TransferSettings(steps: 0, stepSize: 0.4))
    #expect(model.allSatisfy { name, tensor in adapted[name]?.scalars == tensor.scalars },
            "with no head steps the model should come back as it was")
}

/// Visible sanity check: a few head steps lower the support loss.
@Test func headStepsLowerTheSupportLoss() throws {
    let (pretrained, episode) = try smallProblem()
    let (network, model) = episodeModel(pretrained)
    let supportLoss = { (p: Parameters) in
        crossEntropy(logits: network(p, episode.supportImages), labels: episode.supportLabels).scalar
    }
    let adapted = try adaptHead(model, network: network, images: episode.supportImages, labels: episode.supportLabels,
                                settings: TransferSettings(steps: 5, stepSize: 0.1))
    let (before, after) = (supportLoss(model), supportLoss(adapted))
    #expect(after < before, "five small head steps should lower the support loss: it went from \(before) to \(after)")
}

/// Visible sanity check: a head with the wrong number of classes is refused with an error.
@Test func transferLearnRejectsAHeadOfTheWrongWidth() throws {
    let (pretrained, episode) = try smallProblem()
    var generator = SeededGenerator(seed: 5)
    let fiveWay = freshHead(featureCount: pretrained.network.featureCount, ways: 5, dtype: .float64, generator: &generator)
    #expect {
        try transferLearn(pretrained, episode: episode, head: fiveWay) { parameters, _, _, _ in parameters }
    } throws: { isInvalidArgument($0) }
}

/// Visible sanity check: an empty list of episodes is an error, not a division by zero.
@Test func transferLearnRejectsAnEmptyListOfEpisodes() throws {
    let (pretrained, _) = try smallProblem()
    var generator = SeededGenerator(seed: 5)
    #expect {
        try transferLearn(pretrained, episodes: [], generator: &generator) { _, head in
            TransferResult(parameters: head, queryLoss: 0, queryAccuracy: 0)
        }
    } throws: { isInvalidArgument($0) }
}

/// Visible sanity check: a short pre-training, then the three functions together on two
/// episodes, give two results with accuracies between 0 and 1 and their mean.
@Test func pretrainingThenTransferOnTwoEpisodes() throws {
    var generator = SeededGenerator(seed: 13)
    let dataset = SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 4)
    let run = try pretrain(on: dataset, filters: 4, blocks: 2, settings: PretrainingSettings(iterations: 3, batchSize: 8),
                           dtype: .float64, generator: &generator)
    let sampler = try EpisodeSampler(dataset: dataset, ways: 3, shots: 2, queries: 2, dtype: .float64)
    let episodes = sampler.sampleBatch(count: 2, generator: &generator)
    let summary = try evaluateTransfer(run.pretrained, episodes: episodes, settings: TransferSettings(steps: 2, stepSize: 0.4),
                                       generator: &generator)
    #expect(run.losses.count == 3)
    #expect(summary.results.count == 2)
    #expect(summary.results.allSatisfy { (0...1).contains($0.queryAccuracy) })
    let mean = summary.results.map(\.queryAccuracy).reduce(0, +) / 2
    #expect(abs(summary.meanQueryAccuracy - mean) < 1e-12, "the mean query accuracy should be \(mean), got \(summary.meanQueryAccuracy)")
}

/// Visible sanity check: a tiny assessment run with your code validates on schedule and writes
/// an assessment folder whose curve and checkpoint read back (synthetic glyphs, a small network,
/// a few pre-training steps).
@Test func aShortAssessmentRunWritesTheAssessmentFolder() throws {
    var settings = AssessmentSettings()
    (settings.ways, settings.shots, settings.queries, settings.headSteps) = (3, 1, 2, 2)
    (settings.pretrainingIterations, settings.batchSize, settings.validateEvery) = (3, 8, 2)
    (settings.validationEpisodes, settings.filters, settings.blocks) = (2, 4, 2)
    let split = try SyntheticGlyphs.dataset(classes: 12, drawingsPerClass: 4, classesPerGroup: 2).split()
    let data = AssessmentData(pretraining: split.train,
                              validation: try EpisodeSampler(dataset: split.validation.addingRotations(), ways: 3, shots: 1, queries: 2),
                              description: "synthetic glyphs")
    var reported: [Int] = []
    let run = try trainTransfer(data: data, settings: settings) { reported.append($0.iteration) }
    #expect(reported == [1, 2, 3])
    #expect(run.curve.map(\.iteration) == [0, 2, 3])
    #expect(run.pretrained.network.ways == split.train.classes.count)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transfer-check-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try run.write(to: folder)
    #expect(try readValidationCurve(from: folder).map(\.accuracy) == run.curve.map(\.accuracy))
    #expect(try AssessmentMetrics.read(from: folder).finalIteration == 3)
    let checkpoint = try Checkpoint(contentsOf: folder.appendingPathComponent(AssessmentFile.checkpoint))
    #expect(checkpoint.parameters.names == run.pretrained.parameters.names)
}
