import Foundation
import Testing
@testable import Workbook

@Suite("The image-classification chapters' pages", .serialized)
final class ImageChapterPageTests {
    /// Where this test's chapter writes its page (removed when the test ends).
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("image-chapters-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: output) }

    /// Runs `chapter` with the test budget and returns its outcome and folder.
    func run(_ chapter: any Chapter) throws -> (outcome: ChapterRunner.Outcome, folder: URL) {
        let runner = ChapterRunner(output: output, settings: ChapterSettings(budget: .test, seed: 4, showProgress: false))
        let outcome = try runner.run(chapter) { _ in }
        return (outcome, output.appendingPathComponent(chapter.id))
    }

    /// The sizes the chapters pick with the test budget.
    let budget = ImageBudget(book: Notebook(id: "budget", title: "Budget", folder: FileManager.default.temporaryDirectory,
                                            settings: ChapterSettings(budget: .test), say: { _ in }))

    /// The page's text.
    func html(_ folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
    }

    @Test("fomaml-omniglot shows the episode, the 80% bar, the pixel baseline and both methods over seeds")
    func fomaml() throws {
        let (outcome, folder) = try run(FOMAMLOmniglotChapter())
        #expect(outcome.page.figures.map(\.name) == ["episode-support", "episode-query", "fomaml-validation", "stability"])
        let support = try String(contentsOf: folder.appendingPathComponent("episode-support.csv"), encoding: .utf8)
        #expect(support.split(separator: "\n").count == 1 + budget.ways * budget.shots)
        let page = try html(folder)
        #expect(page.contains("<image") && page.contains("80% (the course") && page.contains(ImageBudget.courseCommand))
        #expect(page.contains(ProcessInfo.processInfo.environment["OMNIGLOT_ROOT"] == nil ? "synthetic glyphs" : "real Omniglot"))
        for key in ["nearest_neighbour_accuracy", "best_validation_accuracy", "stability_fomaml_final_mean", "stability_mamlpp_final_mean"] {
            let value = try #require(outcome.metrics[key]?.value, "\(key) missing")
            #expect((0...1).contains(value), "\(key) = \(value) is not an accuracy")
        }
        #expect(outcome.metrics["chance_accuracy"]?.value == 1 / Double(budget.ways))
        // Every training run wrote its checkpoint below the chapter folder.
        for run in ["fomaml-run", "stability-fomaml-seed1", "stability-mamlpp-seed2"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(run).appendingPathComponent("best.mamlckpt").path))
        }
    }

    @Test("transfer compares both methods on the same episodes in one table and one plot")
    func transfer() throws {
        let (outcome, folder) = try run(TransferChapter())
        #expect(outcome.page.figures.map(\.name) == ["pretraining", "fomaml-validation", "comparison"])
        let tables = outcome.page.sections.flatMap(\.blocks).compactMap { if case .table(let t) = $0 { t } else { nil } }
        #expect(tables.count == 1 && tables[0].rows.count == 3)
        // The fresh head is all zeros: equal logits, every query labelled 0, right for one class in N.
        #expect(abs(outcome.metrics["transfer_accuracy_0_steps"]!.value - 1 / Double(budget.ways)) < 1e-12)
        #expect(outcome.metrics["fomaml_accuracy_0_steps"] != nil)
        let gap = try #require(outcome.metrics["fomaml_transfer_gap"]?.value)
        #expect(gap >= 0 && outcome.metrics["fomaml_transfer_gap"]?.formatted.hasSuffix("points") == true)
        let keys = outcome.metrics.keys.filter { $0.hasPrefix("transfer_accuracy_") }.sorted()
        #expect(keys.count >= 2)
        let csv = try String(contentsOf: folder.appendingPathComponent("comparison.csv"), encoding: .utf8)
        #expect(csv.contains("transfer (frozen features, new head)") && csv.contains("FO-MAML (whole network adapts)"))
        #expect(gap <= 1)
    }

    @Test("reptile-anil trains three methods with one budget and tabulates frozen blocks 0 to 4")
    func reptileANIL() throws {
        let (outcome, folder) = try run(ReptileANILChapter())
        for method in ["fomaml", "reptile", "anil"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(method)-run/metrics.csv").path))
            #expect(outcome.metrics["\(method)_best_validation_accuracy"] != nil)
        }
        for frozen in 0...4 { #expect(outcome.metrics["reuse_accuracy_frozen_\(frozen)"] != nil) }
        let all = outcome.metrics["reuse_accuracy_frozen_0"]!.value, headOnly = outcome.metrics["reuse_accuracy_frozen_4"]!.value
        #expect(abs(outcome.metrics["reuse_cost_of_freezing_all"]!.value - (all - headOnly)) < 1e-12)
        let page = try html(folder)
        #expect(page.contains("head only") && page.contains("blocks 2–4 and head"))
    }
}
