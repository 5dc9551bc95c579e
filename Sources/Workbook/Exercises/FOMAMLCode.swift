import Autodiff
import MetaLearning
import TaskData

/// A classifier as a function of its parameters: images [N, C, H, W] to logits [N, ways].
public typealias ClassifierFunction = (_ parameters: Parameters, _ images: Tensor) -> Tensor

/// What adapting to one episode gives: φᴸ and the support accuracy at φ⁰, φ¹, …, φᴸ.
public struct EpisodeAdaptation {
    /// φᴸ, the parameters after the inner steps.
    public let parameters: Parameters
    /// The support accuracy before the first step and after each step (L + 1 numbers).
    public let supportAccuracies: [Double]

    /// Stores an adaptation.
    public init(parameters: Parameters, supportAccuracies: [Double]) {
        self.parameters = parameters
        self.supportAccuracies = supportAccuracies
    }
}

/// FO-MAML's inner loop on one episode: φ⁰ = θ, φᵏ = φᵏ⁻¹ − η ∇_φ L(φᵏ⁻¹, D^sup) for k = 1…L,
/// L the cross-entropy; records the support accuracy at every φᵏ.
public typealias InnerLoopFunction = (
    _ theta: Parameters, _ episode: Episode, _ model: @escaping ClassifierFunction, _ steps: Int, _ stepSize: Double
) throws -> EpisodeAdaptation

/// What one FO-MAML outer-loop evaluation gives on a meta-batch.
public struct MetaBatchOutcome {
    /// (1/n) Σᵢ L(φᵢᴸ, Dᵢ^query).
    public let loss: Double
    /// (1/n) Σᵢ ∇_φ L(φ, Dᵢ^query) at φ = φᵢᴸ, the first-order meta-gradient.
    public let gradient: Parameters
    /// The mean post-adaptation query accuracy.
    public let queryAccuracy: Double
    /// The mean over episodes of each support accuracy of the adaptations.
    public let supportAccuracies: [Double]

    /// Stores a meta-batch's result.
    public init(loss: Double, gradient: Parameters, queryAccuracy: Double, supportAccuracies: [Double]) {
        (self.loss, self.gradient, self.queryAccuracy, self.supportAccuracies) = (loss, gradient, queryAccuracy, supportAccuracies)
    }
}

/// FO-MAML's outer loop: adapt θ to every episode with `adapt`, average the query losses, the
/// query gradients at the adapted parameters, and the accuracies.
public typealias OuterLoopFunction = (
    _ theta: Parameters, _ episodes: [Episode], _ model: @escaping ClassifierFunction,
    _ adapt: @escaping (Parameters, Episode) throws -> EpisodeAdaptation
) throws -> MetaBatchOutcome

extension ExerciseAgreement {
    /// The library's inner loop: `InnerLoop`'s trajectory at first order, with the support accuracy of every point on it.
    public static var libraryInnerLoop: InnerLoopFunction { { theta, episode, model, steps, stepSize in
        let supportLoss = { (p: Parameters) in crossEntropy(logits: model(p, episode.supportImages), labels: episode.supportLabels) }
        let path = withFirstOrderGradients {
            InnerLoop(steps: steps, learningRate: .fixed(stepSize)).trajectory(from: theta, supportLoss: supportLoss)
        }
        let accuracies = path.map { point in
            accuracy(logits: withoutRecording { model(point, episode.supportImages) }, labels: episode.supportLabels)
        }
        return EpisodeAdaptation(parameters: path.last!, supportAccuracies: accuracies)
    } }

    /// The library's outer loop: for each episode, adapt, then the query loss and its gradient at
    /// the adapted parameters (the first-order meta-gradient); means over the episodes.
    public static var libraryOuterLoop: OuterLoopFunction { { theta, episodes, model, adapt in
        guard !episodes.isEmpty else { throw ExerciseCodeError.badInput("an outer loop needs at least one episode") }
        var loss = 0.0, queryAccuracy = 0.0
        var gradient = theta.zerosLike()
        var supportAccuracies: [Double] = []
        for episode in episodes {
            let adaptation = try adapt(theta, episode)
            let queryLoss = { (p: Parameters) in crossEntropy(logits: model(p, episode.queryImages), labels: episode.queryLabels) }
            let (value, queryGradient) = valueAndGrad(queryLoss)(adaptation.parameters.detached())
            loss += value.scalar
            gradient = gradient + queryGradient
            queryAccuracy += accuracy(logits: withoutRecording { model(adaptation.parameters, episode.queryImages) }, labels: episode.queryLabels)
            supportAccuracies = supportAccuracies.isEmpty ? adaptation.supportAccuracies : zip(supportAccuracies, adaptation.supportAccuracies).map(+)
        }
        let n = Double(episodes.count)
        return MetaBatchOutcome(loss: loss / n, gradient: gradient / n, queryAccuracy: queryAccuracy / n,
                                supportAccuracies: supportAccuracies.map { $0 / n })
    } }

    /// Two 2-way 2-shot episodes of synthetic glyphs in Double precision, and a linear classifier on their pixels.
    static func tinyClassification() throws -> (episodes: [Episode], model: ClassifierFunction, theta: Parameters) {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 3, drawingsPerClass: 4, seed: 7),
                                         ways: 2, shots: 2, queries: 2, dtype: .float64)
        var generator = SeededGenerator(seed: 8)
        let episodes = sampler.sampleBatch(count: 2, generator: &generator)
        let pixels = ImageDataset.pixelsPerImage
        let model: ClassifierFunction = { p, images in
            matmul(images.reshaped([images.shape[0], pixels]), p.require("weight")) + p.require("bias")
        }
        let theta: Parameters = ["weight": .randomNormal([pixels, 2], standardDeviation: 0.05, generator: &generator),
                                 "bias": .zeros([2])]
        return (episodes, model, theta)
    }

    /// `innerLoop`: the adapted parameters and the support accuracies of two steps on two episodes.
    public static func innerLoop(_ inner: @escaping InnerLoopFunction) throws -> String? {
        let (episodes, model, theta) = try tinyClassification()
        for (index, episode) in episodes.enumerated() {
            let expected = try libraryInnerLoop(theta, episode, model, 2, 0.4)
            let adaptation = try inner(theta, episode, model, 2, 0.4)
            guard let gap = largestDifference(adaptation.parameters, expected.parameters) else {
                return "the adapted parameters are named \(adaptation.parameters.names), expected \(expected.parameters.names)"
            }
            if !(gap <= tolerance) { return "after two steps on episode \(index + 1) the parameters differ from the library's by \(gap)" }
            if adaptation.supportAccuracies != expected.supportAccuracies {
                return "the support accuracies \(adaptation.supportAccuracies) differ from the library's \(expected.supportAccuracies)"
            }
        }
        return nil
    }

    /// `outerLoop` with the library's inner loop: loss, first-order gradient and accuracies on two episodes.
    public static func outerLoop(_ outer: @escaping OuterLoopFunction) throws -> String? {
        let (episodes, model, theta) = try tinyClassification()
        let adapt = { (p: Parameters, episode: Episode) in try libraryInnerLoop(p, episode, model, 2, 0.4) }
        let expected = try libraryOuterLoop(theta, episodes, model, adapt)
        let result = try outer(theta, episodes, model, adapt)
        if !(abs(result.loss - expected.loss) <= tolerance) { return "the meta-batch loss \(result.loss) differs from the library's \(expected.loss)" }
        guard let gap = largestDifference(result.gradient, expected.gradient) else {
            return "the gradient is named \(result.gradient.names), expected \(expected.gradient.names)"
        }
        if !(gap <= tolerance) { return "the first-order meta-gradient differs from the library's by \(gap)" }
        if !(abs(result.queryAccuracy - expected.queryAccuracy) <= tolerance) {
            return "the query accuracy \(result.queryAccuracy) differs from the library's \(expected.queryAccuracy)"
        }
        if result.supportAccuracies.count != expected.supportAccuracies.count
            || zip(result.supportAccuracies, expected.supportAccuracies).contains(where: { abs($0 - $1) > tolerance }) {
            return "the mean support accuracies \(result.supportAccuracies) differ from the library's \(expected.supportAccuracies)"
        }
        return nil
    }
}

extension ExerciseSlot where Function == InnerLoopFunction {
    /// `innerLoop` from exercise FOMAML.
    public static var fomamlInnerLoop: Self {
        Self(entry: \.fomamlInnerLoop, exercise: "FOMAML", library: ExerciseAgreement.libraryInnerLoop, check: ExerciseAgreement.innerLoop)
    }
}

extension ExerciseSlot where Function == OuterLoopFunction {
    /// `outerLoop` from exercise FOMAML.
    public static var fomamlOuterLoop: Self {
        Self(entry: \.fomamlOuterLoop, exercise: "FOMAML", library: ExerciseAgreement.libraryOuterLoop, check: ExerciseAgreement.outerLoop)
    }
}
