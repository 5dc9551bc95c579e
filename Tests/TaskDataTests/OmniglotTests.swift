import Autodiff
import Foundation
import Testing
@testable import TaskData

/// A fresh temporary folder for one test.
private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("taskdata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `image` as `root/<relativePath>`, creating folders.
private func write(_ image: GrayscaleImage, _ root: URL, _ relativePath: String) throws {
    let url = root.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try image.writePNG(to: url)
}

/// A 105x105 drawing: white paper with a black vertical bar at columns `bar`.
private func drawing(bar: Range<Int>) -> GrayscaleImage {
    GrayscaleImage(width: 105, height: 105, pixels: (0..<105 * 105).map { bar.contains($0 % 105) ? 0 : 255 })
}

@Suite("Omniglot loading")
struct OmniglotTests {
    @Test("PNG round trip through libpng keeps every pixel")
    func pngRoundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = GrayscaleImage(width: 7, height: 5, pixels: (0..<35).map { UInt8($0 * 7) })
        try write(image, folder, "x.png")
        #expect(try GrayscaleImage.readPNG(at: folder.appendingPathComponent("x.png")) == image)
    }

    @Test("Area resize: exact 2x2 means for a halving, and the mean ink is kept at 105 -> 28")
    func areaResize() {
        var input = [Float](repeating: 0, count: 56 * 56)
        input[0] = 1; input[1] = 1; input[56] = 1  // three of the top-left 2x2 block
        var output = [Float](repeating: -1, count: 28 * 28)
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { AreaResize(inputSide: 56, outputSide: 28).resize(src, into: $0) }
        }
        #expect(abs(output[0] - 0.75) < 1e-6)
        #expect(output.dropFirst().allSatisfy { abs($0) < 1e-6 })

        var generator = SeededGenerator(seed: 9)
        let big = (0..<105 * 105).map { _ in Float(generator.nextUniform()) }
        big.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { AreaResize(inputSide: 105, outputSide: 28).resize(src, into: $0) }
        }
        let inputMean: Float = big.reduce(0, +) / Float(big.count)
        let outputMean: Float = output.reduce(0, +) / Float(output.count)
        #expect(abs(inputMean - outputMean) < 1e-4)
    }

    @Test("Loads alphabets and characters from nested folders, de-duplicating repeated characters")
    func loadLayout() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for subset in ["set1", "set2"] {
            for drawingIndex in 0..<3 {
                try write(drawing(bar: 0..<105), root, "\(subset)/Alpha/character01/\(drawingIndex).png")
            }
        }
        for drawingIndex in 0..<2 {
            try write(drawing(bar: 0..<52), root, "set2/Beta/character02/\(drawingIndex).png")
            try write(drawing(bar: 0..<0), root, "set2/Beta/character01/\(drawingIndex).png")
        }
        let dataset = try Omniglot.load(roots: [root])
        #expect(dataset.classes.map(\.name) == ["Alpha/character01", "Beta/character01", "Beta/character02"])
        #expect(dataset.groups == ["Alpha", "Beta"])
        #expect(dataset.classes.map(\.imageCount) == [3, 2, 2])
        #expect(dataset.classes[0].pixels.allSatisfy { abs($0 - 1) < 1e-5 })  // all ink
        #expect(dataset.classes[1].pixels.allSatisfy { $0 == 0 })              // blank paper
        let half = dataset.classes[2].image(0)
        let inkShare: Float = half.reduce(0, +) / 784
        #expect(abs(inkShare - Float(52) / 105) < 1e-4)  // the share of ink is kept
        #expect(abs(half[half.startIndex] - 1) < 1e-5 && half[half.startIndex + 27] == 0)

        // The same folder given directly as an alphabet root.
        let direct = try Omniglot.load(roots: [root.appendingPathComponent("set2")])
        #expect(direct.classes.count == 3)
    }

    @Test("The cache is written, read back identically, used, and refreshed when files change")
    func cache() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for drawingIndex in 0..<2 { try write(drawing(bar: 10..<40), root, "Gamma/character01/\(drawingIndex).png") }
        let cacheURL = root.appendingPathComponent("cache/omniglot.bin")
        let first = try Omniglot.load(roots: [root], cache: cacheURL)
        #expect(FileManager.default.fileExists(atPath: cacheURL.path))
        #expect(try Omniglot.load(roots: [root], cache: cacheURL) == first)

        // Overwrite the last stored pixel: a cached load must return the altered value.
        var bytes = try Data(contentsOf: cacheURL)
        withUnsafeBytes(of: Float(0.5).bitPattern.littleEndian) { bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: $0) }
        try bytes.write(to: cacheURL)
        #expect(try Omniglot.load(roots: [root], cache: cacheURL).classes[0].pixels.last == 0.5)

        try write(drawing(bar: 0..<5), root, "Gamma/character01/2.png")
        let refreshed = try Omniglot.load(roots: [root], cache: cacheURL)
        #expect(refreshed.classes[0].imageCount == 3)
        #expect(refreshed.classes[0].pixels.last != 0.5)

        try Data("garbage".utf8).write(to: cacheURL)
        #expect(try Omniglot.load(roots: [root], cache: cacheURL) == refreshed)
    }

    @Test("A missing folder is an error naming it")
    func missingFolder() {
        let path = "/nonexistent/omniglot-\(UUID().uuidString)"
        #expect(throws: TaskDataError.missingFolder(path: path)) { try Omniglot.load(roots: [URL(fileURLWithPath: path)]) }
        #expect(TaskDataError.missingFolder(path: path).description.contains(path))
    }

    @Test("A folder without character folders is an error")
    func noCharacters() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Alpha/character01"), withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: root.appendingPathComponent("Alpha/readme.txt"))
        #expect(throws: TaskDataError.noCharacters(path: root.path)) { try Omniglot.load(roots: [root]) }
    }

    @Test("A corrupt PNG is an error naming the file")
    func corruptPNG() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try write(drawing(bar: 0..<3), root, "Alpha/character01/good.png")
        let bad = root.appendingPathComponent("Alpha/character01/bad.png")
        let goodBytes = try Data(contentsOf: root.appendingPathComponent("Alpha/character01/good.png"))
        try goodBytes.prefix(40).write(to: bad)  // a truncated file
        do {
            _ = try Omniglot.load(roots: [root])
            Issue.record("loading a truncated PNG succeeded")
        } catch let error as TaskDataError {
            guard case .corruptImage(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == bad.path)
            #expect(error.description.contains("bad.png"))
        }
        try Data("not a png at all".utf8).write(to: bad)
        #expect(throws: TaskDataError.self) { try Omniglot.load(roots: [root]) }
    }

    @Test("A non-square image is an error naming the file")
    func wrongSize() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try write(GrayscaleImage(width: 40, height: 30, pixels: [UInt8](repeating: 255, count: 1200)), root, "Alpha/character01/wide.png")
        let path = root.appendingPathComponent("Alpha/character01/wide.png").path
        #expect(throws: TaskDataError.unexpectedImageSize(path: path, width: 40, height: 30)) { try Omniglot.load(roots: [root]) }
    }

    @Test("OMNIGLOT_ROOT is read from the environment")
    func environment() {
        #expect(Omniglot.rootFromEnvironment(["OMNIGLOT_ROOT": "/data/omniglot"]) == URL(fileURLWithPath: "/data/omniglot"))
        #expect(Omniglot.rootFromEnvironment(["OMNIGLOT_ROOT": ""]) == nil)
        #expect(Omniglot.rootFromEnvironment([:]) == nil)
    }

    @Test("The cache follows XDG_CACHE_HOME when it is an absolute path, and ~/.cache otherwise")
    func cacheLocation() {
        #expect(Omniglot.cacheURL(environment: ["XDG_CACHE_HOME": "/var/cache/alice"]).path
                == "/var/cache/alice/mamlworkbook/omniglot28.bin")
        let home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/mamlworkbook/omniglot28.bin").path
        #expect(Omniglot.cacheURL(environment: ["XDG_CACHE_HOME": "relative/cache"]).path == home)
        #expect(Omniglot.cacheURL(environment: [:]).path == home)
    }

    @Test("Real Omniglot: 20 drawings per character, ink in [0, 1], episodes and rotations work",
          .enabled(if: Omniglot.rootFromEnvironment() != nil, "set OMNIGLOT_ROOT to a folder of Omniglot"))
    func realOmniglot() throws {
        let root = try #require(Omniglot.rootFromEnvironment())
        let cacheFolder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cacheFolder) }
        let cacheURL = cacheFolder.appendingPathComponent("omniglot.bin")
        let dataset = try Omniglot.load(roots: [root], cache: cacheURL)
        #expect(dataset.classes.count > 0)
        #expect(dataset.classes.allSatisfy { $0.imageCount == 20 })
        #expect(dataset.imageCount == 20 * dataset.classes.count)
        let allPixels = dataset.classes.flatMap(\.pixels)
        #expect(allPixels.allSatisfy { $0 >= -1e-6 && $0 <= 1 + 1e-6 })
        let meanInk = allPixels.reduce(0, +) / Float(allPixels.count)
        #expect(meanInk > 0.02 && meanInk < 0.4, "mean ink \(meanInk)")
        #expect(try Omniglot.load(roots: [root], cache: cacheURL) == dataset)

        let sampler = try EpisodeSampler(dataset: dataset.addingRotations(), ways: 5, shots: 5, queries: 15)
        var generator = SeededGenerator(seed: 0)
        let episode = sampler.sample(generator: &generator)
        #expect(episode.supportImages.shape == [25, 1, 28, 28])
        #expect(episode.queryImages.shape == [75, 1, 28, 28])
        #expect(nearestNeighbourAccuracy(episode) > 0.2)
    }
}
