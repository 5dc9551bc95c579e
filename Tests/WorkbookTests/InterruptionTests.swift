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
        let first = run.waitForLine(timeout: 60) { $0.hasPrefix("iter ") && $0.contains("loss") }
        let line = try #require(first, "no progress line within 60 s: \(run.output.map(\.text)) \(run.error)")
        for part in ["loss", "/s", "left"] { #expect(line.text.contains(part), "\(line.text)") }
        #expect(run.output.first { $0.text.hasPrefix("iter ") }?.text.contains("starting") == true, "a line says the run started")
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
        let progress = try #require(first.waitForLine(timeout: 120) { $0.hasPrefix("iter ") && $0.contains("loss") }, "\(first.error)")
        first.interrupt()
        #expect(first.finish() == 130)
        let text = first.output.map(\.text).joined(separator: "\n")
        #expect(text.contains("'workbook demo --resume'"), "\(text)")
        #expect(!first.error.contains("nothing to draw") && !first.error.contains("Error"), "\(first.error)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sine-maml/metrics.json").path))

        let again = try LiveProcess(arguments + ["--resume"])
        let resumed = try #require(again.waitForLine(timeout: 120) { $0.hasPrefix("iter ") && $0.contains("loss") }, "\(again.error)")
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
        #expect(late?.contains("iter    4/1000") == true && late?.contains("7.5 s/it") == true && late?.contains("left") == true, "\(late ?? "")")
        #expect(progress.line(iteration: 5, loss: 1, now: start.addingTimeInterval(31)) == nil)
        #expect(progress.line(iteration: 100, loss: 1, now: start.addingTimeInterval(32)) != nil)
        #expect(progress.line(iteration: 1000, loss: 1, now: start.addingTimeInterval(33)) != nil)
    }

    @Test("without a terminal, the watch prints the latest line, and which iteration runs, after 30 s without one")
    func watchLine() {
        let progress = ProgressLine(total: 1000, firstIteration: 0, every: 100, interval: 30, onTerminal: false)
        let start = Date()
        #expect(progress.line(iteration: 1, loss: 1, now: start) != nil)
        #expect(progress.watchLine(now: start.addingTimeInterval(29)) == nil)
        let line = progress.watchLine(now: start.addingTimeInterval(30))
        #expect(line?.hasPrefix("iter    1/1000  loss 1.0000") == true && line?.hasSuffix("(iteration 2 running)") == true, "\(line ?? "")")
        #expect(progress.watchLine(now: start.addingTimeInterval(31)) == nil)
        let fresh = ProgressLine(total: 10, firstIteration: 0, every: 1, interval: 30, onTerminal: false)
        #expect(fresh.watchLine(now: Date().addingTimeInterval(30))?.contains("iteration 1 running") == true)
        fresh.end()
        #expect(fresh.watchLine(now: Date().addingTimeInterval(90)) == nil, "no line after the end")
    }

    @Test("a real Omniglot run into a pipe prints progress within 30 s, then at least every 30 s",
          .enabled(if: ProcessInfo.processInfo.environment["OMNIGLOT_ROOT"].map { !$0.isEmpty } ?? false))
    func omniglotIntoAPipe() throws {
        let out = temporaryFolder("omniglot-pipe")
        defer { try? FileManager.default.removeItem(at: out) }
        // A small meta-batch and one inner step keep iterations short even in a debug build on a
        // busy machine, so that lines come both from finished iterations and from the 30 s rule.
        let run = try LiveProcess(["train", "fomaml", "--tasks", "omniglot", "--iterations", "100000", "--validate-every", "100000",
                                   "--meta-batch", "2", "--inner-steps", "1", "--out", out.path])
        let first = try #require(run.waitForLine(timeout: 45) { $0.hasPrefix("iter ") }, "\(run.output.map(\.text)) \(run.error)")
        #expect(first.seconds < 30, "the first progress line came after \(first.seconds) s")
        // Watch for 70 s: lines keep coming, never 30 s apart (plus a second of the watch's
        // polling and slack for a busy machine), and the iterations' lines carry loss, speed and time left.
        let withLoss = run.waitForLine(timeout: 70) { $0.hasPrefix("iter ") && $0.contains("loss") }
        Thread.sleep(forTimeInterval: max(0, 70 - Date().timeIntervalSince(run.started)))
        let times = run.output.filter { $0.text.hasPrefix("iter ") }.map(\.seconds) + [70]
        run.interrupt()
        _ = run.finish()
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(gaps.allSatisfy { $0 < 33 }, "gaps between progress lines: \(gaps) s")
        let line = try #require(withLoss, "no iteration finished within 70 s: \(run.output.map(\.text))")
        for part in ["loss", "/", "left"] { #expect(line.text.contains(part), "\(line.text)") }
    }
}
