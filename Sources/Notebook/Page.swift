import Foundation

/// What a chapter produces: a titled page of sections, each a list of blocks, plus the numbers
/// it measured. The same page renders to HTML (`HTMLPage`) and, block by block, to the terminal.
public struct Page: Sendable {
    /// The chapter's stable id (the folder name of its output).
    public let id: String
    /// The heading of the page.
    public let title: String
    /// A note on the budget the page was made with (nil for a full run).
    public var budgetNote: String?
    /// The sections, in reading order.
    public var sections: [PageSection] = []

    /// An empty page.
    public init(id: String, title: String, budgetNote: String? = nil) {
        self.id = id
        self.title = title
        self.budgetNote = budgetNote
    }

    /// Every figure on the page, in order.
    public var figures: [PageFigure] {
        sections.flatMap(\.blocks).compactMap { if case .figure(let figure) = $0 { figure } else { nil } }
    }

    /// Every exploration on the page, in order.
    public var explorations: [PageExploration] {
        sections.flatMap(\.blocks).compactMap { if case .exploration(let exploration) = $0 { exploration } else { nil } }
    }

    /// The file stems beside the page taken so far (figures' and explorations' names).
    var fileStems: Set<String> { Set(figures.map(\.name) + explorations.map(\.name)) }
}

/// A titled part of a page.
public struct PageSection: Sendable {
    /// The section heading.
    public let title: String
    /// The content, in order.
    public var blocks: [PageBlock] = []

    /// An empty section.
    public init(title: String) { self.title = title }
}

/// One piece of page content.
public enum PageBlock: Sendable {
    /// A paragraph in light Markdown: `*emphasis*`, `` `code` ``, `$inline math$`, `@{metric}`.
    case paragraph(String)
    /// A displayed formula in the TeX-like subset `MathRenderer` understands.
    case math(String)
    /// A code excerpt with its language name (shown verbatim, escaped).
    case code(String, language: String)
    /// A table of results.
    case table(ResultTable)
    /// Key numbers, each quoting a metric of the page.
    case keyNumbers([KeyNumber])
    /// A figure with its title and caption.
    case figure(PageFigure)
    /// A remark set apart from the text.
    case note(NoteKind, String)
    /// Controls the reader moves and a precomputed result for every setting of them.
    case exploration(PageExploration)
}

/// How strongly a note asks for attention.
public enum NoteKind: String, Sendable {
    /// Background or a hint.
    case note
    /// Something that can go wrong or mislead.
    case warning
}

/// A table whose cells are text or numbers quoted from the page's metrics.
public struct ResultTable: Sendable {
    /// The column headings (light Markdown).
    public let header: [String]
    /// The rows, each as long as the header.
    public let rows: [[TableCell]]
    /// A caption under the table (light Markdown), or empty.
    public let caption: String

    /// A table; throws when a row's length differs from the header's.
    public init(header: [String], rows: [[TableCell]], caption: String = "") throws {
        for (index, row) in rows.enumerated() where row.count != header.count {
            throw PageError.badTable("row \(index + 1) has \(row.count) cells but the header has \(header.count)")
        }
        self.header = header
        self.rows = rows
        self.caption = caption
    }
}

/// A cell of a result table.
public enum TableCell: Sendable {
    /// Text in light Markdown.
    case text(String)
    /// A number shown with `digits` significant digits, not recorded as a metric.
    case value(Double, digits: Int)
    /// A recorded metric, quoted by key.
    case metric(String)
}

/// A number the page shows prominently, quoting a recorded metric.
public struct KeyNumber: Sendable {
    /// The metric's key in `metrics.json`.
    public let key: String
    /// What the number is (light Markdown).
    public let label: String

    /// A key number quoting metric `key`.
    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }
}

/// A figure: an SVG drawing with its title, caption and data file.
public struct PageFigure: Sendable {
    /// The file stem beside the page (`<name>.svg`, `<name>.<dataExtension>`).
    public let name: String
    /// The figure's title.
    public let title: String
    /// The caption (light Markdown).
    public let caption: String
    /// The standalone SVG document (the file beside the page).
    public let svg: String
    /// The SVG shown on the page (without a title the page already shows above it).
    public let inlineSVG: String
    /// The data behind the drawing (CSV for plots, DOT for graph diagrams).
    public let data: String
    /// The data file's extension: `csv` or `dot`.
    public let dataExtension: String
    /// Whether the page shows a summary of a drawing too big to read inline (a graph's
    /// overview), the file beside the page holding the full drawing.
    public var inlineIsSummary = false

    /// A figure from its parts.
    public init(name: String, title: String, caption: String, svg: String, inlineSVG: String? = nil, data: String,
                dataExtension: String) {
        self.inlineSVG = inlineSVG ?? svg
        self.name = name
        self.title = title
        self.caption = caption
        self.svg = svg
        self.data = data
        self.dataExtension = dataExtension
    }
}

/// A page or its content could not be built.
public enum PageError: Error, CustomStringConvertible, Equatable {
    /// A table's rows do not match its header.
    case badTable(String)
    /// A formula uses something the math renderer does not know or is unbalanced.
    case badMath(formula: String, problem: String)
    /// A paragraph's light Markdown has a marker that is never closed.
    case badMarkup(text: String, problem: String)
    /// A paragraph or table quotes a metric that was never recorded.
    case unknownMetric(String)
    /// A metric was recorded twice or with a non-finite value.
    case badMetric(String)
    /// A figure name is not a plain file stem or is used twice.
    case badFigureName(String)
    /// No chapter has this id.
    case unknownChapter(String, known: [String])
    /// An exploration's controls or results do not fit together.
    case badExploration(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .badTable(let problem): "bad table: \(problem)"
        case .badMath(let formula, let problem): "cannot typeset the formula \"\(formula)\": \(problem)"
        case .badMarkup(let text, let problem): "cannot read the text \"\(text)\": \(problem)"
        case .unknownMetric(let key): "the page quotes the metric '\(key)' but no number was recorded under that key"
        case .badMetric(let problem): "bad metric: \(problem)"
        case .badFigureName(let name): "bad figure name '\(name)': use letters, digits and '-' only, once per page"
        case .badExploration(let problem): "bad exploration: \(problem)"
        case .unknownChapter(let id, let known):
            "no chapter is called '\(id)'; the chapters are: \(known.joined(separator: ", ")) (or 'all')"
        }
    }
}
