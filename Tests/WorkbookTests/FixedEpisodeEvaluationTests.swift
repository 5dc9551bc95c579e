import Autodiff
import Foundation
import MetaLearning
import TaskData
import Testing
import Workbook

@Suite("Evaluating a checkpoint on fixed episodes read from folders")
struct FixedEpisodeEvaluationTests {
    @Test("evaluate --episodes-from gives the accuracy the library computes on the same folders; bad folders are named")
    func fixedEpisodesFromFolders() throws {
        let out = temporaryFolder("fixed-episodes")
        defer { try? FileManager.default.removeItem(at: out) }
        let common = ["--tasks", "glyphs", "--ways", "3", "--shots", "1", "--queries", "2"]
        let train = try runWorkbook(["train", "fomaml"] + common + [
            "--iterations", "2", "--meta-batch", "2", "--inner-steps", "1", "--validation-tasks", "2",
            "--validate-every", "1", "--out", out.path, "--quiet"])
        try #require(train.status == 0, "\(train.error)")
        let checkpoint = out.appendingPathComponent("best.mamlckpt")

        // Three episodes of glyphs written as PNG folders, as an outside data set would be.
        let folder = out.appendingPathComponent("episodes")
        let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 6, drawingsPerClass: 4, seed: 3), ways: 3, shots: 1, queries: 2)
        var generator = SeededGenerator(seed: 9)
        for (index, episode) in sampler.sampleBatch(count: 3, generator: &generator).enumerated() {
            try FixedEpisodes.write(episode, to: folder.appendingPathComponent("episode-\(index)"))
        }

        let evaluate = try runWorkbook(["evaluate", "--checkpoint", checkpoint.path] + common
            + ["--episodes-from", folder.path, "--inner-steps", "1", "--json"])
        try #require(evaluate.status == 0, "\(evaluate.error)")
        let result = try JSONSerialization.jsonObject(with: Data(evaluate.output.utf8)) as! [String: Any]
        #expect(result["episodes"] as? Int == 3)

        // The same folders through the library, as a dependent package would call it.
        let episodes = try FixedEpisodes.loadAll(folder)
        let problem = try ClassificationProblem.episodes(from: SyntheticGlyphs.dataset(classes: 60, drawingsPerClass: 4, seed: 1),
                                                         name: "glyphs", ways: 3, shots: 1, queries: 2)
        let library = try CheckpointEvaluation(contentsOf: checkpoint).evaluate(on: problem, episodes: episodes, innerSteps: 1)
        #expect(exactJSONNumber("accuracy_mean", in: evaluate.output) == library.accuracy?.mean)
        #expect(exactJSONNumber("loss_mean", in: evaluate.output) == library.loss.mean)

        // A folder without episodes, and an episode of the wrong way count, are named.
        let empty = try runWorkbook(["evaluate", "--checkpoint", checkpoint.path] + common + ["--episodes-from", out.appendingPathComponent("none").path])
        #expect(empty.status != 0 && empty.error.contains("--episodes-from") && empty.error.contains("there is no such folder") && empty.error.contains("none"))
        let twoWay = out.appendingPathComponent("two-way")
        let small = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 2, drawingsPerClass: 3, seed: 3), ways: 2, shots: 1, queries: 2)
        try FixedEpisodes.write(small.sample(generator: &generator), to: twoWay.appendingPathComponent("only"))
        let wrongWays = try runWorkbook(["evaluate", "--checkpoint", checkpoint.path] + common + ["--episodes-from", twoWay.path])
        #expect(wrongWays.status != 0 && wrongWays.error.contains("2 classes") && wrongWays.error.contains("3-way"))
    }
}
