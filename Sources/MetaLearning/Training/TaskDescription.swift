import Foundation
import NeuralNetworks
import TaskData

/// What a checkpoint's network was trained on: the model, the task family and episode sizes, the
/// data and its split. `workbook train` stores it in every checkpoint (metadata key `task`), so
/// that readers rebuild the network and the tasks without repeated flags, and refuse a mismatch.
public struct TaskDescription: Codable, Sendable, Equatable {
    /// The network's architecture.
    public enum Model: Codable, Sendable, Equatable {
        /// The conv-4 classifier (`ConvNet`).
        case convNet(ways: Int, filters: Int, blocks: Int, perStepBatchNorm: Int)
        /// A regression MLP (`MLP`), its activation by name.
        case mlp(sizes: [Int], activation: String)

        /// The architecture of `network`.
        public init(_ network: ConvNet) {
            self = .convNet(ways: network.ways, filters: network.filters, blocks: network.blocks,
                            perStepBatchNorm: network.perStepBatchNorm)
        }

        /// The conv net this describes, or nil for an MLP.
        public var convNet: ConvNet? {
            guard case let .convNet(ways, filters, blocks, perStepBatchNorm) = self else { return nil }
            return ConvNet(ways: ways, filters: filters, blocks: blocks, perStepBatchNorm: perStepBatchNorm)
        }

        /// One phrase: `conv-4 (64 filters), 20-way` or `MLP 1-40-40-1 relu`.
        public var summary: String {
            switch self {
            case let .convNet(ways, filters, blocks, _): "conv-\(blocks) (\(filters) filters), \(ways)-way"
            case let .mlp(sizes, activation): "MLP \(sizes.map(String.init).joined(separator: "-")) \(activation)"
            }
        }
    }

    /// The metadata key a checkpoint stores the description under.
    public static let metadataKey = "task"

    /// The task family (`omniglot`, `glyphs`, `sine`, ...).
    public var family: String
    /// The network.
    public var model: Model
    /// Support examples per class (classification) or per task (regression).
    public var shots: Int
    /// Query examples per class or per task.
    public var queries: Int
    /// Whether rotated characters were added as classes.
    public var rotations: Bool
    /// Whether every episode's classes came from one alphabet.
    public var withinAlphabet: Bool
    /// The data in words (folders, image count).
    public var data: String
    /// The Omniglot folders read (empty for generated data).
    public var dataRoots: [String]
    /// The alphabets of each part of the split (classification).
    public var split: GroupAssignment?

    /// A description from its parts.
    public init(family: String, model: Model, shots: Int, queries: Int, rotations: Bool = true, withinAlphabet: Bool = false,
                data: String, dataRoots: [String] = [], split: GroupAssignment? = nil) {
        (self.family, self.model, self.shots, self.queries) = (family, model, shots, queries)
        (self.rotations, self.withinAlphabet, self.data, self.dataRoots, self.split) = (rotations, withinAlphabet, data, dataRoots, split)
    }

    /// N of an N-way classifier; nil for regression.
    public var ways: Int? {
        if case let .convNet(ways, _, _, _) = model { ways } else { nil }
    }

    /// The description stored in `checkpoint`, nil when it predates descriptions; throws when it is unreadable.
    public init?(checkpoint: Checkpoint, file: String) throws {
        guard let text = checkpoint.metadata[Self.metadataKey] else { return nil }
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(text.utf8))
        } catch {
            throw TrainingError.badFile(file, "its task description is unreadable (\(error))")
        }
    }

    /// The description as one line of JSON, for checkpoint metadata and `metrics.json`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
