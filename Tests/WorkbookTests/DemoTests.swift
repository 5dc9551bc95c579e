import Foundation
import Testing
import Workbook

@Suite("The demo")
struct DemoTests {
    @Test("writes the diagrams, the run's metrics and well-formed plots, and its numbers agree")
    func demoWritesEverything() throws {
        let out = temporaryFolder("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        var lines: [String] = []
        let files = try Demo(output: out, iterations: 40).run(showProgress: false) { lines.append($0) }
        for file in files { #expect(FileManager.default.fileExists(atPath: file.path), "\(file.path)") }
        for svg in files where svg.pathExtension == "svg" { #expect(isWellFormedXML(svg), "\(svg.lastPathComponent)") }
        let png = try Data(contentsOf: out.appendingPathComponent("diagrams/grad-of-grad.png"))
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let metrics = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("sine-maml/metrics.json"))) as! [String: Any]
        let best = try #require(metrics["best_validation_mse"] as? Double)
        #expect(lines.contains { $0.contains(String(format: "%.3f", best)) }, "the narrative quotes metrics.json")
        #expect(metrics["iterations_run"] as? Int == 40)
    }
}
