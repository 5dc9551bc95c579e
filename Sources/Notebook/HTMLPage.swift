import Foundation

/// Renders a `Page` as one self-contained XHTML-compatible HTML document: inline CSS, MathML,
/// inline SVG figures, no external resource of any kind. Void elements are self-closed so the
/// page also parses as XML.
public struct HTMLPage {
    /// The page.
    public let page: Page
    /// The metrics its paragraphs, tables and key numbers quote.
    public let metrics: [String: Metric]

    /// A renderer for `page`.
    public init(page: Page, metrics: [String: Metric]) {
        self.page = page
        self.metrics = metrics
    }

    /// The whole document.
    public func html() throws -> String {
        let inline = InlineText { metrics[$0] }
        var body = "<p class=\"back\"><a href=\"../index.html\">← all chapters</a></p>\n"
        body += "<h1>\(HTMLText.escape(page.title))</h1>\n"
        if let note = page.budgetNote {
            body += "<aside class=\"note budget\"><strong>Reduced budget.</strong> \(HTMLText.escape(note))</aside>\n"
        }
        for (sectionIndex, section) in page.sections.enumerated() {
            body += "<section id=\"s\(sectionIndex + 1)\">\n<h2>\(HTMLText.escape(section.title))</h2>\n"
            for block in section.blocks { body += try blockHTML(block, inline: inline) }
            body += "</section>\n"
        }
        return Self.document(title: page.title, body: body, script: page.explorations.isEmpty ? "" : ExplorationHTML.script + "\n")
    }

    private func blockHTML(_ block: PageBlock, inline: InlineText) throws -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(try inline.html(text))</p>\n"
        case .math(let formula):
            return "<div class=\"math\">\(try MathRenderer.mathML(formula, display: true))</div>\n"
        case .code(let text, let language):
            return "<pre class=\"code\" data-language=\"\(HTMLText.escape(language))\"><code>\(HTMLText.escape(text))</code></pre>\n"
        case .note(let kind, let text):
            return "<aside class=\"note \(kind.rawValue)\">\(try inline.html(text))</aside>\n"
        case .keyNumbers(let numbers):
            let items = try numbers.map { number in
                "<div class=\"key\"><div class=\"value\">\(try inline.metricHTML(number.key))</div>"
                    + "<div class=\"label\">\(try inline.html(number.label))</div></div>"
            }
            return "<div class=\"keys\">\(items.joined())</div>\n"
        case .table(let table):
            var html = "<table>\n"
            if !table.caption.isEmpty { html += "<caption>\(try inline.html(table.caption))</caption>\n" }
            html += "<thead><tr>" + (try table.header.map { "<th>\(try inline.html($0, keepingHyphenatedWords: true))</th>" }).joined()
                + "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                html += "<tr>" + (try row.map { cell -> String in
                    switch cell {
                    case .text(let text): return "<td>\(try inline.html(text, keepingHyphenatedWords: true))</td>"
                    case .value(let value, let digits): return "<td class=\"num\">\(HTMLText.escape(NumberText.format(value, digits: digits)))</td>"
                    case .metric(let key): return "<td class=\"num\">\(try inline.metricHTML(key))</td>"
                    }
                }).joined() + "</tr>\n"
            }
            return html + "</tbody>\n</table>\n"
        case .exploration(let exploration):
            return try ExplorationHTML.html(exploration, inline: inline)
        case .figure(let figure):
            // Drawings fit the page's width, never clipped; a big graph is shown as its overview,
            // with the full drawing one click away.
            let svg = SVGInlining.inline(figure.inlineSVG, idPrefix: figure.name)
            let fileLink = figure.inlineIsSummary ? "full graph (SVG)" : "SVG"
            return "<figure id=\"fig-\(figure.name)\">\n<figcaption class=\"title\">\(HTMLText.escape(figure.title))</figcaption>\n"
                + "<div class=\"drawing\">\(svg)</div>\n<figcaption>\(try inline.html(figure.caption)) "
                + "<span class=\"files\"><a href=\"\(figure.name).svg\">\(fileLink)</a> · "
                + "<a href=\"\(figure.name).\(figure.dataExtension)\">data (\(figure.dataExtension.uppercased()))</a></span>"
                + "</figcaption>\n</figure>\n"
        }
    }

    /// The index page linking chapters: (folder name, title, one-line summary).
    public static func index(chapters: [(id: String, title: String, summary: String)], note: String?) -> String {
        var body = "<h1>MAML workbook</h1>\n<p>Chapters run in this folder, in course order. Each page was written by "
            + "<code>workbook run</code>; its figures' SVG and data files and its <code>metrics.json</code> sit beside it.</p>\n"
        if let note { body += "<aside class=\"note budget\">\(HTMLText.escape(note))</aside>\n" }
        body += "<ol class=\"chapters\">\n"
        for chapter in chapters {
            body += "<li><a href=\"\(HTMLText.escape(chapter.id))/index.html\">\(HTMLText.escape(chapter.title))</a>"
                + " <span class=\"summary\">\(HTMLText.escape(chapter.summary))</span></li>\n"
        }
        return document(title: "MAML workbook", body: body + "</ol>\n")
    }

    /// The document shell with the stylesheet, and `script` (if any) at the end of the body.
    static func document(title: String, body: String, script: String = "") -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(stylesheet)
        \(ExplorationHTML.stylesheet)
        </style>
        </head>
        <body>
        <main>
        \(body)</main>
        \(script)</body>
        </html>

        """
    }

    /// Readable typography in light and dark schemes; figures keep a white card in both.
    static let stylesheet = """
        :root { --text: #1d1d1f; --muted: #5f6368; --background: #fdfdfc; --panel: #f2f2ef; --rule: #d9d9d4;
                --accent: #0a5cad; --warn: #9a4a00; --warn-panel: #fff3e0; }
        @media (prefers-color-scheme: dark) {
          :root { --text: #e6e6e3; --muted: #a5a5a0; --background: #151618; --panel: #212226; --rule: #3a3b40;
                  --accent: #7db7ff; --warn: #ffb366; --warn-panel: #33261a; }
        }
        html { background: var(--background); color: var(--text); }
        body { margin: 0; font: 17px/1.62 Charter, "Bitstream Charter", "Iowan Old Style", Georgia, serif; }
        main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
        h1, h2, .key .label, table, figcaption, .back, .chapters { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
        h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1.5rem; }
        h2 { font-size: 1.3rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--rule); }
        a { color: var(--accent); }
        .back { font-size: 0.9rem; margin: 0; }
        code, pre { font-family: "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
        p code { background: var(--panel); padding: 0.1em 0.3em; border-radius: 4px; }
        pre.code { background: var(--panel); padding: 0.9rem 1rem; border-radius: 8px; overflow-x: auto; line-height: 1.45; }
        .math { overflow-x: auto; margin: 1rem 0; }
        math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", math; font-size: 1.08em; }
        math[display="block"] { margin: 0.5rem 0; }
        .note { border-left: 4px solid var(--accent); background: var(--panel); padding: 0.6rem 1rem; margin: 1.2rem 0;
                border-radius: 0 8px 8px 0; }
        .note.warning, .note.budget { border-left-color: var(--warn); background: var(--warn-panel); }
        .keys { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1.2rem 0; }
        .key { flex: 1 1 10rem; background: var(--panel); border-radius: 8px; padding: 0.6rem 0.9rem; }
        .key .value { font-size: 1.35rem; font-variant-numeric: tabular-nums; }
        .key .label { font-size: 0.85rem; color: var(--muted); line-height: 1.35; }
        table { border-collapse: collapse; margin: 1.2rem 0; font-size: 0.92rem; width: 100%; }
        caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 0.85rem; padding-top: 0.4rem; }
        th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left; }
        th { border-bottom-width: 2px; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 1.8rem 0; }
        figure .drawing { background: #ffffff; border-radius: 8px; padding: 0.5rem; text-align: center; }
        figure .drawing svg { max-width: 100%; height: auto; }
        figcaption { font-size: 0.88rem; color: var(--muted); margin-top: 0.4rem; }
        figcaption.title { font-weight: 600; color: var(--text); font-size: 0.95rem; margin: 0 0 0.4rem; }
        .files, .nobreak { white-space: nowrap; }
        .chapters li { margin: 0.4rem 0; }
        .chapters .summary { color: var(--muted); font-size: 0.9rem; display: block; }
        """
}

/// Prepares a standalone SVG document for inlining in a page: drops the XML prolog, doctype
/// and comments, and prefixes every `id` (and the references to it) so that several figures on
/// one page never share an id.
enum SVGInlining {
    static func inline(_ svg: String, idPrefix: String) -> String {
        var text = svg
        if let start = text.range(of: "<svg") { text = String(text[start.lowerBound...]) }
        text = replacing(text, pattern: "<!--[\\s\\S]*?-->", with: "")
        text = replacing(text, pattern: "\\bid=\"([^\"]*)\"", with: "id=\"\(idPrefix)-$1\"")
        text = replacing(text, pattern: "url\\(#([^)]*)\\)", with: "url(#\(idPrefix)-$1)")
        text = replacing(text, pattern: "href=\"#([^\"]*)\"", with: "href=\"#\(idPrefix)-$1\"")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func replacing(_ text: String, pattern: String, with template: String) -> String {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
