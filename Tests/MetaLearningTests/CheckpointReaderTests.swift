import Autodiff
import Foundation
import NeuralNetworks
import TaskData
import Testing
@testable import MetaLearning

@Suite("Reading a self-describing checkpoint and evaluating it on given episodes")
struct CheckpointReaderTests {
    let network = ConvNet(ways: 3, filters: 8)
    let episodes: [Episode]

    init() throws {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 9, drawingsPerClass: 5, seed: 2),
                                         ways: 3, shots: 2, queries: 3)
        var generator = SeededGenerator(seed: 5)
        episodes = sampler.sampleBatch(count: 4, generator: &generator)
    }

    /// A checkpoint of a freshly initialized `network` (FO-MAML, α = 0.4), with or without its description.
    func checkpoint(described: Bool) throws -> URL {
        var generator = SeededGenerator(seed: 11)
        var configuration = TrainingConfiguration()
        (configuration.algorithm, configuration.innerLearningRate, configuration.innerSteps) = (.fomaml, 0.4, 2)
        configuration.evaluationInnerSteps = 2
        var metadata = ["configuration": String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)]
        if described {
            metadata[TaskDescription.metadataKey] = TaskDescription(
                family: "glyphs", model: .init(network), shots: 2, queries: 3, data: "synthetic glyphs",
                split: GroupAssignment(train: ["A"], validation: ["B"], test: [])).json
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("reader-\(described)-\(UUID().uuidString).mamlckpt")
        try Checkpoint(parameters: network.initialize(generator: &generator), metadata: metadata).write(to: url)
        return url
    }

    @Test("The description survives the file; episodes evaluate with the network it names, as a problem of that network does")
    func describedNetwork() throws {
        let url = try checkpoint(described: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CheckpointEvaluation(contentsOf: url)
        #expect(reader.task?.ways == 3 && reader.task?.split?.validation == ["B"] && reader.task?.model.summary == "conv-4 (8 filters), 3-way")
        #expect(try reader.convNet() == network)
        let direct = try reader.evaluate(episodes: episodes)
        let problem = try ClassificationProblem.episodes(from: SyntheticGlyphs.dataset(classes: 60, drawingsPerClass: 5, seed: 1),
                                                         name: "glyphs", ways: 3, shots: 2, queries: 3, filters: 8)
        let throughProblem = try reader.evaluate(on: problem, episodes: episodes)
        #expect(direct.accuracy?.mean == throughProblem.accuracy?.mean && direct.loss.mean == throughProblem.loss.mean)
        #expect(direct.accuracy?.count == 4)
    }

    @Test("Support statistics equal the query batch's own when the queries are the support images; running statistics of that batch equal support statistics")
    func batchNormModes() throws {
        let url = try checkpoint(described: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CheckpointEvaluation(contentsOf: url)
        let mirrored = try episodes.map {
            try Episode(supportImages: $0.supportImages, supportLabels: $0.supportLabels,
                        queryImages: $0.supportImages, queryLabels: $0.supportLabels, classNames: $0.classNames)
        }
        let transductive = try reader.evaluate(episodes: mirrored, batchNorm: .transductive)
        let support = try reader.evaluate(episodes: mirrored, batchNorm: .support)
        #expect(abs(transductive.loss.mean - support.loss.mean) < 1e-4)
        #expect(transductive.accuracy?.mean == support.accuracy?.mean)
        // On real queries the modes differ: the query batch no longer normalizes itself.
        let onQueries = try [BatchNormMode.transductive, .support].map { try reader.evaluate(episodes: episodes, batchNorm: $0).loss.mean }
        #expect(onQueries[0] != onQueries[1])

        // With no adaptation step, "support" is "running" with the support batch's own statistics.
        let one = [episodes[0]]
        var batch = network.initialStatistics(momentum: 1)
        batch.unbiasedVariance = false
        let statistics = network(reader.parameters, one[0].supportImages, statistics: batch, training: true).statistics
        let running = try reader.evaluate(episodes: one, innerSteps: 0, batchNorm: .running(statistics))
        let supportOne = try reader.evaluate(episodes: one, innerSteps: 0, batchNorm: .support)
        #expect(running.loss.mean == supportOne.loss.mean)
    }

    @Test("Running statistics average the batches: one batch of momentum 1 is that batch's statistics, and they are deterministic")
    func runningStatistics() throws {
        let url = try checkpoint(described: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CheckpointEvaluation(contentsOf: url)
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 9, drawingsPerClass: 5, seed: 2), ways: 3, shots: 2, queries: 3)
        let first = try reader.runningStatistics(sampler: sampler, batches: 3, seed: 4)
        let second = try reader.runningStatistics(sampler: sampler, batches: 3, seed: 4)
        #expect(first.means.map(\.scalars) == second.means.map(\.scalars))
        #expect(first.variances.allSatisfy { $0.scalars.allSatisfy { $0 > 0 && $0.isFinite } })
        #expect(first.means.count == 4 && first.means[0].shape == [8])
    }

    @Test("Without a description, and with episodes of another class count, the reader says what is wrong")
    func mistakes() throws {
        let bare = try checkpoint(described: false)
        defer { try? FileManager.default.removeItem(at: bare) }
        #expect { try CheckpointEvaluation(contentsOf: bare).evaluate(episodes: episodes) } throws: { "\($0)".contains("predates") }
        let url = try checkpoint(described: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let twoWay = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 5, seed: 2), ways: 2, shots: 1, queries: 1)
        var generator = SeededGenerator(seed: 1)
        #expect {
            try CheckpointEvaluation(contentsOf: url).evaluate(episodes: [twoWay.sample(generator: &generator)])
        } throws: { "\($0)".contains("2 classes") && "\($0)".contains("3-way") }
    }
}
