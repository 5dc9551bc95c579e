import Foundation
import Testing
@testable import MetaLearning

/// Ctrl-C and output into a pipe, as a user meets them.
@Suite("Progress without a terminal, and Ctrl-C", .serialized)
struct InterruptionTests {
    @Test("into a pipe, training prints its first progress line at once, and Ctrl-C before the first validation says so")
    func pipeAndInterruptBeforeValidation() throws {
        let out = temporaryFolder("interrupt")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try LiveProcess(["train", "maml", "--tasks", "sine", "--iterations", "1000000", "--validate-every", "1000000",
                                   "--out", out.path])
        let first = run.waitForLine(timeout: 60) { $0.hasPrefix("iter ") }
        let line = try #require(first, "no progress line within 60 s: \(run.output.map(\.text)) \(run.error)")
        for part in ["loss", "it/s", "left"] { #expect(line.text.contains(part), "\(line.text)") }
        run.interrupt()
        #expect(run.finish() == 130)
        let text = run.output.map(\.text).joined(separator: "\n")
        #expect(text.contains("no validation yet"), "\(text)")
        #expect(!text.lowercased().contains("nan"), "\(text)")
        #expect(text.contains("Continue this run with the same command and --resume."))
        #expect(run.error.isEmpty, "\(run.error)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("checkpoint.mamlckpt").path))
    }

    @Test("Ctrl-C during the demo saves the run and says how to continue; --resume continues it")
    func demo() throws {
        let out = temporaryFolder("demo-interrupt")
        defer { try? FileManager.default.removeItem(at: out) }
        let arguments = ["demo", "--iterations", "1000000", "--out", out.path]
        let first = try LiveProcess(arguments)
        let progress = try #require(first.waitForLine(timeout: 120) { $0.hasPrefix("iter ") }, "\(first.error)")
        first.interrupt()
        #expect(first.finish() == 130)
        let text = first.output.map(\.text).joined(separator: "\n")
        #expect(text.contains("'workbook demo --resume'"), "\(text)")
        #expect(!first.error.contains("nothing to draw") && !first.error.contains("Error"), "\(first.error)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sine-maml/metrics.json").path))

        let again = try LiveProcess(arguments + ["--resume"])
        let resumed = try #require(again.waitForLine(timeout: 120) { $0.hasPrefix("iter ") }, "\(again.error)")
        again.interrupt()
        #expect(again.finish() == 130)
        let iteration = { (line: String) in Int(line.split(separator: " ")[1].split(separator: "/")[0]) ?? 0 }
        #expect(iteration(resumed.text) > iteration(progress.text), "the resumed run continues: \(resumed.text) after \(progress.text)")
    }

    @Test("without a terminal, a line is due at the first iteration, at every milestone, and after 30 s of silence")
    func progressCadence() {
        let progress = ProgressLine(total: 1000, firstIteration: 0, every: 100, interval: 30, onTerminal: false)
        let start = Date()
        #expect(progress.line(iteration: 1, loss: 1, now: start) != nil)
        #expect(progress.line(iteration: 2, loss: 1, now: start.addingTimeInterval(10)) == nil)
        #expect(progress.line(iteration: 3, loss: 1, now: start.addingTimeInterval(29.9)) == nil)
        let late = progress.line(iteration: 4, loss: 1, now: start.addingTimeInterval(30))
        #expect(late?.contains("iter    4/1000") == true && late?.contains("it/s") == true && late?.contains("left") == true)
        #expect(progress.line(iteration: 5, loss: 1, now: start.addingTimeInterval(31)) == nil)
        #expect(progress.line(iteration: 100, loss: 1, now: start.addingTimeInterval(32)) != nil)
        #expect(progress.line(iteration: 1000, loss: 1, now: start.addingTimeInterval(33)) != nil)
    }

    @Test("a real Omniglot run into a pipe prints progress within 30 s, and again within 30 s",
          .enabled(if: ProcessInfo.processInfo.environment["OMNIGLOT_ROOT"].map { !$0.isEmpty } ?? false))
    func omniglotIntoAPipe() throws {
        let out = temporaryFolder("omniglot-pipe")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try LiveProcess(["train", "fomaml", "--tasks", "omniglot", "--iterations", "1000", "--validate-every", "1000",
                                   "--out", out.path])
        let first = try #require(run.waitForLine(timeout: 45) { $0.hasPrefix("iter ") }, "\(run.output.map(\.text)) \(run.error)")
        #expect(first.seconds < 30, "the first progress line came after \(first.seconds) s")
        let second = run.waitForLine(timeout: 45) { $0.hasPrefix("iter ") && $0 != first.text }
        run.interrupt()
        _ = run.finish()
        let next = try #require(second, "no second progress line: \(run.output.map(\.text))")
        // A line is due 30 s after the last; it prints at the end of the iteration running then.
        #expect(next.seconds - first.seconds < 40, "\(first.seconds) s, then \(next.seconds) s")
    }
}
