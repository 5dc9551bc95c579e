import Foundation
import Testing
@testable import Workbook

/// Runs chapter `id` with the test budget into a new folder and returns the outcome and the page.
func testPage(_ id: String) throws -> (outcome: ChapterRunner.Outcome, page: URL, folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(id)-\(UUID().uuidString)")
    let runner = ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, seed: 5, showProgress: false))
    let outcome = try runner.run(try ChapterCatalog.chapters(named: id)[0]) { _ in }
    return (outcome, folder.appendingPathComponent(id).appendingPathComponent("index.html"), folder)
}

/// The pages as a reader meets them: opened in headless Chromium at 1280 px (skipped, saying
/// so, where Chromium is not installed; CI requires it with `WORKBOOK_BROWSER_TESTS=1`).
@Suite("Chapter pages in headless Chromium", .serialized, .enabled(if: Browser.enabled, Browser.skipReason))
struct BrowserPageTests {
    /// No number in machine precision, no symbol with two values, no marker the figure lacks, no
    /// accuracy gap as a bare fraction, no repeated key number, no table cell broken at a hyphen.
    @Test("the page as Chromium renders it has none of the contradictions a reader could meet", arguments: ChapterCatalog.all.map(\.id))
    func readerView(id: String) throws {
        let (_, page, folder) = try testPage(id)
        defer { try? FileManager.default.removeItem(at: folder) }
        let view = try #require(try Browser.evaluate(page, Browser.readerView) as? [String: Any])
        let text = try #require(view["text"] as? String)
        #expect(text.count > 500, "\(id): Chromium rendered almost no text")
        let labels = try #require(view["keyLabels"] as? [String])
        #expect(PageTextAudit.problems(chapter: id, text: text, keyLabels: labels) == [], "\(id)")
        let broken = try #require(view["brokenCells"] as? [String])
        #expect(broken == [], "\(id): table cells broken over two lines: \(broken)")
    }

    /// The `d` of every path of a drawing, in order, joined by "|" (as the page's script reads them).
    static func curves(of svg: String) -> String {
        PageTextAudit.matches(#"<path\b[^>]*?\sd="([^"]*)""#, in: svg, group: 1).joined(separator: "|")
    }

    @Test("moving each explorer control shows the precomputed setting it names: its drawing and its numbers from metrics.json",
          arguments: ["maml-toy", "sine-maml", "unrolled-sgd"])
    func explorerSwitches(id: String) throws {
        let (outcome, page, folder) = try testPage(id)
        defer { try? FileManager.default.removeItem(at: folder) }
        let exploration = try #require(outcome.page.explorations.first, "\(id) has no explorer")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(id).appendingPathComponent("metrics.json")))
        let numbers = try #require((json as? [String: Any])?["numbers"] as? [String: Double])
        let reports = try #require(try Browser.evaluate(page, Browser.moveEveryControl) as? [[String: Any]])
        #expect(reports.count == exploration.controls.count + 1)

        var indices = exploration.controls.map(\.initial)
        for (index, report) in reports.enumerated() {
            if index > 0 {
                let control = exploration.controls[index - 1]
                #expect(report["move"] as? String == control.id)
                let last = control.values.count - 1
                indices[index - 1] = control.kind == .slider ? (control.initial == last ? 0 : last)
                    : control.values.indices.first { $0 != control.initial } ?? control.initial
            }
            let key = indices.map(String.init).joined(separator: "-")
            #expect(report["visible"] as? [String] == [key], "\(id), after moving \(report["move"] ?? ""): exactly the setting \(key) is shown")
            #expect((report["drawingHeight"] as? Double ?? 0) > 100, "\(id): the setting's drawing is drawn")
            let variant = try #require(exploration.variants.first { $0.setting.key == key })
            // The drawing shown is that setting's: its curves are the ones the grid computed for it,
            // and they differ from the ones shown before the move.
            let curves = try #require(report["curves"] as? String)
            #expect(curves == Self.curves(of: variant.svg), "\(id), after moving \(report["move"] ?? ""): the drawing is not setting \(key)'s")
            if index > 0 { #expect(curves != reports[index - 1]["curves"] as? String, "\(id): moving \(report["move"] ?? "") left the drawing as it was") }
            let shown = try #require(report["numbers"] as? [[String]])
            #expect(shown.map { $0[0] } == variant.numbers.map(\.key))
            for entry in shown {
                let recorded = try #require(numbers[entry[0]], "metrics.json lacks \(entry[0])")
                #expect(Double(entry[1]).map { abs($0 - recorded) <= 1e-12 * max(1, abs(recorded)) } == true, "\(entry[0])")
            }
            let outputs = try #require(report["outputs"] as? [String])
            let sliders = exploration.controls.indices.filter { exploration.controls[$0].kind == .slider }
            #expect(outputs == sliders.map { exploration.controls[$0].texts[indices[$0]] }, "\(id): the sliders' values are shown")
        }
    }
}
