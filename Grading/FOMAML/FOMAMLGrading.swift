import Autodiff
import FOMAML
import NeuralNetworks
import TaskData
import GradingSupport
import Testing

// Hidden tests for FOMAML (20 points): `adaptation` (7), `fresh` (3), `gradient` (6) and
// `objective` (4). The outer-loop tests inject the reference inner loop below (or a stand-in
// that returns its adaptations), so a wrong `innerLoop` costs only the `adaptation` part.

/// A tiny few-shot network (3-way, 4 filters, 2 blocks: 28 → 14 → 7) so that debug builds stay fast.
private let net = ConvNet(ways: 3, filters: 4, blocks: 2)
/// The logits of `net` at `params`, as the `Classifier` the exercise takes.
private func model(_ params: Parameters, _ images: Tensor) -> Tensor { net(params, images) }

/// θ and a few 3-way 2-shot 3-query episodes of synthetic glyphs, in double precision.
private func fixture(seed: UInt64, episodes count: Int) throws -> (theta: Parameters, episodes: [Episode]) {
    var generator = SeededGenerator(seed: seed)
    let dataset = SyntheticGlyphs.dataset(classes: 6, drawingsPerClass: 5, seed: seed)
    let sampler = try EpisodeSampler(dataset: dataset, ways: 3, shots: 2, queries: 3, dtype: .float64)
    let theta = net.initialize(generator: &generator, dtype: .float64)
    return (theta, sampler.sampleBatch(count: count, generator: &generator))
}

/// The mean cross-entropy of the network at `params` on `images`.
private func loss(_ params: Parameters, _ images: Tensor, _ labels: [Int]) -> Tensor {
    crossEntropy(logits: model(params, images), labels: labels)
}

/// The reference inner loop: `steps` steps of size `eta` on the support loss from `start`,
/// with the support accuracy before the first step and after each one.
private func referenceAdaptation(_ start: Parameters, _ episode: Episode, steps: Int, eta: Double) -> Adaptation {
    let supportLoss = { (p: Parameters) in loss(p, episode.supportImages, episode.supportLabels) }
    var phi = start
    var accuracies = [accuracy(logits: model(phi, episode.supportImages), labels: episode.supportLabels)]
    for _ in 0..<steps {
        phi = phi - eta * grad(supportLoss)(phi)
        accuracies.append(accuracy(logits: model(phi, episode.supportImages), labels: episode.supportLabels))
    }
    return Adaptation(parameters: phi, supportAccuracies: accuracies)
}

/// True when both have the same names in the same order and every value agrees to `tolerance`
/// relative to its size.
private func close(_ a: Parameters, _ b: Parameters, tolerance: Double = 1e-9) -> Bool {
    a.map(\.0) == b.map(\.0) && a.allSatisfy { name, tensor in
        let other = b.require(name)
        return tensor.shape == other.shape
            && zip(tensor.scalars, other.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}

/// A stand-in inner loop that hands back the reference adaptation of θ for each episode,
/// whatever parameters it is given.
private func precomputedAdapter(theta: Parameters, episodes: [Episode], steps: Int) -> (Adapter, [Adaptation]) {
    let adaptations = episodes.map { referenceAdaptation(theta, $0, steps: steps, eta: 0.4) }
    let adapter: Adapter = { _, episode in
        guard let index = episodes.firstIndex(where: { $0.supportImages.scalars == episode.supportImages.scalars }) else {
            throw ExerciseError.invalidArgument("an episode that is not in the meta-batch")
        }
        return adaptations[index]
    }
    return (adapter, adaptations)
}

/// adaptation: exactly L steps θ − η∇L(·, support) on the support set only, and the support
/// accuracies before the first step and after each step.
@Test(.graded, arguments: [1, 3]) func adaptationPart_supportStepsAndAccuraciesBeforeAndAfter(steps: Int) throws {
    let (theta, episodes) = try fixture(seed: 6001, episodes: 1)
    let settings = try InnerLoopSettings(steps: steps, stepSize: 0.4)
    let adaptation = try innerLoop(theta, episode: episodes[0], model: model, settings: settings)
    let expected = referenceAdaptation(theta, episodes[0], steps: steps, eta: 0.4)
    #expect(close(adaptation.parameters, expected.parameters), "the adapted parameters are not \(steps) support steps from θ")
    #expect(adaptation.supportAccuracies.count == steps + 1, "expected \(steps + 1) support accuracies (before and after each step)")
    #expect(zip(adaptation.supportAccuracies, expected.supportAccuracies).allSatisfy { abs($0 - $1) < 1e-12 },
            "support accuracies \(adaptation.supportAccuracies), expected \(expected.supportAccuracies)")
}

/// fresh: every episode is adapted from θ itself (never from the previous episode's adapted
/// parameters), and evaluating twice gives the same result.
@Test(.graded) func freshPart_everyEpisodeIsAdaptedFromTheta() throws {
    let (theta, episodes) = try fixture(seed: 6002, episodes: 3)
    var starts: [Parameters] = []
    let recording: Adapter = { start, episode in
        starts.append(start)
        return referenceAdaptation(start, episode, steps: 2, eta: 0.4)
    }
    let first = try outerLoop(theta, episodes: episodes, model: model, adapt: recording)
    #expect(starts.count == episodes.count, "the inner loop ran \(starts.count) times for \(episodes.count) episodes")
    #expect(starts.allSatisfy { close($0, theta, tolerance: 0) }, "an episode was adapted from parameters other than θ")
    let second = try outerLoop(theta, episodes: episodes, model: model, adapt: recording)
    #expect(first.loss == second.loss && close(first.gradient, second.gradient, tolerance: 0),
            "a second evaluation at the same θ gave a different result")
}

/// gradient: (1/n) Σᵢ ∇_φ L(φ, queryᵢ) at φ = φᵢᴸ, computed here independently.
@Test(.graded) func gradientPart_meanOfQueryGradientsAtTheAdaptedParameters() throws {
    let (theta, episodes) = try fixture(seed: 6003, episodes: 3)
    let (adapter, adaptations) = precomputedAdapter(theta: theta, episodes: episodes, steps: 2)
    let result = try outerLoop(theta, episodes: episodes, model: model, adapt: adapter)
    var expected = theta.zerosLike()
    for (episode, adaptation) in zip(episodes, adaptations) {
        expected = expected + grad { (p: Parameters) in loss(p, episode.queryImages, episode.queryLabels) }(adaptation.parameters)
    }
    expected = expected / Double(episodes.count)
    #expect(close(result.gradient, expected), "the gradient is not the mean of the query gradients at the adapted parameters")
}

/// objective: the mean post-adaptation query loss, with the mean query accuracy and the mean
/// support accuracies of the adaptations.
@Test(.graded) func objectivePart_meanPostAdaptationQueryLossAndAccuracies() throws {
    let (theta, episodes) = try fixture(seed: 6004, episodes: 3)
    let (adapter, adaptations) = precomputedAdapter(theta: theta, episodes: episodes, steps: 2)
    let result = try outerLoop(theta, episodes: episodes, model: model, adapt: adapter)
    let n = Double(episodes.count)
    let pairs = Array(zip(episodes, adaptations))
    let expectedLoss = pairs.map { loss($1.parameters, $0.queryImages, $0.queryLabels).scalar }.reduce(0, +) / n
    let expectedQueryAccuracy = pairs.map { accuracy(logits: model($1.parameters, $0.queryImages), labels: $0.queryLabels) }
        .reduce(0, +) / n
    let expectedSupport = (0...2).map { k in adaptations.map { $0.supportAccuracies[k] }.reduce(0, +) / n }
    #expect(abs(result.loss - expectedLoss) <= 1e-9 * max(1, abs(expectedLoss)), "objective \(result.loss), expected \(expectedLoss)")
    #expect(abs(result.queryAccuracy - expectedQueryAccuracy) < 1e-12, "query accuracy \(result.queryAccuracy), expected \(expectedQueryAccuracy)")
    #expect(result.supportAccuracies.count == 3
            && zip(result.supportAccuracies, expectedSupport).allSatisfy { abs($0 - $1) < 1e-12 },
            "support accuracies \(result.supportAccuracies), expected \(expectedSupport)")
}
