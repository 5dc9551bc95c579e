import Foundation
import Testing

/// Headless Chromium for the page tests: opens a page, runs a script in it after the page's own
/// scripts, and returns what the script returned as JSON. The tests that use it run whenever
/// `chromium` is on the PATH; without it they are skipped, unless `WORKBOOK_BROWSER_TESTS=1`
/// (CI sets it), which makes a missing browser a failure.
enum Browser {
    /// Whether the browser tests must run (CI): then a missing browser fails them.
    static let required = ProcessInfo.processInfo.environment["WORKBOOK_BROWSER_TESTS"] == "1"

    /// Whether the browser tests run: Chromium is installed, or they are required.
    static let enabled = required || executable != nil

    /// Why the browser tests are skipped, when they are.
    static let skipReason = Comment(rawValue: "Chromium is not installed, so the page tests in headless Chromium are skipped "
        + "(install it with: apt-get install -y chromium; CI sets WORKBOOK_BROWSER_TESTS=1 and always runs them)")

    /// The chromium executable, or nil.
    static var executable: URL? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let url = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// Opens `page` at 1280 px wide, evaluates `expression` (JavaScript) once the page's scripts
    /// have run, and decodes its JSON value.
    static func evaluate(_ page: URL, _ expression: String) throws -> Any {
        let chromium = try #require(executable, "chromium is not installed (apt-get install -y chromium)")
        let html = try String(contentsOf: page, encoding: .utf8)
        let probe = "<script>//<![CDATA[\ndocument.body.setAttribute('data-probe', JSON.stringify((function () { return \(expression); })()));\n//]]></script>"
        let copy = page.deletingLastPathComponent().appendingPathComponent("probe-\(UUID().uuidString).html")
        try Data(html.replacingOccurrences(of: "</body>", with: probe + "\n</body>").utf8).write(to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let process = Process()
        process.executableURL = chromium
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1800",
                             "--virtual-time-budget=5000", "--dump-dom", copy.absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let start = dom.range(of: "data-probe=\""), let end = dom[start.upperBound...].firstIndex(of: "\"") else {
            throw BrowserError(description: "Chromium did not run the probe on \(page.path)")
        }
        let json = String(dom[start.upperBound..<end]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    }

    /// Takes a 1280-px-wide screenshot of `page` into `png` (for looking at, not for checks).
    static func screenshot(_ page: URL, to png: URL, height: Int = 1800) throws {
        let process = Process()
        process.executableURL = try #require(executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,\(height)",
                             "--screenshot=\(png.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    /// The page's text as a reader sees it (hidden elements left out), every table cell of a
    /// single word that the layout broke over two lines (cells holding a formula are left out:
    /// a subscript sits lower without being a line break), and the visible key numbers' labels.
    static let readerView = """
        {
          text: document.body.innerText,
          brokenCells: Array.prototype.filter.call(document.querySelectorAll('td, th'), function (cell) {
            var text = cell.textContent.trim();
            if (text.indexOf(' ') >= 0 || text.length === 0 || cell.querySelector('math')) return false;
            var range = document.createRange();
            range.selectNodeContents(cell);
            var tops = Array.prototype.map.call(range.getClientRects(), function (r) { return Math.round(r.top); });
            return tops.some(function (top) { return top !== tops[0]; });
          }).map(function (cell) { return cell.textContent; }),
          keyLabels: Array.prototype.filter.call(document.querySelectorAll('.keys .label'), function (label) {
            return label.getBoundingClientRect().height > 0;
          }).map(function (label) { return label.textContent; })
        }
        """

    /// Moves every control of every explorer on the page in turn (a slider to its last value, or
    /// its first if it stood at the last; a choice to its first option not chosen), each by the
    /// event a reader's move fires, and reports, after
    /// each move, the visible variants, their drawing's height and curves, and their numbers.
    static let moveEveryControl = """
        (function () {
          var reports = [];
          document.querySelectorAll('figure.explore').forEach(function (box) {
            function report(move) {
              var visible = Array.prototype.filter.call(box.querySelectorAll('.variant'), function (v) {
                return v.getBoundingClientRect().height > 0;
              });
              var shown = visible[0];
              reports.push({
                explorer: box.id, move: move,
                visible: visible.map(function (v) { return v.getAttribute('data-setting'); }),
                drawingHeight: shown ? shown.querySelector('svg').getBoundingClientRect().height : 0,
                curves: shown ? Array.prototype.map.call(shown.querySelectorAll('svg path'), function (p) {
                  return p.getAttribute('d');
                }).join('|') : '',
                numbers: shown ? Array.prototype.map.call(shown.querySelectorAll('span.metric'), function (m) {
                  return [m.getAttribute('data-key'), m.getAttribute('data-value'), m.textContent];
                }) : [],
                outputs: Array.prototype.map.call(box.querySelectorAll('output'), function (o) { return o.textContent; })
              });
            }
            report('initial');
            box.getAttribute('data-controls').split(' ').forEach(function (id) {
              var slider = box.querySelector('input[type=range][data-control="' + id + '"]');
              if (slider) {
                slider.value = slider.value === slider.max ? slider.min : slider.max;
                slider.dispatchEvent(new Event('input', { bubbles: true }));
              } else {
                var option = box.querySelector('input[data-control="' + id + '"]:not(:checked)');
                option.checked = true;
                option.dispatchEvent(new Event('change', { bubbles: true }));
              }
              report(id);
            });
          });
          return reports;
        })()
        """
}

/// Chromium did not do what a test asked.
struct BrowserError: Error, CustomStringConvertible {
    let description: String
}
