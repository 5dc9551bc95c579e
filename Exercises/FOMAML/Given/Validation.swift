import Autodiff
import ExerciseSupport
import TaskData

/// One point of the validation curve: after `iteration` outer steps, the mean post-adaptation
/// query accuracy (and loss) over the held-out episodes.
public struct ValidationPoint: Codable, Sendable, Equatable {
    /// The outer steps taken before this validation (0 = the initial weights).
    public let iteration: Int
    /// The mean over episodes of the query accuracy after adapting on the support set.
    public let accuracy: Double
    /// The mean over episodes of the query cross-entropy after adapting on the support set.
    public let loss: Double

    /// Stores one validation's result.
    public init(iteration: Int, accuracy: Double, loss: Double) {
        self.iteration = iteration
        self.accuracy = accuracy
        self.loss = loss
    }
}

/// Adapts θ to every episode with `adapt` and averages the query accuracy and loss of the
/// adapted parameters φᵢᴸ:
///
///     accuracy = (1/n) Σᵢ acc(model(φᵢᴸ, Dᵢ^query)),   loss = (1/n) Σᵢ L(φᵢᴸ, Dᵢ^query).
///
/// Episodes are spread over `threads` threads (each adaptation is independent of the others).
/// Throws when `episodes` is empty, and passes on the adapter's errors.
public func postAdaptationQuery(_ theta: Parameters, episodes: [Episode], model: @escaping Classifier,
                                adapt: Adapter, threads: Int = 1) throws -> (accuracy: Double, loss: Double) {
    guard !episodes.isEmpty else { throw ExerciseError.invalidArgument("validation needs at least one episode") }
    let measured = parallelMap(episodes.count, threads: threads) { index -> Result<(Double, Double), any Error> in
        Result {
            let episode = episodes[index]
            let adapted = try adapt(theta, episode).parameters
            let logits = model(adapted, episode.queryImages)
            return (accuracy(logits: logits, labels: episode.queryLabels),
                    crossEntropy(logits: logits, labels: episode.queryLabels).scalar)
        }
    }
    let values = try measured.map { try $0.get() }
    let n = Double(values.count)
    return (values.map(\.0).reduce(0, +) / n, values.map(\.1).reduce(0, +) / n)
}
