import Autodiff
import GradingRuntime
import NeuralNetworks
import TaskData

/// Episodes and convolutional networks as values that cross between a judge and a probe.
extension Episode {
    /// The episode's images and labels.
    public var record: Record {
        ["supportImages": .of(supportImages), "supportLabels": .integers(supportLabels),
         "queryImages": .of(queryImages), "queryLabels": .integers(queryLabels)]
    }

    /// The episode from its record.
    public init(record: Record) throws {
        try self.init(supportImages: try record.tensor("supportImages"), supportLabels: try record.integers("supportLabels"),
                      queryImages: try record.tensor("queryImages"), queryLabels: try record.integers("queryLabels"))
    }

    /// Episodes from a list of records.
    public static func list(_ record: Record, _ key: String) throws -> [Episode] {
        try record.recordList(key).map(Episode.init(record:))
    }

    /// A description for feedback: "3-way 2-shot, 3 queries per class".
    public var shapeDescription: String {
        let ways = (supportLabels.max() ?? -1) + 1
        return "\(ways)-way \(supportLabels.count / max(ways, 1))-shot, \(queryLabels.count / max(ways, 1)) queries per class"
    }
}

extension Value {
    /// Episodes as a list of records.
    public static func of(_ episodes: [Episode]) -> Value { .list(episodes.map { .record($0.record) }) }
}

/// The shape of a small `ConvNet` (ways, filters, blocks), so that both sides build the same network.
public struct ConvNetShape: Sendable, Equatable {
    /// N, the head's outputs.
    public var ways: Int
    /// Filters per block.
    public var filters: Int
    /// Convolutional blocks.
    public var blocks: Int

    /// A shape.
    public init(ways: Int, filters: Int, blocks: Int) { (self.ways, self.filters, self.blocks) = (ways, filters, blocks) }

    /// The shape as a record.
    public var record: Record { ["ways": .integer(ways), "filters": .integer(filters), "blocks": .integer(blocks)] }

    /// The shape from its record.
    public init(record: Record) throws {
        self.init(ways: try record.integer("ways"), filters: try record.integer("filters"), blocks: try record.integer("blocks"))
    }

    /// The network.
    public var network: ConvNet { ConvNet(ways: ways, filters: filters, blocks: blocks) }

    /// "3-way ConvNet with 2 blocks of 4 filters".
    public var description: String { "\(ways)-way ConvNet with \(blocks) blocks of \(filters) filters" }
}

/// Few-shot episodes of synthetic glyphs for the hidden tests: small, drawn from a seed, in double precision.
public enum GlyphEpisodes {
    /// `count` N-way K-shot Q-query episodes of a fresh synthetic glyph set of `classes` classes.
    public static func draw(count: Int, ways: Int, shots: Int, queries: Int, classes: Int,
                            generator: inout SeededGenerator, dtype: DType = .float64) throws -> [Episode] {
        let dataset = SyntheticGlyphs.dataset(classes: classes, drawingsPerClass: shots + queries + 1, seed: generator.next())
        let sampler = try EpisodeSampler(dataset: dataset, ways: ways, shots: shots, queries: queries, dtype: dtype)
        return sampler.sampleBatch(count: count, generator: &generator)
    }
}
