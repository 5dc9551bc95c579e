import Autodiff
import ExerciseSupport
import FOMAML
import Foundation
import NeuralNetworks
import TaskData
import Testing

/// A tiny 3-way network and one 3-way 2-shot episode of synthetic glyphs for the checks.
private func smallProblem() throws -> (theta: Parameters, episode: Episode, model: Classifier) {
    var generator = SeededGenerator(seed: 7)
    let net = ConvNet(ways: 3, filters: 4, blocks: 2)
    let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 4),
                                     ways: 3, shots: 2, queries: 2, dtype: .float64)
    return (net.initialize(generator: &generator, dtype: .float64), sampler.sample(generator: &generator), { net($0, $1) })
}

/// Visible sanity check: with no inner steps, θ comes back unchanged with one support accuracy.
@Test func zeroInnerStepsLeaveThetaAsItIs() throws {
    let (theta, episode, model) = try smallProblem()
    let adaptation = try innerLoop(theta, episode: episode, model: model, settings: InnerLoopSettings(steps: 0, stepSize: 0.4))
    #expect(adaptation.supportAccuracies.count == 1)
    #expect(adaptation.parameters.allSatisfy { name, tensor in tensor.scalars == theta.require(name).scalars },
            "with no inner steps the adapted parameters should be θ itself")
}

/// Visible sanity check: a few small inner steps lower the support loss.
@Test func innerStepsLowerTheSupportLoss() throws {
    let (theta, episode, model) = try smallProblem()
    let supportLoss = { (p: Parameters) in crossEntropy(logits: model(p, episode.supportImages), labels: episode.supportLabels).scalar }
    let adaptation = try innerLoop(theta, episode: episode, model: model, settings: InnerLoopSettings(steps: 3, stepSize: 0.1))
    let (before, after) = (supportLoss(theta), supportLoss(adaptation.parameters))
    #expect(after < before, "three small inner steps should lower the support loss: it went from \(before) to \(after)")
}

/// Visible sanity check: an empty meta-batch is an error, not a division by zero.
@Test func outerLoopRejectsAnEmptyMetaBatch() throws {
    let (theta, _, model) = try smallProblem()
    #expect(throws: ExerciseError.self) {
        try outerLoop(theta, episodes: [], model: model) { params, _ in Adaptation(parameters: params, supportAccuracies: [0]) }
    }
}

/// Visible sanity check: a tiny training run with your loops validates on schedule and writes
/// an assessment folder whose curve reads back (synthetic glyphs, a small network, a few steps).
@Test func aShortTrainingRunWritesTheAssessmentFolder() throws {
    var settings = TrainingSettings()
    (settings.ways, settings.shots, settings.queries) = (3, 1, 2)
    (settings.innerSteps, settings.metaBatch, settings.iterations, settings.validateEvery) = (1, 2, 3, 2)
    (settings.validationEpisodes, settings.filters, settings.blocks) = (2, 4, 2)
    let split = try SyntheticGlyphs.dataset(classes: 12, drawingsPerClass: 4, classesPerGroup: 2).split()
    let data = try TrainingData(
        training: EpisodeSampler(dataset: split.train, ways: 3, shots: 1, queries: 2),
        validation: EpisodeSampler(dataset: split.validation.addingRotations(), ways: 3, shots: 1, queries: 2),
        description: "synthetic glyphs")
    var reported: [Int] = []
    let run = try trainFOMAML(data: data, settings: settings, threads: 2) { reported.append($0.iteration) }
    #expect(reported == [1, 2, 3])
    #expect(run.curve.map(\.iteration) == [0, 2, 3])
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fomaml-check-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try run.write(to: folder, threads: 2)
    #expect(try readValidationCurve(from: folder).map(\.accuracy) == run.curve.map(\.accuracy))
    #expect(try AssessmentMetrics.read(from: folder).finalIteration == 3)
}
