import Foundation
import GraphDiagrams
import Plots

/// How much work a chapter does: the full course budget, a quick pass (under a minute per
/// chapter) or the tiny budget of the automated tests.
public enum Budget: String, Sendable, CaseIterable {
    /// The course's budgets: the numbers of the handouts.
    case full
    /// Small budgets, each chapter in under a minute; the page says so.
    case quick
    /// The smallest budgets that still exercise every section (for the automated tests).
    case test
}

/// The options every chapter runs with.
public struct ChapterSettings: Sendable {
    /// The budget.
    public var budget: Budget
    /// The seed of every random choice (the same seed gives the same page).
    public var seed: UInt64
    /// Whether long sections print a progress line.
    public var showProgress: Bool

    /// Settings for a run.
    public init(budget: Budget = .full, seed: UInt64 = 0, showProgress: Bool = true) {
        self.budget = budget
        self.seed = seed
        self.showProgress = showProgress
    }
}

/// Where a chapter writes as it runs: it builds the `Page` block by block, records the
/// measured numbers, and echoes everything to the terminal narrative at once.
public final class Notebook {
    /// The options of this run.
    public let settings: ChapterSettings
    /// The chapter's output folder (training runs keep their files below it).
    public let folder: URL
    /// The page so far.
    public private(set) var page: Page
    /// The numbers recorded so far, by key.
    public private(set) var metrics: [String: Metric] = [:]
    /// The budget choices made (what, chosen value, full value), for the page's budget note.
    public private(set) var budgetChoices: [(what: String, chosen: Int, full: Int)] = []
    let say: (String) -> Void
    var inline: InlineText { InlineText { [unowned self] in self.metrics[$0] } }

    /// A notebook for chapter `id` writing into `folder`; `say` prints terminal lines.
    public init(id: String, title: String, folder: URL, settings: ChapterSettings, say: @escaping (String) -> Void) {
        self.settings = settings
        self.folder = folder
        self.say = say
        page = Page(id: id, title: title)
        say(title)
        say(String(repeating: "=", count: title.count))
    }

    /// `full`, `quick` or `test` by the budget; a smaller-than-full choice is listed on the page.
    public func pick(_ what: String, full: Int, quick: Int, test: Int) -> Int {
        let chosen = switch settings.budget {
        case .full: full
        case .quick: quick
        case .test: test
        }
        budgetChoices.append((what, chosen, full))
        if chosen != full {
            page.budgetNote = "This page was made with the \(settings.budget.rawValue) budget; rerun without --quick for the "
                + "course's numbers. Reduced here: " + budgetChoices.filter { $0.chosen != $0.full }
                .map { "\($0.what): \($0.chosen) (full run: \($0.full))" }.joined(separator: "; ") + "."
        }
        return chosen
    }

    /// Starts a new section.
    public func section(_ title: String) {
        page.sections.append(PageSection(title: title))
        say("")
        say("## \(title)")
    }

    func append(_ block: PageBlock) {
        if page.sections.isEmpty { page.sections.append(PageSection(title: "Overview")) }
        page.sections[page.sections.count - 1].blocks.append(block)
    }

    /// A paragraph of light Markdown (see `InlineText`); its metrics must already be recorded.
    public func paragraph(_ text: String) throws {
        _ = try inline.html(text)
        append(.paragraph(text))
        say("")
        for line in TerminalText.wrap(try inline.plain(text), width: 88) { say(line) }
    }

    /// A displayed formula (see `MathRenderer` for the subset).
    public func math(_ formula: String) throws {
        _ = try MathRenderer.mathML(formula, display: true)
        append(.math(formula))
        say("")
        say("    " + (try MathRenderer.plainText(formula)))
    }

    /// A code excerpt.
    public func code(_ text: String, language: String = "swift") {
        append(.code(text, language: language))
        say("")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { say("    " + line) }
    }

    /// A note or warning set apart from the text.
    public func note(_ text: String, kind: NoteKind = .note) throws {
        _ = try inline.html(text)
        append(.note(kind, text))
        say("")
        for line in TerminalText.wrap((kind == .warning ? "Warning: " : "Note: ") + (try inline.plain(text)), width: 84) {
            say("  " + line)
        }
    }

    /// Records a measured number under `key` (written to `metrics.json`), shown with `digits`
    /// significant digits.
    public func record(_ key: String, _ value: Double, digits: Int = 3, unit: String = "") throws {
        try record(key, value, style: .significant(digits), unit: unit)
    }

    /// Records a measured number under `key` (written to `metrics.json`), shown in `style`.
    public func record(_ key: String, _ value: Double, style: NumberStyle, unit: String = "") throws {
        guard metrics[key] == nil else { throw PageError.badMetric("'\(key)' was recorded twice") }
        guard value.isFinite else { throw PageError.badMetric("'\(key)' is \(value); only finite numbers can be recorded") }
        metrics[key] = Metric(value: value, style: style, unit: unit)
    }

    /// Records each (key, label, value) and shows them as key numbers with `digits` significant digits.
    public func keyNumbers(_ numbers: [(key: String, label: String, value: Double)], digits: Int = 3, unit: String = "") throws {
        try keyNumbers(numbers.map { ($0.key, $0.label, $0.value, NumberStyle.significant(digits), unit) })
    }

    /// Records each (key, label, value) and shows them as key numbers in `style`.
    public func keyNumbers(_ numbers: [(key: String, label: String, value: Double)], style: NumberStyle, unit: String = "") throws {
        try keyNumbers(numbers.map { ($0.key, $0.label, $0.value, style, unit) })
    }

    /// Records each number with its own style and unit and shows them as key numbers.
    public func keyNumbers(_ numbers: [(key: String, label: String, value: Double, style: NumberStyle, unit: String)]) throws {
        for number in numbers { try record(number.key, number.value, style: number.style, unit: number.unit) }
        let blocks = numbers.map { KeyNumber(key: $0.key, label: $0.label) }
        for block in blocks { _ = try inline.html(block.label) }
        append(.keyNumbers(blocks))
        say("")
        for number in numbers {
            say("  • \(try inline.plain(number.label)): \(try inline.plain("@{\(number.key)}"))")
        }
    }

    /// A table of results; metric cells must already be recorded.
    public func table(_ table: ResultTable) throws {
        let header = try table.header.map { try inline.plain($0) }
        let rows = try table.rows.map { row in
            try row.map { cell -> String in
                switch cell {
                case .text(let text): return try inline.plain(text)
                case .value(let value, let digits): return NumberText.format(value, digits: digits)
                case .metric(let key): return try inline.plain("@{\(key)}")
                }
            }
        }
        append(.table(table))
        say("")
        for line in TerminalText.table(header: header, rows: rows) { say("  " + line) }
        if !table.caption.isEmpty { say("  " + (try inline.plain(table.caption))) }
    }

    /// A chart from the `Plots` module, saved beside the page as `<name>.svg` and `<name>.csv`.
    public func figure(_ figure: Figure, name: String, caption: String) throws {
        var untitled = figure
        untitled.title = ""  // the page shows the title above the drawing
        try addFigure(PageFigure(name: name, title: figure.title, caption: caption, svg: try figure.svg(),
                                 inlineSVG: try untitled.svg(), data: figure.csv(), dataExtension: "csv"))
    }

    /// A grid of charts, saved beside the page as `<name>.svg` and `<name>.csv`.
    public func figure(_ grid: FigureGrid, name: String, caption: String) throws {
        var untitled = grid
        untitled.title = ""
        try addFigure(PageFigure(name: name, title: grid.title, caption: caption, svg: try grid.svg(),
                                 inlineSVG: try untitled.svg(), data: grid.csv(), dataExtension: "csv"))
    }

    /// A grid of images (an episode's drawings), saved beside the page as `<name>.svg` and
    /// `<name>.csv`; `data` is the CSV describing the images (one row per image).
    public func figure(_ grid: ImageGrid, name: String, caption: String, data: String) throws {
        var untitled = grid
        untitled.title = ""
        try addFigure(PageFigure(name: name, title: grid.title, caption: caption, svg: try grid.svg(),
                                 inlineSVG: try untitled.svg(), data: data, dataExtension: "csv"))
    }

    /// A computation-graph diagram rendered by Graphviz, saved as `<name>.svg` and `<name>.dot`.
    ///
    /// With an `overview`, the page shows the overview (readable at the page's width) and links
    /// to the full diagram, which the files beside the page hold.
    public func diagram(_ diagram: Diagram, name: String, title: String, caption: String, overview: Diagram? = nil) throws {
        let svg = String(decoding: try diagram.renderData(format: .svg), as: UTF8.self)
        let inline = try overview.map { String(decoding: try $0.renderData(format: .svg), as: UTF8.self) } ?? svg
        var figure = PageFigure(name: name, title: title, caption: caption, svg: svg, inlineSVG: inline,
                                data: diagram.dot(), dataExtension: "dot")
        figure.inlineIsSummary = overview != nil
        try addFigure(figure)
    }

    private func addFigure(_ figure: PageFigure) throws {
        let allowed = figure.name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        guard !figure.name.isEmpty, allowed, !page.fileStems.contains(figure.name) else {
            throw PageError.badFigureName(figure.name)
        }
        _ = try inline.html(figure.caption)
        append(.figure(figure))
        say("")
        say("  [figure] \(figure.title) → \(figure.name).svg (data: \(figure.name).\(figure.dataExtension))")
    }

    /// A terminal-only progress line for long sections (not on the page).
    public func progress(_ line: String) {
        if settings.showProgress { say("  … " + line) }
    }
}

/// Plain-text layout for the terminal narrative.
enum TerminalText {
    /// `text` broken into lines of at most `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Columns padded to their widest cell, with a rule under the header.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
        }
        return [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)
    }
}
