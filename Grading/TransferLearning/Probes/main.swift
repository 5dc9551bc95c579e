import Autodiff
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData
import TransferLearning

/// The pretrained network and the episodes of the inputs.
func problem(_ inputs: Record) throws -> (pretrained: PretrainedNetwork, episodes: [Episode]) {
    let network = try ConvNetShape(record: try inputs.record("network")).network
    return (try PretrainedNetwork(network: network, parameters: try inputs.parameters("pretrained")), try Episode.list(inputs, "episodes"))
}

/// The seed sent as text (64-bit numbers do not fit JSON numbers exactly).
func seed(_ inputs: Record, _ key: String) throws -> UInt64 {
    guard let seed = UInt64(try inputs.text(key)) else { throw ValueError.malformed(key) }
    return seed
}

/// `adaptHead` on every case: the starting model (body and a Glorot head from the case's seed) and the model it returns.
let headTraining: Probe = { inputs in
    let (pretrained, episodes) = try problem(inputs)
    let reports = try inputs.recordList("cases").map { setting -> Value in
        let episode = episodes[try setting.integer("episode")]
        var generator = SeededGenerator(seed: try seed(setting, "headSeed"))
        let network = pretrained.episodeNetwork(ways: classCount(of: episode))
        let start = pretrained.featureParameters.merging(freshHead(featureCount: network.featureCount, ways: network.ways, generator: &generator))
        let settings = try TransferSettings(steps: try setting.integer("steps"), stepSize: try setting.number("stepSize"))
        let adapted = try adaptHead(start, network: network, images: episode.supportImages, labels: episode.supportLabels, settings: settings)
        return .record(["adapted": .of(adapted)])
    }
    return ["cases": .list(reports)]
}

/// `transferLearn` on one episode with a head trainer that records its calls and returns the judge's model.
let oneEpisode: Probe = { inputs in
    let (pretrained, episodes) = try problem(inputs)
    let trainerResult = try inputs.parameters("trainerResult")
    nonisolated(unsafe) var calls: [Value] = []
    let result = try transferLearn(pretrained, episode: episodes[0], head: try inputs.parameters("head")) { parameters, network, images, labels in
        calls.append(.record(["parameters": .of(parameters), "network": .integers([network.ways, network.filters, network.blocks]),
                              "images": .of(images), "labels": .integers(labels)]))
        return trainerResult
    }
    return ["calls": .list(calls), "resultParameters": .of(result.parameters), "queryLoss": .number(result.queryLoss),
            "queryAccuracy": .number(result.queryAccuracy)]
}

ProbeProgram.run([
    "frozen": headTraining, "adaptation": headTraining, "support": oneEpisode, "evaluation": oneEpisode,
    "batch": { inputs in
        let (pretrained, episodes) = try problem(inputs)
        let (losses, accuracies) = (try inputs.numbers("losses"), try inputs.numbers("accuracies"))
        var generator = SeededGenerator(seed: try seed(inputs, "generatorSeed"))
        nonisolated(unsafe) var calls: [Value] = []
        let summary = try transferLearn(pretrained, episodes: episodes, generator: &generator) { episode, head in
            let index = episodes.firstIndex { $0.supportImages.scalars == episode.supportImages.scalars } ?? -1
            calls.append(.record(["episode": .integer(index), "head": .of(head)]))
            let k = max(index, 0)
            return TransferResult(parameters: head, queryLoss: losses[k], queryAccuracy: accuracies[k])
        }
        return ["calls": .list(calls), "generatorState": .text(generator.stateWords.map(String.init).joined(separator: ",")),
                "resultAccuracies": .numbers(summary.results.map(\.queryAccuracy)),
                "meanQueryAccuracy": .number(summary.meanQueryAccuracy), "meanQueryLoss": .number(summary.meanQueryLoss)]
    },
])
