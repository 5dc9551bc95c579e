import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the built `workbook` executable (it sits beside the test bundle) and captures its output.
func runWorkbook(_ arguments: [String], environment: [String: String] = [:],
                 program: String = "workbook") throws -> (status: Int32, output: String, error: String) {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var executable = folder.appendingPathComponent(program)
    if !FileManager.default.fileExists(atPath: executable.path) {
        // `swift test` may run from inside the .xctest bundle's folder.
        executable = folder.deletingLastPathComponent().appendingPathComponent(program)
    }
    return try runProgram(executable, arguments, environment: environment)
}

/// Runs `executable` with `arguments` (and the test's environment plus `environment`) and captures its output.
func runProgram(_ executable: URL, _ arguments: [String],
                environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// The number at `key` in the text of a JSON object, read as Swift reads a Double literal
/// (correctly rounded). Foundation's JSON parser can land an ulp away from the printed value
/// (0.38888888888888884 comes back as 0.3888888888888888), which exact comparisons must not see.
func exactJSONNumber(_ key: String, in text: String) -> Double? {
    guard let range = text.range(of: "\"\(key)\":") else { return nil }
    let literal = text[range.upperBound...].drop { $0 == " " }.prefix { "0123456789+-.eE".contains($0) }
    return Double(String(literal))
}

func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
}

/// Whether `url` holds well-formed XML.
func isWellFormedXML(_ url: URL) -> Bool {
    guard let parser = XMLParser(contentsOf: url) else { return false }
    return parser.parse()
}

@Suite("The workbook command, end to end")
struct CommandLineTests {
    @Test("train on tiny glyph episodes writes every promised file; evaluate reads its checkpoint")
    func trainThenEvaluate() throws {
        let out = temporaryFolder("train")
        defer { try? FileManager.default.removeItem(at: out) }
        let common = ["--tasks", "glyphs", "--ways", "3", "--shots", "1", "--queries", "2"]
        let train = try runWorkbook(["train", "fomaml"] + common + [
            "--iterations", "3", "--meta-batch", "2", "--inner-steps", "1", "--validation-tasks", "3",
            "--validate-every", "1", "--out", out.path, "--quiet"])
        #expect(train.status == 0, "\(train.error)")
        for file in ["checkpoint.mamlckpt", "best.mamlckpt", "metrics.csv", "metrics.json", "training-loss.svg", "validation.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
        #expect(isWellFormedXML(out.appendingPathComponent("validation.svg")))
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        let best = try #require(metrics["best_validation_accuracy"] as? Double)
        #expect((0...1).contains(best))
        #expect(metrics["best_iteration"] as? Int != nil)
        #expect((metrics["hyper_parameters"] as? [String: Any])?["inner_steps"] as? Int == 1)
        // The best accuracy in metrics.json is the best of the validation column in metrics.csv.
        let csv = try String(contentsOf: out.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "validation_accuracy"))
        let values = csv.split(separator: "\n").dropFirst().compactMap { line in
            Double(line.split(separator: ",", omittingEmptySubsequences: false)[column])
        }
        #expect(Swift.abs((values.max() ?? -1) - best) < 1e-12)

        let evaluate = try runWorkbook(["evaluate", "--checkpoint", out.appendingPathComponent("best.mamlckpt").path]
            + common + ["--episodes", "4", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.error)")
        let result = try JSONSerialization.jsonObject(with: Data(evaluate.output.utf8)) as! [String: Any]
        #expect((0...1).contains(try #require(result["accuracy_mean"] as? Double)))

        // One episode has no confidence interval: JSON says null rather than failing.
        let single = try runWorkbook(["evaluate", "--checkpoint", out.appendingPathComponent("best.mamlckpt").path]
            + common + ["--episodes", "1", "--json"])
        #expect(single.status == 0, "\(single.error)")
        let singleResult = try JSONSerialization.jsonObject(with: Data(single.output.utf8)) as! [String: Any]
        #expect(singleResult["accuracy_ci95"] is NSNull)

        // Feature reuse: one row per number of frozen blocks, 0 through 4.
        let reuse = try runWorkbook(["feature-reuse", "--checkpoint", out.appendingPathComponent("best.mamlckpt").path]
            + common + ["--episodes", "2", "--inner-steps", "1", "--json"])
        #expect(reuse.status == 0, "\(reuse.error)")
        let table = try JSONSerialization.jsonObject(with: Data(reuse.output.utf8)) as! [String: Any]
        #expect((table["rows"] as? [[String: Any]])?.compactMap { $0["frozen_blocks"] as? Int } == [0, 1, 2, 3, 4])

        // Transfer beside the checkpoint, on the same episodes: a two-row table in metrics.json.
        let transferOut = out.appendingPathComponent("transfer")
        let transfer = try runWorkbook(["transfer"] + common + [
            "--pretrain-iterations", "2", "--batch-size", "4", "--adapt-steps", "1", "--episodes", "2",
            "--compare", out.appendingPathComponent("best.mamlckpt").path, "--out", transferOut.path])
        #expect(transfer.status == 0, "\(transfer.error)")
        let transferMetrics = try JSONSerialization.jsonObject(
            with: Data(contentsOf: transferOut.appendingPathComponent("metrics.json"))) as! [String: Any]
        #expect((transferMetrics["results"] as? [[String: Any]])?.count == 2)
        #expect(isWellFormedXML(transferOut.appendingPathComponent("comparison.svg")))

        // A checkpoint for 3 ways does not fit 5-way tasks: the error names the flag and the network.
        let mismatch = try runWorkbook(["evaluate", "--checkpoint", out.appendingPathComponent("best.mamlckpt").path,
                                        "--tasks", "glyphs", "--ways", "5", "--shots", "1", "--queries", "2", "--episodes", "2"])
        #expect(mismatch.status != 0)
        #expect(mismatch.error.contains("--ways 5") && mismatch.error.contains("3-way network"))
    }

    @Test("bad input stops with a message that names the problem", arguments: [
        (["train", "maml", "--tasks", "nope", "--out", "/tmp/x"], "nope"),
        (["train", "maml", "--tasks", "sine", "--inner-lr", "-1", "--out", "/tmp/x"], "--inner-lr"),
        (["train", "teleport", "--out", "/tmp/x"], "teleport"),
        (["evaluate", "--checkpoint", "/no/such/file.mamlckpt"], "/no/such/file.mamlckpt"),
    ])
    func badInput(arguments: [String], mention: String) throws {
        let result = try runWorkbook(arguments)
        #expect(result.status != 0)
        #expect(result.error.contains(mention), "\(result.error)")
    }

    @Test("--tasks omniglot without data says how to give it")
    func omniglotWithoutData() throws {
        let process = try runWorkbook(["train", "fomaml", "--tasks", "omniglot", "--out", "/tmp/unused"], environment: ["OMNIGLOT_ROOT": ""])
        #expect(process.status != 0)
        #expect(process.error.contains("--omniglot-root"), "\(process.error)")
    }

    @Test("graph renders a preset to SVG")
    func graphPreset() throws {
        let out = temporaryFolder("graph").appendingPathExtension("svg")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runWorkbook(["graph", "maml", "--steps", "1", "--first-order", "--out", out.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(isWellFormedXML(out))
    }
}
