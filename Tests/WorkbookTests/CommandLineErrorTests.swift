import Foundation
import Testing

/// Bad input as a new user types it: each ends the program with one line on standard error,
/// "Error: " and a sentence naming the flag, value or path, a non-zero status, and nothing from
/// Foundation's error domains.
@Suite("Every mistake a user can make is one sentence")
struct CommandLineErrorTests {
    /// A file standing where a folder is asked for, and a folder where a file is.
    static let file = FileManager.default.temporaryDirectory.appendingPathComponent("a-file-not-a-folder")
    static let folder = FileManager.default.temporaryDirectory

    @Test("the message names what is wrong", arguments: [
        (["train", "maml", "--iterations", "-5", "--out", "/tmp/unused-run"], "--iterations must be positive, got -5"),
        (["train", "maml", "--seed", "-1", "--out", "/tmp/unused-run"], "'-1' is invalid for '--seed"),
        (["train", "maml", "--iterations"], "Missing value for '--iterations"),
        (["run", "adam", "--seed", "-1"], "'-1' is invalid for '--seed"),
        (["demo", "--iterations", "-5"], "--iterations must be positive, got -5"),
        (["evaluate", "--checkpoint", "/no/such/run/best.mamlckpt"], "--checkpoint /no/such/run/best.mamlckpt: there is no such file"),
        (["evaluate", "--checkpoint", folder.path], "--checkpoint \(folder.path) is a folder"),
        (["feature-reuse", "--checkpoint", folder.path, "--tasks", "glyphs"], "is a folder"),
        (["train", "maml", "--iterations", "2", "--out", file.path], "--out \(file.path) is a file"),
        (["run", "adam", "--out", file.path], "--out \(file.path) is a file"),
        (["demo", "--out", file.path], "--out \(file.path) is a file"),
        (["transfer", "--tasks", "glyphs", "--out", file.path], "--out \(file.path) is a file"),
        (["transfer", "--tasks", "glyphs", "--compare", "/no/such.mamlckpt", "--out", "/tmp/unused-run"], "--compare /no/such.mamlckpt"),
        (["train", "maml", "--threads", "0", "--out", "/tmp/unused-run"], "--threads must be 1 or more, got 0"),
        (["train", "maml", "--ways", "-3", "--out", "/tmp/unused-run"], "--ways must be 2 or more, got -3"),
        (["evaluate", "--checkpoint", file.path, "--episodes-from", "/no/such/episodes"], "--episodes-from /no/such/episodes: there is no such folder"),
        (["evaluate", "--checkpoint", file.path, "--episodes-from", file.path], "--episodes-from \(file.path) is a file"),
        (["demo", "--resume", "--out", "/no/such/demo"], "--resume: there is no interrupted demo in /no/such/demo to continue"),
        (["run", "nope"], "no chapter is called 'nope'"),
        (["graph", "maml", "--steps", "-2"], "--steps"),
    ])
    func oneSentence(arguments: [String], message: String) throws {
        try Data("not a folder".utf8).write(to: Self.file)
        let result = try runWorkbook(arguments)
        #expect(result.status != 0, "\(arguments)")
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: ") && lines[0].contains(message), "\(arguments): \(result.error)")
        #expect(!result.error.contains("Domain") && !result.error.contains("Code="), "\(result.error)")
        // Mistakes that need no data stop before anything is printed or computed.
        #expect(result.output.isEmpty, "\(arguments) printed: \(result.output)")
    }

    @Test("the grader names an --out that is a file and an unknown exercise, in one line")
    func grader() throws {
        try Data("not a folder".utf8).write(to: Self.file)
        let release = try runWorkbook(["release", "--out", Self.file.path], program: "grader")
        #expect(release.status != 0 && release.error == "Error: --out \(Self.file.path) is a file; give a folder (it is created if it does not exist)\n",
                "\(release.error)")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let check = try runWorkbook(["check", "NoSuch", "--repository", repository.path], program: "grader")
        #expect(check.status != 0 && check.error.hasPrefix("Error: there is no exercise NoSuch;"), "\(check.error)")
        #expect(check.error.split(separator: "\n").count == 1 && !check.error.contains("Domain"))
    }

    @Test("workbook without arguments prints the help and the chapter list and runs nothing")
    func bareCommand() throws {
        let started = Date()
        let result = try runWorkbook([])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE: workbook <subcommand>") && result.output.contains("CHAPTERS"))
        for id in ["autodiff", "maml-toy", "sine-maml", "maml-rl"] { #expect(result.output.contains("\n  \(id) ")) }
        #expect(!result.output.contains("iter "))
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test("--resume never rewrites history: fewer iterations than done is an error, and times accumulate")
    func resume() throws {
        let out = temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: out) }
        let common = ["train", "maml", "--tasks", "sine", "--meta-batch", "2", "--validation-tasks", "2", "--validate-every", "2",
                      "--out", out.path, "--quiet"]
        #expect(try runWorkbook(common + ["--iterations", "4"]).status == 0)
        let csv = { try String(contentsOf: out.appendingPathComponent("metrics.csv"), encoding: .utf8) }
        let before = try csv()

        let fewer = try runWorkbook(common + ["--iterations", "2", "--resume"])
        #expect(fewer.status != 0)
        #expect(fewer.error.contains("--iterations 2 is fewer than the 4 iterations"), "\(fewer.error)")
        #expect(try csv() == before, "a refused resume leaves metrics.csv alone")

        let more = try runWorkbook(common + ["--iterations", "6", "--resume"])
        #expect(more.status == 0, "\(more.error)")
        let rows = try csv().split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try csv().split(separator: "\n")[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "seconds"))
        let seconds = rows.map { Double($0[column]) ?? -1 }
        #expect(rows.map { Int($0[0]) } == [1, 2, 3, 4, 5, 6])
        #expect(zip(seconds, seconds.dropFirst()).allSatisfy { $0 <= $1 }, "the clock continues across the resume: \(seconds)")
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        #expect((metrics["hyper_parameters"] as? [String: Any])?["iterations"] as? Int == 6)
        #expect((metrics["seconds"] as? Double ?? 0) >= seconds.last!)
    }
}
