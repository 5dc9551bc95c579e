import Autodiff
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

/// The small few-shot problem of FOMAML's code parts: a 2- or 3-way ConvNet with 4 filters and
/// 2 blocks (28 → 14 → 7), θ drawn from the seed, and 2-shot 3-query episodes of synthetic
/// glyphs, all in double precision so that the comparisons can be tight.
struct FewShotProblem {
    /// The network's shape.
    let shape: ConvNetShape
    /// θ.
    let theta: Parameters
    /// The episodes.
    let episodes: [Episode]

    /// A problem with `episodes` episodes.
    static func draw(_ random: inout SeededGenerator, episodes count: Int) throws -> FewShotProblem {
        let shape = ConvNetShape(ways: random.int(in: 2...3), filters: 4, blocks: 2)
        let theta = shape.network.initialize(generator: &random, dtype: .float64)
        let episodes = try GlyphEpisodes.draw(count: count, ways: shape.ways, shots: 2, queries: 3, classes: shape.ways + 3, generator: &random)
        return FewShotProblem(shape: shape, theta: theta, episodes: episodes)
    }

    /// The problem as inputs.
    var record: Record { ["network": .record(shape.record), "theta": .of(theta), "episodes": .of(episodes)] }

    /// The problem from its inputs.
    init(_ record: Record) throws {
        self.init(shape: try ConvNetShape(record: try record.record("network")), theta: try record.parameters("theta"),
                  episodes: try Episode.list(record, "episodes"))
    }

    /// A problem of its parts.
    init(shape: ConvNetShape, theta: Parameters, episodes: [Episode]) { (self.shape, self.theta, self.episodes) = (shape, theta, episodes) }

    /// "a 3-way ConvNet with 2 blocks of 4 filters, 3 episodes (3-way 2-shot, 3 queries per class)".
    var description: String {
        "a \(shape.description), θ drawn at random, \(episodes.count) episode\(episodes.count == 1 ? "" : "s") of synthetic glyphs "
            + "(\(episodes.first?.shapeDescription ?? ""))"
    }
}

/// The judges' own inner loop: L steps φ ← φ − η ∇ CE(net(φ, support), labels) from `start`,
/// with the support accuracy at φ⁰ … φᴸ.
func referenceAdaptation(_ start: Parameters, episode: Episode, network: ConvNet, steps: Int, stepSize: Double)
    -> (parameters: Parameters, accuracies: [Double]) {
    let supportLoss = { (p: Parameters) in crossEntropy(logits: network(p, episode.supportImages), labels: episode.supportLabels) }
    var phi = start
    var accuracies = [accuracy(logits: network(phi, episode.supportImages), labels: episode.supportLabels)]
    for _ in 0..<steps {
        phi = phi - stepSize * grad(supportLoss)(phi)
        accuracies.append(accuracy(logits: network(phi, episode.supportImages), labels: episode.supportLabels))
    }
    return (phi, accuracies)
}

/// The adaptations the outer-loop parts hand to the student's `outerLoop` in place of an inner
/// loop: the judges' own, of θ, for every episode (2 steps of 0.4), so that a mistake in
/// `innerLoop` costs nothing here.
func standInAdaptations(_ problem: FewShotProblem) -> [Record] {
    problem.episodes.map { episode in
        let adaptation = referenceAdaptation(problem.theta, episode: episode, network: problem.shape.network, steps: 2, stepSize: 0.4)
        return ["parameters": .of(adaptation.parameters), "supportAccuracies": .numbers(adaptation.accuracies)]
    }
}
