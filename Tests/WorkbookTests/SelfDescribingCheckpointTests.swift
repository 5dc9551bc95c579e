import Foundation
import MetaLearning
import Testing

@Suite("Checkpoints that describe their tasks: split flags, within-alphabet episodes, evaluate without flags")
struct SelfDescribingCheckpointTests {
    @Test("train records the chosen split and episode settings; evaluate needs no task flag, refuses a contradiction, and prints the paper's table")
    func trainThenEvaluateWithoutFlags() throws {
        let out = temporaryFolder("self-describing")
        defer { try? FileManager.default.removeItem(at: out) }
        let train = try runWorkbook(["train", "fomaml", "--tasks", "glyphs", "--ways", "3", "--shots", "1", "--queries", "2",
                                     "--within-alphabet", "--validation-alphabets", "Glyphs0003", "--test-alphabets", "Glyphs0007,Glyphs0011",
                                     "--iterations", "2", "--meta-batch", "2", "--inner-steps", "1", "--validation-tasks", "2",
                                     "--validate-every", "1", "--out", out.path])
        try #require(train.status == 0, "\(train.error)")
        #expect(train.output.contains("alphabets: train Glyphs0000, Glyphs0001, Glyphs0002, Glyphs0004"))
        #expect(train.output.contains("validation Glyphs0003; test Glyphs0007, Glyphs0011"))
        #expect(train.output.contains("3-way 1-shot, 2 queries per class, classes from one alphabet"))
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        let task = try #require(metrics["task"] as? [String: Any])
        let split = try #require(task["split"] as? [String: [String]])
        #expect(split["test"] == ["Glyphs0007", "Glyphs0011"] && split["validation"] == ["Glyphs0003"] && split["train"]?.count == 17)
        #expect(task["withinAlphabet"] as? Bool == true && task["shots"] as? Int == 1)

        let checkpoint = out.appendingPathComponent("best.mamlckpt").path
        let evaluate = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--episodes", "2", "--json"])
        try #require(evaluate.status == 0, "\(evaluate.error)")
        let result = try JSONSerialization.jsonObject(with: Data(evaluate.output.utf8)) as! [String: Any]
        #expect(result["tasks"] as? String == "glyphs" && result["ways"] as? Int == 3 && result["shots"] as? Int == 1)
        #expect(result["within_alphabet"] as? Bool == true && result["episodes"] as? Int == 2)

        let wrongWays = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--ways", "5"])
        #expect(wrongWays.status != 0 && wrongWays.error.contains("--ways 5") && wrongWays.error.contains("3-way"))
        let wrongTasks = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--tasks", "sine"])
        #expect(wrongTasks.status != 0 && wrongTasks.error.contains("--tasks sine") && wrongTasks.error.contains("conv-4"))

        let paper = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--protocol", "maml-paper", "--episodes", "2",
                                     "--inner-steps", "1", "--batch-norm", "support"])
        try #require(paper.status == 0, "\(paper.error)")
        #expect(paper.output.contains("| 20-way 1-shot | 95.8 ± 0.3% |"))
        #expect(paper.output.contains("| 3-way 1-shot (not in the paper) |"))
        #expect(paper.output.contains("support batch norm") && paper.output.contains("What differs from the paper"))
        #expect(paper.output.contains("training: fomaml, ") && paper.output.contains(" iterations, meta-batch 2,")
                && !paper.output.contains("planned"))

        // A fixed benchmark written by `episodes`, evaluated with nothing but the checkpoint and the folder.
        let benchmark = out.appendingPathComponent("benchmark")
        let written = try runWorkbook(["episodes", "--tasks", "glyphs", "--ways", "3", "--shots", "1", "--queries", "2",
                                       "--within-alphabet", "--test-alphabets", "Glyphs0007", "--count", "3", "--out", benchmark.path])
        try #require(written.status == 0, "\(written.error)")
        #expect(written.output.contains("wrote 3 episodes") && written.output.contains("test alphabets Glyphs0007"))
        let classes = try FileManager.default.contentsOfDirectory(atPath: benchmark.appendingPathComponent("episode-0/support").path)
        #expect(classes.count == 3)
        let onBenchmark = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--episodes-from", benchmark.path, "--json"])
        try #require(onBenchmark.status == 0, "\(onBenchmark.error)")
        #expect((try JSONSerialization.jsonObject(with: Data(onBenchmark.output.utf8)) as! [String: Any])["episodes"] as? Int == 3)
        let again = try runWorkbook(["episodes", "--tasks", "glyphs", "--count", "1", "--out", benchmark.path])
        #expect(again.status != 0 && again.error.contains("--force"))

        let running = try runWorkbook(["evaluate", "--checkpoint", checkpoint, "--episodes", "2", "--batch-norm", "running", "--json"])
        try #require(running.status == 0, "\(running.error)")
        #expect((try JSONSerialization.jsonObject(with: Data(running.output.utf8)) as! [String: Any])["batch_norm"] as? String == "running")

        // A run trained without test alphabets: evaluating on them names the gap and the alternative.
        let noTest = out.appendingPathComponent("no-test")
        let trainNoTest = try runWorkbook(["train", "fomaml", "--tasks", "glyphs", "--ways", "3", "--shots", "1", "--queries", "2",
                                           "--validation-alphabets", "Glyphs0003", "--test-alphabets", "none", "--iterations", "1",
                                           "--meta-batch", "1", "--inner-steps", "1", "--validation-tasks", "1", "--out", noTest.path, "--quiet"])
        try #require(trainNoTest.status == 0, "\(trainNoTest.error)")
        let emptyTest = try runWorkbook(["evaluate", "--checkpoint", noTest.appendingPathComponent("checkpoint.mamlckpt").path])
        #expect(emptyTest.status != 0 && emptyTest.error.contains("no test alphabets") && emptyTest.error.contains("--episodes-from"))
    }

    @Test("A split that names an unknown alphabet, or one alphabet twice, stops before training")
    func badSplits() throws {
        let out = temporaryFolder("bad-split")
        defer { try? FileManager.default.removeItem(at: out) }
        let common = ["train", "fomaml", "--tasks", "glyphs", "--iterations", "1", "--out", out.path]
        let unknown = try runWorkbook(common + ["--test-alphabets", "Klingon"])
        #expect(unknown.status != 0 && unknown.error.contains("'Klingon'") && unknown.error.contains("Glyphs0000"))
        let twice = try runWorkbook(common + ["--validation-alphabets", "Glyphs0001", "--test-alphabets", "Glyphs0001"])
        #expect(twice.status != 0 && twice.error.contains("'Glyphs0001'") && twice.error.contains("validation and test"))
        let sine = try runWorkbook(["train", "maml", "--tasks", "sine", "--within-alphabet", "--out", out.path])
        #expect(sine.status != 0 && sine.error.contains("alphabets belong to image tasks"))
        let noValidation = try runWorkbook(common + ["--test-alphabets", "none"])
        #expect(noValidation.status != 0 && noValidation.error.contains("no validation alphabets")
                && noValidation.error.contains("--validation-alphabets") && !noValidation.error.contains("--episodes-from"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("checkpoint.mamlckpt").path))
    }
}
