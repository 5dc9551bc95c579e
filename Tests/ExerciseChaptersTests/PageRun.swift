import Foundation
import Notebook
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What one chapter run at the test budget left: the outcome, the page's HTML and the terminal narrative.
struct PageRun {
    let outcome: ChapterRunner.Outcome
    let html: String
    let narrative: [String]

    /// The text of every warning note on the page.
    var warnings: [String] {
        html.components(separatedBy: "<aside class=\"note warning\">").dropFirst().map { $0.components(separatedBy: "</aside>")[0] }
    }

    /// Every section's title with its blocks.
    var sections: [PageSection] { outcome.page.sections }
}

/// Collects the metrics a page quotes while it is parsed as XML.
final class QuotedMetrics: NSObject, XMLParserDelegate {
    /// (key, exact value) of every quoted metric.
    var quoted: [(key: String, value: String)] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "span", attributes["class"] == "metric" { quoted.append((attributes["data-key"] ?? "", attributes["data-value"] ?? "")) }
    }
}

/// Runs `chapter` at the test budget into a temporary folder (removed afterwards), and checks what
/// every page must satisfy: well-formed XML, and every quoted number equal to metrics.json.
func runPage(_ chapter: any Chapter, seed: UInt64 = 3) throws -> PageRun {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exercise-pages-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var narrative: [String] = []
    let runner = ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, seed: seed, showProgress: false))
    let outcome = try runner.run(chapter) { narrative.append($0) }
    let page = folder.appendingPathComponent(chapter.id).appendingPathComponent("index.html")
    let parser = try #require(XMLParser(contentsOf: page))
    let quoted = QuotedMetrics()
    parser.delegate = quoted
    #expect(parser.parse(), "index.html of \(chapter.id) is not well-formed: \(String(describing: parser.parserError))")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(chapter.id).appendingPathComponent("metrics.json")))
    let numbers = try #require((json as? [String: Any])?["numbers"] as? [String: Double])
    #expect(Set(numbers.keys) == Set(outcome.metrics.keys))
    for metric in quoted.quoted {
        let recorded = try #require(numbers[metric.key], "\(chapter.id) quotes \(metric.key), which metrics.json lacks")
        let exact = try #require(Double(metric.value))
        #expect(abs(exact - recorded) <= 1e-12 * max(1, abs(recorded)), "\(chapter.id) quotes \(metric.key) = \(exact), metrics.json has \(recorded)")
    }
    for figure in outcome.page.figures {
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(chapter.id).appendingPathComponent("\(figure.name).svg").path))
    }
    return PageRun(outcome: outcome, html: try String(contentsOf: page, encoding: .utf8), narrative: narrative)
}
