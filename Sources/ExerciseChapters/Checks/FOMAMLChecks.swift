import Autodiff
import FOMAML
import Foundation
import TaskData

/// `innerLoop` as a chapter calls it (exercise FOMAML).
public typealias FOMAMLInnerLoopFunction = (
    _ theta: Parameters, _ episode: Episode, _ model: @escaping Classifier, _ settings: InnerLoopSettings
) throws -> Adaptation
/// `outerLoop` as a chapter calls it (exercise FOMAML).
public typealias FOMAMLOuterLoopFunction = (
    _ theta: Parameters, _ episodes: [Episode], _ model: @escaping Classifier, _ adapt: Adapter
) throws -> MetaBatchResult
/// The given `trainFOMAML`, which runs the exercise's own loops (exercise FOMAML).
public typealias FOMAMLTrainingFunction = (
    _ data: TrainingData, _ settings: TrainingSettings, _ progress: (TrainingProgress) -> Void
) throws -> TrainingRun

/// Known-answer checks with a classifier whose logits are its bias b for every image, on 2-way
/// episodes with one support and two query drawings per class. With p = softmax(b), the
/// cross-entropy of a balanced set is −½(log p₀ + log p₁) and its gradient is p − (½, ½).
enum FOMAMLChecks {
    /// Logits b for each image, whatever it shows.
    static func biasOnly(_ p: Parameters, _ images: Tensor) -> Tensor {
        Tensor.zeros([images.shape[0], 2], dtype: images.dtype) + p.require("b")
    }

    /// Two 2-way 1-shot 2-query episodes of synthetic glyphs in Double precision.
    static func episodes() throws -> [Episode] {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 3, drawingsPerClass: 4, seed: 7),
                                         ways: 2, shots: 1, queries: 2, dtype: .float64)
        var generator = SeededGenerator(seed: 8)
        return sampler.sampleBatch(count: 2, generator: &generator)
    }

    /// softmax(b₀, b₁)₀ = 1 / (1 + e^(b₁ − b₀)).
    static func firstProbability(_ b: [Double]) -> Double { 1 / (1 + Foundation.exp(b[1] - b[0])) }

    /// One step of η = 1 from b = (0.2, 0): b − (p − ½) with p₀ = σ(0.2); the predictions stay on
    /// class 0, so both support accuracies are ½. The model must see only the support images.
    static func inner(_ innerLoop: @escaping FOMAMLInnerLoopFunction) -> SanityCheck {
        SanityCheck("FOMAML", "innerLoop") {
            let episode = try episodes()[0]
            var sizes = Set<Int>()
            let watched: Classifier = { p, images in
                sizes.insert(images.shape[0])
                return biasOnly(p, images)
            }
            let adaptation = try innerLoop(["b": Tensor([0.2, 0])], episode, watched, InnerLoopSettings(steps: 1, stepSize: 1))
            if sizes.contains(episode.queryLabels.count) {
                return "innerLoop evaluated the model on the query images; adaptation may use the support set only"
            }
            let p0 = firstProbability([0.2, 0])
            let expected = [0.2 - (p0 - 0.5), p0 - 0.5]
            let b = adaptation.parameters["b"]?.scalars ?? []
            if !close(b, expected) {
                return "with logits b for every image, one step of η = 1 from b = (0.2, 0) on a balanced support set gave b = \(shown(b)); "
                    + "b − (softmax(b) − ½) = \(shown(expected)) was expected"
            }
            return close(adaptation.supportAccuracies, [0.5, 0.5]) ? nil
                : "the support accuracies before and after the step were \(shown(adaptation.supportAccuracies)); (0.5, 0.5) was expected"
        }
    }

    /// An adapter that sends episode i to the constant bias (0.2, 0) or (0, 0.3): the loss is the mean
    /// of the two closed-form cross-entropies, the gradient the mean of p − ½ at those biases, each
    /// query accuracy ½, and the support accuracies the means of those the adapter reports.
    static func outer(_ outerLoop: @escaping FOMAMLOuterLoopFunction) -> SanityCheck {
        SanityCheck("FOMAML", "outerLoop") {
            let episodes = try episodes()
            let theta: Parameters = ["b": Tensor([0.0, 0.0])]
            let biases = [[0.2, 0], [0, 0.3]]
            var starts: [[Double]] = []
            var calls = 0
            let adapter: Adapter = { start, _ in
                starts.append(start.require("b").scalars)
                calls += 1
                return Adaptation(parameters: ["b": Tensor(biases[(calls - 1) % 2])], supportAccuracies: calls % 2 == 1 ? [0.25, 0.75] : [0.75, 0.25])
            }
            let result = try outerLoop(theta, episodes, biasOnly, adapter)
            if starts.count != 2 || starts.contains(where: { $0 != [0, 0] }) {
                return "outerLoop adapted from \(starts.map(shown)); each of the 2 episodes must be adapted once, from θ itself"
            }
            let p = biases.map(firstProbability)
            let loss = p.map { -0.5 * (Foundation.log($0) + Foundation.log(1 - $0)) }.reduce(0, +) / 2
            let gradient = [(p[0] - 0.5 + p[1] - 0.5) / 2, (0.5 - p[0] + 0.5 - p[1]) / 2]
            let got = result.gradient["b"]?.scalars ?? []
            if !close(result.loss, loss) { return "with a fixed adapter it gave the loss \(shown(result.loss)); the mean query loss \(shown(loss)) was expected" }
            if !close(got, gradient) {
                return "with a fixed adapter it gave the gradient \(shown(got)); the mean query gradient at the adapted parameters, "
                    + "\(shown(gradient)), was expected"
            }
            if !close(result.queryAccuracy, 0.5) { return "its query accuracy was \(shown(result.queryAccuracy)); 0.5 was expected" }
            return close(result.supportAccuracies, [0.5, 0.5]) ? nil
                : "its mean support accuracies were \(shown(result.supportAccuracies)); the means of (0.25, 0.75) and (0.75, 0.25) were expected"
        }
    }
}
