import Autodiff
import Foundation
import MetaLearning
import TaskData
import Testing

/// The repository's root (this file is `Tests/WorkbookTests/DependentPackageTests.swift`).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("The library used from another package")
struct DependentPackageTests {
    /// A package of its own that depends on this one by path and evaluates a checkpoint on a
    /// folder of fixed episodes through the public API only, built in debug as a researcher's
    /// first build would be. Takes a few minutes (it compiles the library); MAML_TEST_DEPENDENT_BUILD=1 runs it.
    @Test("A dependent package, built in debug, reproduces workbook evaluate's accuracy on the same folders",
          .enabled(if: ProcessInfo.processInfo.environment["MAML_TEST_DEPENDENT_BUILD"] == "1"))
    func dependentPackageReproducesEvaluate() throws {
        let work = temporaryFolder("dependent")
        defer { try? FileManager.default.removeItem(at: work) }
        let run = work.appendingPathComponent("run"), episodesFolder = work.appendingPathComponent("episodes")
        let train = try runWorkbook(["train", "fomaml", "--tasks", "glyphs", "--ways", "4", "--shots", "1", "--queries", "3",
                                     "--iterations", "3", "--meta-batch", "2", "--inner-steps", "1", "--validation-tasks", "2",
                                     "--validate-every", "1", "--out", run.path, "--quiet"])
        try #require(train.status == 0, "\(train.error)")
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 8, drawingsPerClass: 5, seed: 21), ways: 4, shots: 1, queries: 3)
        var generator = SeededGenerator(seed: 3)
        for (index, episode) in sampler.sampleBatch(count: 5, generator: &generator).enumerated() {
            try FixedEpisodes.write(episode, to: episodesFolder.appendingPathComponent("episode-\(index)"))
        }
        let checkpoint = run.appendingPathComponent("best.mamlckpt").path

        // The outside package: its manifest and one source file, nothing else.
        let outside = work.appendingPathComponent("outside")
        let sources = outside.appendingPathComponent("Sources/outside-evaluation")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        let identity = packageRoot.lastPathComponent.lowercased()
        try """
            // swift-tools-version: 6.0
            import PackageDescription
            let package = Package(
                name: "OutsideEvaluation",
                dependencies: [.package(path: "\(packageRoot.path)")],
                targets: [.executableTarget(name: "outside-evaluation", dependencies: [
                    .product(name: "MetaLearning", package: "\(identity)"), .product(name: "TaskData", package: "\(identity)")])]
            )
            """.write(to: outside.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try """
            import Foundation
            import MetaLearning
            import TaskData

            let arguments = CommandLine.arguments
            let checkpoint = try CheckpointEvaluation(contentsOf: URL(fileURLWithPath: arguments[1]))
            let episodes = try FixedEpisodes.loadAll(URL(fileURLWithPath: arguments[2]))
            let result = try checkpoint.evaluate(episodes: episodes, innerSteps: Int(arguments[3]))
            print(result.accuracy!.mean, result.loss.mean)
            """.write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let build = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "build", "--package-path", outside.path])
        try #require(build.status == 0, "\(build.output)\(build.error)")
        let outsideRun = try runProgram(outside.appendingPathComponent(".build/debug/outside-evaluation"),
                                        [checkpoint, episodesFolder.path, "2"])
        try #require(outsideRun.status == 0, "\(outsideRun.error)")
        let outsideNumbers = outsideRun.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }

        let evaluate = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--episodes-from", episodesFolder.path,
                                        "--inner-steps", "2", "--json"])
        try #require(evaluate.status == 0, "\(evaluate.error)")
        #expect(outsideNumbers == [exactJSONNumber("accuracy_mean", in: evaluate.output), exactJSONNumber("loss_mean", in: evaluate.output)])
    }
}
