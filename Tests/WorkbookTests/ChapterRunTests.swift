import Foundation
import Testing
@testable import Workbook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects what a page quotes and references while parsing it as XML.
final class PageInspector: NSObject, XMLParserDelegate {
    /// (key, exact value attribute, displayed text) of every quoted metric.
    var metrics: [(key: String, value: String, text: String)] = []
    /// Every href and src.
    var references: [String] = []
    private var open: (key: String, value: String, text: String)? = nil

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if let href = attributes["href"] { references.append(href) }
        if let src = attributes["src"] { references.append(src) }
        if name == "span", attributes["class"] == "metric" {
            open = (attributes["data-key"] ?? "", attributes["data-value"] ?? "", "")
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        open?.text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "span", let metric = open {
            metrics.append(metric)
            open = nil
        }
    }
}

/// The number a page shows ("−1.23 × 10⁻⁵ ms", "87.3%", "4.1 points", "12,345") and half a
/// unit of its last digit, as a fraction for percentages and percentage points.
func displayedNumber(_ text: String) -> (value: Double, halfUnit: Double)? {
    var mantissaText = text.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" }).first.map(String.init)?
        .replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: "") ?? ""
    let percent = mantissaText.hasSuffix("%") || text.hasSuffix(" points") || text.hasSuffix(" point")
    if mantissaText.hasSuffix("%") { mantissaText.removeLast() }
    guard let mantissa = Double(mantissaText) else { return nil }
    if percent {
        let decimals = mantissaText.split(separator: ".").dropFirst().first?.count ?? 0
        return (mantissa / 100, 0.5 * pow(10, Double(-decimals)) / 100)
    }
    var exponent = 0
    if let range = text.range(of: "× 10") {
        let digits = text[range.upperBound...].prefix { "⁻⁰¹²³⁴⁵⁶⁷⁸⁹".contains($0) }
        let plain = digits.map { $0 == "⁻" ? "-" : String(Array("⁰¹²³⁴⁵⁶⁷⁸⁹").firstIndex(of: $0)!) }.joined()
        exponent = Int(plain) ?? 0
    }
    let decimals = mantissaText.split(separator: ".").dropFirst().first?.count ?? 0
    let scale = pow(10, Double(exponent))
    return (mantissa * scale, 0.5 * pow(10, Double(-decimals)) * scale)
}

@Suite("Chapters run end to end with the test budget", .serialized)
struct ChapterRunTests {
    @Test("every chapter's page is well-formed, its references exist, and its numbers equal metrics.json",
          arguments: ChapterCatalog.all.map(\.id))
    func chapter(id: String) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("chapters-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let runner = ChapterRunner(output: output, settings: ChapterSettings(budget: .test, seed: 3, showProgress: false))
        var narrative: [String] = []
        let outcome = try runner.run(try ChapterCatalog.chapters(named: id)[0]) { narrative.append($0) }
        let folder = output.appendingPathComponent(id)
        #expect(narrative.contains("## " + outcome.page.sections[0].title))
        let labels = outcome.page.sections.flatMap(\.blocks).flatMap { block -> [String] in
            if case .keyNumbers(let numbers) = block { return numbers.map(\.label) }
            return []
        }
        let text = narrative.filter { !$0.hasPrefix("Wrote ") }.joined(separator: "\n")
        #expect(PageTextAudit.problems(chapter: id, text: text, keyLabels: labels) == [], "\(id)")
        // Accuracies are percentages and their differences percentage points, wherever they are quoted.
        for (key, metric) in outcome.metrics where key.contains("accuracy") {
            #expect(metric.formatted.hasSuffix("%") || metric.formatted.hasSuffix("points"), "\(id): \(key) is shown as \(metric.formatted)")
        }

        let page = folder.appendingPathComponent("index.html")
        let parser = try #require(XMLParser(contentsOf: page))
        let inspector = PageInspector()
        parser.delegate = inspector
        #expect(parser.parse(), "index.html of \(id) is not well-formed: \(String(describing: parser.parserError))")
        // A page made with reduced budgets says so; chapters without budgets have nothing to reduce.
        let reduced = outcome.page.budgetNote != nil
        #expect(try String(contentsOf: page, encoding: .utf8).contains("<aside class=\"note budget\">") == reduced)
        let budgeted = ["maml-toy", "sine-maml", "unrolled-sgd", "fomaml-omniglot", "transfer", "reptile-anil", "maml-rl"]
        #expect(reduced == budgeted.contains(id))

        for reference in inspector.references where !reference.hasPrefix("#") {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(reference).standardized.path)
                    || reference == "../index.html", "\(id) references the missing file \(reference)")
        }
        #expect(!outcome.page.figures.isEmpty)
        for figure in outcome.page.figures {
            let svg = try String(contentsOf: folder.appendingPathComponent("\(figure.name).svg"), encoding: .utf8)
            #expect(parsesAsXML(svg), "\(figure.name).svg of \(id) is not well-formed XML")
            #expect(inspector.references.contains("\(figure.name).\(figure.dataExtension)"))
        }

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("metrics.json"))) as? [String: Any]
        let numbers = try #require(json?["numbers"] as? [String: Double])
        #expect(json?["chapter"] as? String == id)
        #expect(!inspector.metrics.isEmpty)
        #expect(Set(inspector.metrics.map(\.key)).isSubset(of: Set(numbers.keys)))
        for quoted in inspector.metrics {
            let recorded = try #require(numbers[quoted.key], "\(id) quotes \(quoted.key), which metrics.json lacks")
            let exact = try #require(Double(quoted.value))
            #expect(abs(exact - recorded) <= 1e-12 * max(1, abs(recorded)), "\(quoted.key): page \(exact), json \(recorded)")
            let shown = try #require(displayedNumber(quoted.text), "cannot read '\(quoted.text)' for \(quoted.key)")
            #expect(abs(shown.value - recorded) <= shown.halfUnit * 1.0001 + 1e-300,
                    "\(quoted.key): the page shows \(quoted.text) but metrics.json has \(recorded)")
        }
    }

    @Test("the index links every chapter that has run, and an unknown chapter id is a clear error")
    func indexAndUnknown() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chapters-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, showProgress: false))
        _ = try runner.run(try ChapterCatalog.chapters(named: "adam")) { _ in }
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"adam/index.html\"") && !index.contains("href=\"sine-maml/index.html\""))
        #expect(parsesAsXML(index))
        #expect { try ChapterCatalog.chapters(named: "nope") } throws: { error in
            String(describing: error).contains("'nope'") && String(describing: error).contains("autodiff, maml-toy, adam, sine-maml, unrolled-sgd")
        }
    }

    @Test("the same seed gives the same page")
    func reproducible() throws {
        let pages = try (0..<2).map { _ in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chapters-seed-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let runner = ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, seed: 9, showProgress: false))
            let outcome = try runner.run(MAMLToyChapter()) { _ in }
            return outcome.metrics.filter { $0.key.hasPrefix("new_task_mse") || $0.key == "best_validation_mse" }
        }
        #expect(pages[0] == pages[1])
    }

    @Test("workbook list prints the ids in course order; workbook run rejects an unknown id")
    func commandLine() throws {
        let list = try runWorkbook(["list"])
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\n").map { String($0.split(separator: " ")[0]) } == ChapterCatalog.all.map(\.id))
        let bad = try runWorkbook(["run", "nope"])
        #expect(bad.status != 0 && bad.error.contains("no chapter is called 'nope'"))
    }
}
