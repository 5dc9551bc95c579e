import Foundation
import Testing

/// `workbook graph` end to end: formulas, slides, views and the errors a lecturer may meet.
@Suite struct CommandTests {
    /// Runs the built `workbook` program (beside the test bundle) and captures its output.
    func workbook(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var executable = folder.appendingPathComponent("workbook")
        if !FileManager.default.fileExists(atPath: executable.path) {
            executable = folder.deletingLastPathComponent().appendingPathComponent("workbook")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["graph"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graph-command-\(UUID().uuidString)-\(name)")
    }

    @Test func formulaToASlidePNG() throws {
        let out = temporaryFile("d3.png")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try workbook(["expr", "sin(x)*exp(x)", "--order", "3", "--slide", "16:9", "--out", out.path])
        #expect(run.status == 0, "\(run.error)")
        let png = [UInt8](try Data(contentsOf: out))
        let read = { (at: Int) in png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(read(16) == 1920 && read(20) == 1080)
        #expect(run.output.contains("1920×1080 (16:9) slide, smallest text"))
    }

    @Test func customIsTheSameAsExpr() throws {
        let out = temporaryFile("custom.svg")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try workbook(["custom", "sin(x)*exp(x)", "--out", out.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(FileManager.default.fileExists(atPath: out.path))
    }

    @Test func badInputNamesTheProblemAndFails() throws {
        let formula = try workbook(["expr", "sin(x)*", "--out", temporaryFile("x.svg").path])
        #expect(formula.status != 0)
        #expect(formula.error.contains("column 8"), "\(formula.error)")
        let missing = try workbook(["custom", "--out", temporaryFile("x.png").path])
        #expect(missing.status != 0)
        #expect(missing.error.contains("needs a formula"), "\(missing.error)")
        let stray = try workbook(["maml", "--order", "2", "--out", temporaryFile("x.svg").path])
        #expect(stray.status != 0 && stray.error.contains("--order"), "\(stray.error)")
        let slide = try workbook(["grad-of-grad", "--slide", "3:2", "--out", temporaryFile("x.png").path])
        #expect(slide.status != 0 && slide.error.contains("--slide") && slide.error.contains("3:2"), "\(slide.error)")
    }

    /// The full second-order graph is refused on a slide, with the size it would need and the
    /// overview offered; in the default view the overview is drawn and the reason said.
    @Test func tooBigForASlideSaysSoAndOffersTheOverview() throws {
        let out = temporaryFile("maml.png")
        defer { try? FileManager.default.removeItem(at: out) }
        let full = try workbook(["maml", "--steps", "2", "--view", "full", "--slide", "16:9", "--out", out.path])
        #expect(full.status != 0)
        #expect(full.error.contains("--view overview") && full.error.contains("pt text"), "\(full.error)")
        let auto = try workbook(["maml", "--steps", "2", "--slide", "16:9", "--out", out.path])
        #expect(auto.status == 0, "\(auto.error)")
        #expect(auto.output.contains("so this draws its overview"), "\(auto.output)")
    }

    @Test func listingGoesToStandardOutput() throws {
        let run = try workbook(["grad-of-grad", "--format", "txt"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("n2 = multiply(n1, n0) | scalar | order 0"))
    }
}
