import Autodiff
import Testing
@testable import TaskData

@Suite("Image data sets, splits and episodes")
struct ImageDataTests {
    @Test("Synthetic glyphs: 28x28 values in [0, 1], every drawing has ink, drawings of a class differ")
    func glyphShapesAndRanges() {
        let dataset = SyntheticGlyphs.dataset(classes: 12, drawingsPerClass: 6, classesPerGroup: 5, seed: 7)
        #expect(dataset.classes.count == 12)
        #expect(dataset.imageCount == 72)
        #expect(dataset.groups.count == 3)
        for imageClass in dataset.classes {
            #expect(imageClass.imageCount == 6)
            #expect(imageClass.pixels.allSatisfy { (0...1).contains($0) })
            for d in 0..<6 {
                let ink = imageClass.image(d).reduce(0, +)
                #expect(ink > 10 && ink < 400, "drawing \(d) of \(imageClass.name) has \(ink) ink")
            }
            #expect(imageClass.image(0) != imageClass.image(1))
        }
        #expect(Set(dataset.classes.map(\.name)).count == 12)
    }

    @Test("A glyph whose jittered stroke runs off the canvas renders (the part on it), never traps")
    func strokesOffTheCanvas() {
        // Left of, right of, above and below the canvas (pixel 14 + 12 u: u < -1.2 or u > 1.2).
        let off = Glyph(strokes: [[Point(x: -1.9, y: 0), Point(x: -1.8, y: 0.1), Point(x: -1.7, y: 0.2)],
                                  [Point(x: 1.8, y: 0), Point(x: 1.9, y: 0), Point(x: 2.0, y: 0)],
                                  [Point(x: 0, y: -2.0), Point(x: 0.1, y: -1.9), Point(x: 0.2, y: -1.8)],
                                  [Point(x: 0, y: 1.8), Point(x: 0, y: 1.9), Point(x: 0, y: 2.0)]], penWidth: 1.8)
        #expect(off.render().allSatisfy { $0 == 0 })
        let partly = Glyph(strokes: [[Point(x: -2, y: 0), Point(x: -1, y: 0), Point(x: 0, y: 0)]], penWidth: 1.8)
        let image = partly.render()
        #expect(image[14 * 28 + 10] > 0.5 && image[14 * 28 + 20] == 0, "ink where the stroke crosses the canvas only")
    }

    @Test("Synthetic glyphs are deterministic per seed, and a class does not depend on how many are made")
    func glyphDeterminism() {
        let a = SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 3, seed: 1)
        let b = SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 3, seed: 1)
        let c = SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 3, seed: 2)
        let more = SyntheticGlyphs.dataset(classes: 6, drawingsPerClass: 3, seed: 1)
        #expect(a == b)
        #expect(a.classes[0].pixels != c.classes[0].pixels)
        #expect(Array(more.classes.prefix(4)) == a.classes)
    }

    @Test("Glyph episodes are a fair few-shot problem: 1-NN well above chance, well below perfect")
    func glyphNearestNeighbour() throws {
        let dataset = SyntheticGlyphs.dataset(classes: 40, drawingsPerClass: 10)
        let sampler = try EpisodeSampler(dataset: dataset, ways: 5, shots: 1, queries: 5)
        var generator = SeededGenerator(seed: 3)
        let accuracy = nearestNeighbourAccuracy(sampler: sampler, episodes: 40, generator: &generator)
        #expect(accuracy > 0.3 && accuracy < 0.8, "1-NN 5-way 1-shot accuracy \(accuracy)")
    }

    @Test("Nearest neighbour scores 1 when queries copy the support and 0 when they copy another class")
    func nearestNeighbourOnKnownEpisodes() throws {
        let a = [Float](repeating: 0, count: 784), b = [Float](repeating: 1, count: 784)
        let support = Tensor(shape: [2, 1, 28, 28], floats: a + b)
        let exact = try Episode(supportImages: support, supportLabels: [0, 1], queryImages: support,
                            queryLabels: [0, 1], classNames: ["a", "b"])
        let swapped = try Episode(supportImages: support, supportLabels: [0, 1], queryImages: support,
                              queryLabels: [1, 0], classNames: ["a", "b"])
        #expect(nearestNeighbourAccuracy(exact) == 1)
        #expect(nearestNeighbourAccuracy(swapped) == 0)
    }

    @Test("An episode built from given tensors refuses images that do not fit their labels")
    func episodeFromTensorsChecksItsCounts() {
        let images = Tensor(shape: [2, 1, 28, 28], floats: [Float](repeating: 0, count: 2 * 784))
        #expect(throws: TaskDataError.self) {
            try Episode(supportImages: images, supportLabels: [0, 1, 2], queryImages: images, queryLabels: [0, 1])
        }
        #expect(throws: TaskDataError.self) {
            try Episode(supportImages: images, supportLabels: [0, 1], queryImages: Tensor([1.0]), queryLabels: [0])
        }
    }

    @Test("Rotations add three classes per class in the same group, turned by quarter turns")
    func rotations() {
        var pixels = [Float](repeating: 0, count: 784)
        pixels[0 * 28 + 27] = 1  // top-right corner
        let dataset = ImageDataset(classes: [ImageClass(name: "A/c1", group: "A", pixels: pixels)])
        let rotated = dataset.addingRotations()
        #expect(rotated.classes.map(\.name) == ["A/c1", "A/c1/rot90", "A/c1/rot180", "A/c1/rot270"])
        #expect(rotated.classes.allSatisfy { $0.group == "A" })
        // Counter-clockwise: top-right -> top-left -> bottom-left -> bottom-right.
        #expect(rotated.classes[1].pixels[0] == 1)
        #expect(rotated.classes[2].pixels[27 * 28] == 1)
        #expect(rotated.classes[3].pixels[27 * 28 + 27] == 1)
        #expect(rotated.classes.allSatisfy { $0.pixels.reduce(0, +) == 1 })
    }

    @Test("Split by group: disjoint, complete, deterministic, and never separates a group")
    func split() throws {
        let dataset = SyntheticGlyphs.dataset(classes: 50, drawingsPerClass: 2, classesPerGroup: 5).addingRotations()
        let parts = try dataset.split()
        let again = try dataset.split()
        #expect(parts.train == again.train && parts.validation == again.validation && parts.test == again.test)
        #expect(parts.validation.groups.count == 2 && parts.test.groups.count == 2 && parts.train.groups.count == 6)
        let groupSets = [parts.train, parts.validation, parts.test].map { Set($0.groups) }
        #expect(groupSets[0].isDisjoint(with: groupSets[1]) && groupSets[0].isDisjoint(with: groupSets[2])
                && groupSets[1].isDisjoint(with: groupSets[2]))
        #expect(parts.train.classes.count + parts.validation.classes.count + parts.test.classes.count == 200)
        let otherSeed = try dataset.split(seed: 1)
        #expect(Set(otherSeed.test.groups) != Set(parts.test.groups) || Set(otherSeed.validation.groups) != Set(parts.validation.groups))
        #expect(throws: TaskDataError.self) { try SyntheticGlyphs.dataset(classes: 2, classesPerGroup: 1).split() }
    }

    @Test("Episodes: N*K support and N*Q query images, labels 0..<N each K (or Q) times", arguments: [(5, 1, 15), (3, 5, 2)])
    func episodeShapes(ways: Int, shots: Int, queries: Int) throws {
        let dataset = SyntheticGlyphs.dataset(classes: 8, drawingsPerClass: shots + queries + 1)
        let sampler = try EpisodeSampler(dataset: dataset, ways: ways, shots: shots, queries: queries)
        var generator = SeededGenerator(seed: 11)
        let batch = sampler.sampleBatch(count: 3, generator: &generator)
        #expect(batch.count == 3)
        for episode in batch {
            #expect(episode.supportImages.shape == [ways * shots, 1, 28, 28])
            #expect(episode.queryImages.shape == [ways * queries, 1, 28, 28])
            #expect(episode.supportImages.dtype == .float32)
            #expect(episode.supportLabels == (0..<ways).flatMap { Array(repeating: $0, count: shots) })
            #expect(episode.queryLabels == (0..<ways).flatMap { Array(repeating: $0, count: queries) })
            #expect(Set(episode.classNames).count == ways)
            // Each support image really is a drawing of the class its label names, and no query repeats it.
            let floats = episode.supportImages.floats, queryFloats = episode.queryImages.floats
            for (row, label) in episode.supportLabels.enumerated() {
                let imageClass = dataset.classes.first { $0.name == episode.classNames[label] }!
                let image = Array(floats[row * 784..<(row + 1) * 784])
                #expect((0..<imageClass.imageCount).contains { Array(imageClass.image($0)) == image })
                for q in 0..<episode.queryLabels.count {
                    #expect(Array(queryFloats[q * 784..<(q + 1) * 784]) != image)
                }
            }
        }
        var replay = SeededGenerator(seed: 11)
        #expect(sampler.sample(generator: &replay).supportImages.floats == batch[0].supportImages.floats)
    }

    @Test("Episodes in Double when asked")
    func episodeDouble() throws {
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 2, drawingsPerClass: 2),
                                         ways: 2, shots: 1, queries: 1, dtype: .float64)
        var generator = SeededGenerator(seed: 0)
        #expect(sampler.sample(generator: &generator).queryImages.dtype == .float64)
    }

    @Test("A class with fewer than K + Q drawings is an error naming the class")
    func tooFewDrawings() {
        let dataset = ImageDataset(classes: [
            ImageClass(name: "Big/c1", group: "Big", pixels: [Float](repeating: 0, count: 784 * 6)),
            ImageClass(name: "Small/c2", group: "Small", pixels: [Float](repeating: 0, count: 784 * 3)),
        ])
        #expect(throws: TaskDataError.tooFewDrawings(className: "Small/c2", available: 3, needed: 6)) {
            try EpisodeSampler(dataset: dataset, ways: 2, shots: 5, queries: 1)
        }
        let error = TaskDataError.tooFewDrawings(className: "Small/c2", available: 3, needed: 6)
        #expect(error.description.contains("Small/c2"))
        #expect(throws: TaskDataError.tooFewClasses(available: 2, needed: 3)) {
            try EpisodeSampler(dataset: dataset, ways: 3, shots: 1, queries: 1)
        }
    }
}

@Suite("Default image data")
struct DefaultImageDataTests {
    @Test("Without any Omniglot folder the standard data set is synthetic glyphs")
    func fallsBackToGlyphs() throws {
        let (dataset, source) = try ImageDataset.standard(environment: [:], syntheticClasses: 6)
        #expect(source == .syntheticGlyphs(classes: 6))
        #expect(dataset == SyntheticGlyphs.dataset(classes: 6))
        #expect(source.description.contains("OMNIGLOT_ROOT"))
    }

    @Test("A named but missing Omniglot folder is an error, not a silent fallback")
    func namedFolderMustExist() {
        #expect(throws: TaskDataError.missingFolder(path: "/nonexistent/omniglot")) {
            try ImageDataset.standard(environment: ["OMNIGLOT_ROOT": "/nonexistent/omniglot"])
        }
    }
}
