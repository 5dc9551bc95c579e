import Foundation
import Plots
import Testing
@testable import Notebook

/// A chapter with one explorer of two controls, for the tests below.
private struct ExploringChapter: Chapter {
    let id = "exploring"
    let title = "Exploring"
    let summary = "An explorer of y = a·x^p."

    func run(in book: Notebook) throws {
        book.section("Explore")
        let controls: [ExploreControl] = [
            .slider("a", label: "slope $a$", values: [0.5, 1, 2], initial: 1),
            .choice("p", label: "power", options: [(1, "linear"), (2, "square")], initial: 1),
        ]
        try book.explore(name: "curve", title: "y = a·x^p", caption: "The curve for each setting.", controls: controls) { setting in
            let (a, p) = (setting.value("a"), setting.value("p"))
            var figure = Figure(title: "ignored", xLabel: "x", yLabel: "y")
            let xs = (0...10).map { Double($0) / 10 }
            try figure.addLine(x: xs, y: xs.map { a * pow($0, p) }, label: "y")
            return try ExploreResult(figure: figure, numbers: [ExploreNumber("y1", "$y(1)$", a), ExploreNumber("area", "area", a / (p + 1))])
        }
    }
}

@Suite("The explorer of a page")
struct ExplorationTests {
    @Test("every setting is computed, recorded in metrics.json, saved as CSV, and all but the first are hidden")
    func grid() throws {
        let folder = temporaryFolder("explore")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, showProgress: false))
            .run(ExploringChapter()) { _ in }
        let exploration = try #require(outcome.page.explorations.first)
        #expect(exploration.variants.map(\.setting.key) == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1"])
        #expect(exploration.initialKey == "1-1")
        #expect(outcome.metrics["curve/a=2,p=square/area"]?.value == 2.0 / 3)

        let html = try String(contentsOf: folder.appendingPathComponent("exploring/index.html"), encoding: .utf8)
        #expect(parsesAsXML(html))
        #expect(html.components(separatedBy: "class=\"variant\"").count - 1 == 6)
        #expect(html.components(separatedBy: "hidden=\"hidden\"").count - 1 == 5)
        #expect(html.contains("<div class=\"variant\" data-setting=\"1-1\"><p"))
        #expect(html.contains("type=\"range\"") && html.contains("type=\"radio\"") && html.contains("<script>"))
        #expect(html.contains("3 × 2 = 6 settings"))
        #expect(!html.contains("src=\"http") && !html.contains("fetch("), "the page needs no network")

        let grid = try String(contentsOf: folder.appendingPathComponent("exploring/curve.csv"), encoding: .utf8)
        #expect(grid.split(separator: "\n").first == "a,p,y1,area")
        #expect(grid.split(separator: "\n").count == 7)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("exploring/curve/a=0.5,p=linear.csv").path))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("exploring/metrics.json"))) as! [String: Any]
        #expect((json["numbers"] as? [String: Double])?["curve/a=0.5,p=linear/y1"] == 0.5)
    }

    @Test("settings that show different numbers, or a control without values, are errors that say so")
    func mistakes() throws {
        let book = Notebook(id: "x", title: "x", folder: temporaryFolder("explore-bad"), settings: ChapterSettings(), say: { _ in })
        let control = ExploreControl.slider("a", label: "a", values: [1, 2])
        #expect { try book.explore(name: "bad", title: "t", caption: "c", controls: [control]) { setting in
            var figure = Figure()
            try figure.addLine(x: [0, 1], y: [0, 1])
            return try ExploreResult(figure: figure, numbers: setting.value("a") == 1 ? [ExploreNumber("n", "n", 1)] : [])
        } } throws: { String(describing: $0).contains("same numbers") }
        let empty = ExploreControl.slider("b", label: "b", values: [])
        #expect { try book.explore(name: "empty", title: "t", caption: "c", controls: [empty]) { _ in fatalError() } } throws: {
            String(describing: $0).contains("at least one value")
        }
    }
}

@Suite("Numbers for people")
struct NumberStyleTests {
    @Test("significant digits, percentages, percentage points and counts")
    func styles() {
        #expect(NumberText.format(0.013478244476024082, style: .significant(3)) == "0.0135")
        #expect(NumberText.format(0.99996, style: .significant(3)) == "1.00")
        #expect(NumberText.format(0.2, style: .percent) == "20.0%")
        #expect(NumberText.format(1, style: .percent) == "100.0%")
        #expect(NumberText.format(0.04133, style: .points) == "4.1 points")
        #expect(NumberText.format(-0.0001, style: .points) == "0.0 points")
        #expect(NumberText.format(32460, style: .count) == "32,460")
        #expect(NumberText.format(-1234567, style: .count) == "−1,234,567")
        #expect(NumberText.short(0.0100) == "0.01" && NumberText.short(0.03) == "0.03" && NumberText.short(5) == "5")
        #expect(Metric(value: 7.4e-5, digits: 2, unit: "s").text() == "7.4 × 10⁻⁵ s")
    }
}
