import Autodiff
import FOMAML
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

/// The problem of the inputs: the network as a `Classifier`, θ and the episodes.
func problem(_ inputs: Record) throws -> (model: Classifier, theta: Parameters, episodes: [Episode]) {
    let network = try ConvNetShape(record: try inputs.record("network")).network
    return ({ network($0, $1) }, try inputs.parameters("theta"), try Episode.list(inputs, "episodes"))
}

/// An adapter that hands back the judge's adaptation of each episode, whatever it is given, and
/// records every call (which episode, from which parameters).
final class StandInAdapter: @unchecked Sendable {
    let episodes: [Episode]
    let adaptations: [Adaptation]
    var calls: [Value] = []

    init(episodes: [Episode], inputs: Record) throws {
        self.episodes = episodes
        adaptations = try inputs.recordList("adaptations").map {
            Adaptation(parameters: try $0.parameters("parameters"), supportAccuracies: try $0.numbers("supportAccuracies"))
        }
    }

    func adapt(_ start: Parameters, _ episode: Episode) throws -> Adaptation {
        guard let index = episodes.firstIndex(where: { $0.supportImages.scalars == episode.supportImages.scalars }) else {
            throw ExerciseProbeError.unknownEpisode
        }
        calls.append(.record(["episode": .integer(index), "start": .of(start)]))
        return adaptations[index]
    }
}

/// An adapter was handed an episode that is not in the meta-batch.
enum ExerciseProbeError: Error, CustomStringConvertible {
    case unknownEpisode
    var description: String { "the adapter was handed an episode that is not in the meta-batch" }
}

/// A meta-batch result as a record.
func record(_ result: MetaBatchResult) -> Value {
    .record(["loss": .number(result.loss), "gradient": .of(result.gradient), "queryAccuracy": .number(result.queryAccuracy),
             "supportAccuracies": .numbers(result.supportAccuracies)])
}

/// `outerLoop` twice at θ with the stand-in adapter: both results and every adapter call.
let outer: Probe = { inputs in
    let (model, theta, episodes) = try problem(inputs)
    let adapter = try StandInAdapter(episodes: episodes, inputs: inputs)
    let first = try outerLoop(theta, episodes: episodes, model: model, adapt: adapter.adapt)
    let calls = adapter.calls
    let second = try outerLoop(theta, episodes: episodes, model: model, adapt: adapter.adapt)
    return ["first": record(first), "second": record(second), "calls": .list(calls)]
}

ProbeProgram.run([
    "adaptation": { inputs in
        let (model, _, episodes) = try problem(inputs)
        let thetas = try inputs.parameterList("thetas")
        let reports = try inputs.recordList("cases").map { setting -> Value in
            let settings = try InnerLoopSettings(steps: try setting.integer("steps"), stepSize: try setting.number("stepSize"))
            let adaptation = try innerLoop(thetas[try setting.integer("theta")], episode: episodes[try setting.integer("episode")],
                                           model: model, settings: settings)
            return .record(["parameters": .of(adaptation.parameters), "supportAccuracies": .numbers(adaptation.supportAccuracies)])
        }
        return ["cases": .list(reports)]
    },
    "fresh": outer, "gradient": outer, "objective": outer,
    "learns": { inputs in
        let (model, start, episodes) = try problem(inputs)
        let settings = try InnerLoopSettings(steps: try inputs.integer("steps"), stepSize: try inputs.number("stepSize"))
        let optimizer = Adam(learningRate: try inputs.number("learningRate"))
        var (theta, state) = (start, optimizer.initialState(for: start))
        for _ in 0..<(try inputs.integer("iterations")) {
            let result = try outerLoop(theta, episodes: episodes, model: model) { try innerLoop($0, episode: $1, model: model, settings: settings) }
            (theta, state) = optimizer.step(theta, result.gradient, state)
            theta = theta.detached()
        }
        return ["theta": .of(theta)]
    },
])
