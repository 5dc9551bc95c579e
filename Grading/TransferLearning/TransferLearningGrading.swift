import Autodiff
import Foundation
import NeuralNetworks
import TaskData
import GradingSupport
import Testing
import TransferLearning

// Hidden tests for TransferLearning (10 points): `frozen` (2), `adaptation` (3), `support` (2),
// `evaluation` (1) and `batch` (2). The tests of `transferLearn` inject the grader's own head
// training (or a stand-in), and the test of the batch form a stand-in episode learner, so a
// mistake in `adaptHead` costs only the parts of `adaptHead`.

/// The "pretrained" network: a tiny 5-class net (4 filters, 2 blocks: 28 → 14 → 7, 196
/// features) with random weights, so that debug builds stay fast.
private let allClassNetwork = ConvNet(ways: 5, filters: 4, blocks: 2)

/// The pretrained network and a few 3-way 2-shot 3-query episodes of synthetic glyphs, in
/// double precision.
private func fixture(seed: UInt64, episodes count: Int) throws -> (pretrained: PretrainedNetwork, episodes: [Episode]) {
    var generator = SeededGenerator(seed: seed)
    let dataset = SyntheticGlyphs.dataset(classes: 6, drawingsPerClass: 5, seed: seed)
    let sampler = try EpisodeSampler(dataset: dataset, ways: 3, shots: 2, queries: 3, dtype: .float64)
    let pretrained = try PretrainedNetwork(network: allClassNetwork,
                                           parameters: allClassNetwork.initialize(generator: &generator, dtype: .float64))
    return (pretrained, sampler.sampleBatch(count: count, generator: &generator))
}

/// The 3-way network of the episodes and its model: the pretrained body and a fresh head drawn with `seed`.
private func episodeModel(_ pretrained: PretrainedNetwork, seed: UInt64) -> (network: ConvNet, parameters: Parameters) {
    var generator = SeededGenerator(seed: seed)
    let network = pretrained.episodeNetwork(ways: 3)
    let head = freshHead(featureCount: network.featureCount, ways: 3, dtype: .float64, generator: &generator)
    return (network, pretrained.featureParameters.merging(head))
}

/// True when both tensors have the same shape and every value agrees to `tolerance` relative to its size.
private func close(_ a: Tensor?, _ b: Tensor, tolerance: Double = 1e-9) -> Bool {
    guard let a, a.shape == b.shape else { return false }
    return zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

/// True when both collections hold the same names and exactly the same values (order aside).
private func identical(_ a: Parameters, _ b: Parameters) -> Bool {
    Set(a.names) == Set(b.names) && a.count == b.count
        && b.allSatisfy { name, tensor in a[name].map { $0.shape == tensor.shape && $0.scalars == tensor.scalars } ?? false }
}

/// `steps` steps of softmax regression on fixed features, with the gradient written out by hand
/// (no automatic differentiation): for F [n, D], Z = F W + b, P = softmax(Z) row by row and Y the
/// one-hot labels, ∇_W L = Fᵀ (P − Y) / n and ∇_b L = Σ_rows (P − Y) / n.
private func softmaxRegression(features: Tensor, labels: [Int], weight: Tensor, bias: Tensor,
                               steps: Int, stepSize: Double) -> (weight: Tensor, bias: Tensor) {
    let (n, d, k) = (features.shape[0], features.shape[1], bias.shape[0])
    let f = features.scalars
    var w = weight.scalars, b = bias.scalars
    for _ in 0..<steps {
        var gradW = [Double](repeating: 0, count: d * k), gradB = [Double](repeating: 0, count: k)
        for row in 0..<n {
            let z = (0..<k).map { c in b[c] + (0..<d).reduce(0) { $0 + f[row * d + $1] * w[$1 * k + c] } }
            let top = z.max()!
            let e = z.map { Foundation.exp($0 - top) }
            let total = e.reduce(0, +)
            for c in 0..<k {
                let residual = e[c] / total - (labels[row] == c ? 1 : 0)
                gradB[c] += residual / Double(n)
                for j in 0..<d { gradW[j * k + c] += f[row * d + j] * residual / Double(n) }
            }
        }
        w = zip(w, gradW).map { $0 - stepSize * $1 }
        b = zip(b, gradB).map { $0 - stepSize * $1 }
    }
    return (Tensor(shape: weight.shape, scalars: w), Tensor(shape: bias.shape, scalars: b))
}

/// frozen: `adaptHead` gives back every tensor of the body exactly as it was, under the same
/// names, and only the head moves.
@Test(.graded) func frozenPart_bodyComesBackExactlyAndOnlyTheHeadMoves() throws {
    let (pretrained, episodes) = try fixture(seed: 7001, episodes: 1)
    let (network, start) = episodeModel(pretrained, seed: 17)
    let settings = try TransferSettings(steps: 3, stepSize: 0.4)
    let adapted = try adaptHead(start, network: network, images: episodes[0].supportImages,
                                labels: episodes[0].supportLabels, settings: settings)
    #expect(Set(adapted.names) == Set(start.names) && adapted.count == start.count,
            "the adapted model has parameters \(adapted.names), expected \(start.names)")
    for name in network.featureNames {
        #expect(adapted[name]?.scalars == start.require(name).scalars, "the body's '\(name)' changed during head training")
    }
    #expect(!(adapted["head.weight"].map { $0.scalars == start.require("head.weight").scalars } ?? true),
            "the head did not move in 3 steps")
}

/// adaptation: after S steps the head is exactly S steps of gradient descent at rate α on the
/// support cross-entropy of the frozen features (checked against the gradient written by hand).
@Test(.graded, arguments: [1, 3]) func adaptationPart_headFollowsSoftmaxRegressionOnTheFrozenFeatures(steps: Int) throws {
    let (pretrained, episodes) = try fixture(seed: 7002, episodes: 1)
    let (network, start) = episodeModel(pretrained, seed: 27)
    let episode = episodes[0]
    let settings = try TransferSettings(steps: steps, stepSize: 0.4)
    let adapted = try adaptHead(start, network: network, images: episode.supportImages, labels: episode.supportLabels,
                                settings: settings)
    let expected = softmaxRegression(features: network.features(start, episode.supportImages), labels: episode.supportLabels,
                                     weight: start.require("head.weight"), bias: start.require("head.bias"),
                                     steps: steps, stepSize: 0.4)
    #expect(close(adapted["head.weight"], expected.weight), "head.weight is not \(steps) softmax-regression steps from the new head")
    #expect(close(adapted["head.bias"], expected.bias), "head.bias is not \(steps) softmax-regression steps from the new head")
}

/// What a recording head trainer was handed.
private struct AdapterCall {
    let parameters: Parameters
    let network: ConvNet
    let images: Tensor
    let labels: [Int]
}

/// The grader's head training: `steps` steps of size 0.4 on the head alone, features computed once.
private func referenceAdaptation(_ parameters: Parameters, _ network: ConvNet, _ images: Tensor, _ labels: [Int],
                                 steps: Int) -> Parameters {
    let features = network.features(parameters, images)
    let loss = { (head: Parameters) in crossEntropy(logits: network.head(head, features), labels: labels) }
    var head = parameters.selecting(network.headNames)
    for _ in 0..<steps { head = head - 0.4 * grad(loss)(head) }
    return parameters.merging(head)
}

/// support: `transferLearn` hands the head trainer, once, the new N-way model (the pretrained
/// body with the given head, the all-class head gone) and the support set, never the queries;
/// the adapted model it returns is what the trainer gave back.
@Test(.graded) func supportPart_theNewModelIsAdaptedOnTheSupportSetOnly() throws {
    let (pretrained, episodes) = try fixture(seed: 7003, episodes: 1)
    let episode = episodes[0]
    var generator = SeededGenerator(seed: 37)
    let head = freshHead(featureCount: allClassNetwork.featureCount, ways: 3, dtype: .float64, generator: &generator)
    var calls: [AdapterCall] = []
    let recording: HeadAdapter = { parameters, network, images, labels in
        calls.append(AdapterCall(parameters: parameters, network: network, images: images, labels: labels))
        return referenceAdaptation(parameters, network, images, labels, steps: 2)
    }
    let result = try transferLearn(pretrained, episode: episode, head: head, adapt: recording)
    try #require(calls.count == 1, "the head trainer ran \(calls.count) times for one episode")
    let call = calls[0]
    #expect(call.images.scalars == episode.supportImages.scalars && call.labels == episode.supportLabels,
            "the model was adapted on data other than the support set")
    #expect(call.network.ways == 3 && call.network.featureCount == allClassNetwork.featureCount,
            "the network handed to the head trainer is \(call.network), expected the pretrained body with a 3-way head")
    #expect(identical(call.parameters, pretrained.featureParameters.merging(head)),
            "the model handed to the head trainer is not the pretrained body topped by the given head")
    #expect(identical(result.parameters, referenceAdaptation(call.parameters, call.network, call.images, call.labels, steps: 2)),
            "the result's parameters are not the adapted model the head trainer returned")
}

/// evaluation: `queryLoss` and `queryAccuracy` are the cross-entropy and accuracy of the
/// adapted model on the query set.
@Test(.graded) func evaluationPart_queryLossAndAccuracyOfTheAdaptedModel() throws {
    let (pretrained, episodes) = try fixture(seed: 7004, episodes: 1)
    let episode = episodes[0]
    var generator = SeededGenerator(seed: 47)
    let head = freshHead(featureCount: allClassNetwork.featureCount, ways: 3, dtype: .float64, generator: &generator)
    var adaptedModel: Parameters?
    let adapter: HeadAdapter = { parameters, network, images, labels in
        let adapted = referenceAdaptation(parameters, network, images, labels, steps: 5)
        adaptedModel = adapted
        return adapted
    }
    let result = try transferLearn(pretrained, episode: episode, head: head, adapt: adapter)
    let network = pretrained.episodeNetwork(ways: 3)
    let adapted = try #require(adaptedModel, "transferLearn never adapted the model")
    let logits = network(adapted, episode.queryImages)
    let expectedLoss = crossEntropy(logits: logits, labels: episode.queryLabels).scalar
    let expectedAccuracy = accuracy(logits: logits, labels: episode.queryLabels)
    #expect(abs(result.queryLoss - expectedLoss) <= 1e-9 * max(1, expectedLoss),
            "query loss \(result.queryLoss), expected \(expectedLoss)")
    #expect(abs(result.queryAccuracy - expectedAccuracy) < 1e-12,
            "query accuracy \(result.queryAccuracy), expected \(expectedAccuracy)")
}

/// batch: one fresh head per episode, drawn from the caller's generator in episode order (and
/// nothing else drawn), each episode learnt once in order, and the means of the accuracies and
/// losses.
@Test(.graded) func batchPart_aFreshHeadPerEpisodeAndTheMeansOverEpisodes() throws {
    let (pretrained, episodes) = try fixture(seed: 7005, episodes: 3)
    var seen: [(episode: Episode, head: Parameters)] = []
    let standIn: EpisodeLearner = { episode, head in
        seen.append((episode, head))
        let index = Double(seen.count)
        return TransferResult(parameters: head, queryLoss: 0.5 * index, queryAccuracy: 0.2 * index)
    }
    var generator = SeededGenerator(seed: 57)
    let summary = try transferLearn(pretrained, episodes: episodes, generator: &generator, learn: standIn)

    var replay = SeededGenerator(seed: 57)
    let expectedHeads = episodes.map { _ in
        freshHead(featureCount: allClassNetwork.featureCount, ways: 3, dtype: .float64, generator: &replay)
    }
    try #require(seen.count == episodes.count, "the episode learner ran \(seen.count) times for \(episodes.count) episodes")
    #expect(zip(seen, episodes).allSatisfy { $0.episode.supportImages.scalars == $1.supportImages.scalars },
            "the episodes were not learnt once each, in order")
    for (index, (call, expected)) in zip(seen, expectedHeads).enumerated() {
        #expect(identical(call.head, expected), "episode \(index) did not start from its own fresh head")
    }
    #expect(generator.stateWords == replay.stateWords,
            "the generator should be used for exactly one fresh head per episode")
    #expect(summary.results.map(\.queryAccuracy) == [1.0, 2.0, 3.0].map { 0.2 * $0 },
            "the summary should list the \(episodes.count) results in episode order")
    #expect(abs(summary.meanQueryAccuracy - 0.4) < 1e-12, "mean query accuracy \(summary.meanQueryAccuracy), expected 0.4")
    #expect(abs(summary.meanQueryLoss - 1.0) < 1e-12, "mean query loss \(summary.meanQueryLoss), expected 1.0")
}
