import Autodiff
import Foundation
import NeuralNetworks

/// Everything needed to continue a run exactly where it stopped.
struct TrainingState {
    var configuration: TrainingConfiguration
    var iteration: Int
    var meta: Parameters
    var optimizerState: Adam.State
    var generator: SeededGenerator
    var log: MetricsLog
    var bestValidation: Double
    var bestIteration: Int

    /// The metadata keys of a training checkpoint.
    private enum Key {
        static let kind = "kind", configuration = "configuration", iteration = "iteration"
        static let generator = "generator", bestValidation = "best_validation", bestIteration = "best_iteration"
    }

    private static func encode(_ configuration: TrainingConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// Writes the checkpoint (parameters, Adam state, iteration, generator, task) and `metrics.csv`.
    func save(to url: URL, metrics: URL, task: TaskDescription?) throws {
        var metadata = [
            Key.kind: "training", Key.configuration: try Self.encode(configuration), Key.iteration: String(iteration),
            Key.generator: generator.stateWords.map(String.init).joined(separator: " "),
            Key.bestValidation: String(bestValidation), Key.bestIteration: String(bestIteration),
        ]
        metadata[TaskDescription.metadataKey] = task?.json
        try Checkpoint(parameters: meta, optimizerState: optimizerState, metadata: metadata).write(to: url)
        try log.csv.write(to: metrics, atomically: true, encoding: .utf8)
    }

    /// Writes meta-parameters only (the best model so far), with the configuration beside them.
    static func saveParameters(_ meta: Parameters, configuration: TrainingConfiguration, task: TaskDescription?,
                               iteration: Int, to url: URL) throws {
        var metadata = [Key.kind: "parameters", Key.configuration: try encode(configuration), Key.iteration: String(iteration)]
        metadata[TaskDescription.metadataKey] = task?.json
        try Checkpoint(parameters: meta, metadata: metadata).write(to: url)
    }

    /// Reads a checkpoint written by `save`; a missing or unreadable `metrics.csv` restarts the
    /// log with `columns`.
    static func load(from url: URL, metrics: URL, columns: [String]) throws -> TrainingState {
        let checkpoint = try Checkpoint(contentsOf: url)
        let meta = checkpoint.metadata
        func field(_ key: String) throws -> String {
            guard let value = meta[key] else {
                throw TrainingError.badFile(url.path, "it is not a training checkpoint (no '\(key)' entry); use a checkpoint.mamlckpt written by 'workbook train'")
            }
            return value
        }
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(try field(Key.configuration).utf8))
        let words = try field(Key.generator).split(separator: " ").compactMap { UInt64($0) }
        guard words.count == 4, let iteration = Int(try field(Key.iteration)) else {
            throw TrainingError.badFile(url.path, "its iteration or generator state is unreadable")
        }
        var generator = SeededGenerator(seed: 0)
        generator.stateWords = words
        var log = (try? String(contentsOf: metrics, encoding: .utf8)).flatMap { try? MetricsLog(csv: $0) }
            ?? MetricsLog(columns: columns)
        log.truncate(after: iteration)
        return TrainingState(
            configuration: configuration, iteration: iteration, meta: checkpoint.parameters,
            optimizerState: try checkpoint.optimizerState(as: Adam.State.self, file: url.path),
            generator: generator, log: log,
            bestValidation: Double(meta[Key.bestValidation] ?? "") ?? .nan,
            bestIteration: Int(meta[Key.bestIteration] ?? "") ?? 0)
    }
}
