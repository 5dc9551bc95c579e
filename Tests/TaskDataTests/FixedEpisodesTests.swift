import Autodiff
import Foundation
import Testing
@testable import TaskData

@Suite("Fixed episodes from folders, and within-alphabet sampling")
struct FixedEpisodesTests {
    private func folder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fixed-\(name)-\(UUID().uuidString)")
    }

    @Test("an episode written to folders reads back with its labels, class names and pixels (to 8-bit PNG precision)")
    func roundTrip() throws {
        let root = folder("round-trip")
        defer { try? FileManager.default.removeItem(at: root) }
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 5, drawingsPerClass: 5, seed: 2), ways: 3, shots: 2, queries: 3)
        var generator = SeededGenerator(seed: 4)
        let episodes = sampler.sampleBatch(count: 2, generator: &generator)
        for (index, episode) in episodes.enumerated() { try FixedEpisodes.write(episode, to: root.appendingPathComponent("e\(index)")) }
        let loaded = try FixedEpisodes.loadAll(root)
        #expect(loaded.count == 2)
        for (original, read) in zip(episodes, loaded) {
            #expect(read.supportImages.shape == [6, 1, 28, 28] && read.queryImages.shape == [9, 1, 28, 28])
            #expect(read.supportLabels == [0, 0, 1, 1, 2, 2] && read.queryLabels == [0, 0, 0, 1, 1, 1, 2, 2, 2])
            // Class folders are read in sorted order: the labels follow the sorted names.
            let order = original.classNames.map { $0.replacingOccurrences(of: "/", with: "-") }
            #expect(read.classNames == order.sorted())
            let relabel = read.classNames.map { order.firstIndex(of: $0)! }
            for (row, label) in read.supportLabels.enumerated() {
                let originalRow = relabel[label] * 2 + row % 2
                let difference = zip(read.supportImages.floats[row * 784..<(row + 1) * 784],
                                     original.supportImages.floats[originalRow * 784..<(originalRow + 1) * 784]).map { Swift.abs($0 - $1) }.max()!
                #expect(difference <= 0.5 / 255 + 1e-6, "support row \(row)")
            }
        }
    }

    @Test("a 105x105 drawing in an episode gets the same pixels as the Omniglot loader gives it")
    func samePreprocessingAsTheLoader() throws {
        let root = folder("preprocessing")
        defer { try? FileManager.default.removeItem(at: root) }
        var pixels = [UInt8](repeating: 255, count: 105 * 105)
        for row in 20..<80 { for column in 40..<47 { pixels[row * 105 + column] = 0 } }
        let drawing = GrayscaleImage(width: 105, height: 105, pixels: pixels)
        for (half, name) in [("support", "a"), ("support", "b"), ("query", "a"), ("query", "b")] {
            let classFolder = root.appendingPathComponent("episode/\(half)/\(name)")
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            try drawing.writePNG(to: classFolder.appendingPathComponent("1.png"))
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("alphabet/Alpha/character01"), withIntermediateDirectories: true)
        try drawing.writePNG(to: root.appendingPathComponent("alphabet/Alpha/character01/1.png"))
        let episode = try FixedEpisodes.load(root.appendingPathComponent("episode"))
        let loader = try Omniglot.load(roots: [root.appendingPathComponent("alphabet")])
        #expect(Array(episode.supportImages.floats[0..<784]) == Array(loader.classes[0].image(0)))
    }

    @Test("folders that do not make an episode are errors that name the folder and the problem")
    func badFolders() throws {
        let root = folder("bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let png = GrayscaleImage(width: 28, height: 28, pixels: [UInt8](repeating: 200, count: 784))
        func put(_ path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try png.writePNG(to: url)
        }
        try put("mismatch/support/a/1.png"); try put("mismatch/support/b/1.png")
        try put("mismatch/query/a/1.png"); try put("mismatch/query/c/1.png")
        #expect { try FixedEpisodes.load(root.appendingPathComponent("mismatch")) } throws: { "\($0)".contains("same classes") }
        try put("uneven/support/a/1.png"); try put("uneven/support/a/2.png"); try put("uneven/support/b/1.png")
        try put("uneven/query/a/1.png"); try put("uneven/query/b/1.png")
        #expect { try FixedEpisodes.load(root.appendingPathComponent("uneven")) } throws: { "\($0)".contains("support/b has 1 drawings") }
        #expect { try FixedEpisodes.load(root.appendingPathComponent("missing")) } throws: { "\($0)".contains("folder not found") }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect { try FixedEpisodes.loadAll(root.appendingPathComponent("empty")) } throws: { "\($0)".contains("no episode folders") }
    }

    @Test("within-alphabet episodes take all their classes from one group; too small groups are an error")
    func withinGroup() throws {
        let classes = (0..<12).map { ImageClass(name: "c\($0)", group: "g\($0 % 3)", pixels: [Float](repeating: 0, count: 784 * 3)) }
        let dataset = ImageDataset(classes: classes)
        let sampler = try EpisodeSampler(dataset: dataset, ways: 4, shots: 1, queries: 1, withinGroup: true)
        var generator = SeededGenerator(seed: 1)
        var groupsSeen = Set<String>()
        for episode in sampler.sampleBatch(count: 30, generator: &generator) {
            let groups = Set(episode.classNames.map { name in classes.first { $0.name == name }!.group })
            #expect(groups.count == 1 && Set(episode.classNames).count == 4)
            groupsSeen.formUnion(groups)
        }
        #expect(groupsSeen == ["g0", "g1", "g2"])
        #expect { try EpisodeSampler(dataset: dataset, ways: 5, shots: 1, queries: 1, withinGroup: true) }
            throws: { "\($0)".contains("alphabet of 5 classes") && "\($0)".contains("largest has 4") }
    }
}
