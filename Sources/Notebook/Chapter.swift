import Foundation

/// One chapter of the workbook: it runs its experiments and writes its page through a `Notebook`.
public protocol Chapter: Sendable {
    /// The stable id (`workbook run <id>`, and the output folder's name).
    var id: String { get }
    /// The page heading.
    var title: String { get }
    /// One line for `workbook list` and the index page.
    var summary: String { get }
    /// Runs the chapter, writing into `notebook`.
    func run(in notebook: Notebook) throws
}

extension Array where Element == any Chapter {
    /// The chapters `name` names: one id, or `all` for every chapter in order; throws for an
    /// unknown id, listing the known ones.
    public func named(_ name: String) throws -> [any Chapter] {
        if name == "all" { return self }
        guard let chapter = first(where: { $0.id == name }) else {
            throw PageError.unknownChapter(name, known: map(\.id))
        }
        return [chapter]
    }
}

/// Ctrl-C stopped a chapter's training run: the chapter's page is not written.
public struct ChapterInterrupted: Error, CustomStringConvertible {
    /// What was running ("meta-training FO-MAML").
    public let what: String

    /// An interruption during `what`.
    public init(during what: String) { self.what = what }

    /// A sentence for the terminal.
    public var description: String { "interrupted during \(what); the chapter's page was not written" }
}

/// Runs chapters and writes their pages, figures, data and metrics.
public struct ChapterRunner {
    /// The folder holding one sub-folder per chapter and `index.html`.
    public let output: URL
    /// The options of every chapter.
    public let settings: ChapterSettings

    /// A runner writing into `output`.
    public init(output: URL, settings: ChapterSettings) {
        self.output = output
        self.settings = settings
    }

    /// What a chapter run produced.
    public struct Outcome {
        /// The chapter's id.
        public let id: String
        /// The page.
        public let page: Page
        /// The numbers recorded.
        public let metrics: [String: Metric]
        /// Every file written, the page first.
        public let files: [URL]
        /// Wall-clock seconds.
        public let seconds: Double
    }

    /// Runs `chapters` in order, then writes `index.html` linking every chapter of `catalog`
    /// (by default `chapters`) whose page is in the output folder; `say` prints the narrative.
    /// Returns each chapter's outcome.
    public func run(_ chapters: [any Chapter], catalog: [any Chapter]? = nil,
                    say: @escaping (String) -> Void = { print($0) }) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for chapter in chapters {
            outcomes.append(try run(chapter, say: say))
            say("")
        }
        try writeIndex(listing: catalog ?? chapters)
        return outcomes
    }

    /// Runs one chapter and writes `<output>/<id>/`: `index.html`, `metrics.json`, and for each
    /// figure `<name>.svg` and its data file.
    public func run(_ chapter: any Chapter, say: @escaping (String) -> Void = { print($0) }) throws -> Outcome {
        let folder = output.appendingPathComponent(chapter.id)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = Date()
        let notebook = Notebook(id: chapter.id, title: chapter.title, folder: folder, settings: settings, say: say)
        try chapter.run(in: notebook)
        var files: [URL] = []
        let pageURL = folder.appendingPathComponent("index.html")
        try Data(try HTMLPage(page: notebook.page, metrics: notebook.metrics).html().utf8).write(to: pageURL, options: .atomic)
        files.append(pageURL)
        for figure in notebook.page.figures {
            let svg = folder.appendingPathComponent("\(figure.name).svg")
            let data = folder.appendingPathComponent("\(figure.name).\(figure.dataExtension)")
            try Data(figure.svg.utf8).write(to: svg, options: .atomic)
            try Data(figure.data.utf8).write(to: data, options: .atomic)
            files += [svg, data]
        }
        for exploration in notebook.page.explorations {
            let grid = folder.appendingPathComponent("\(exploration.name).csv")
            try Data(exploration.gridCSV.utf8).write(to: grid, options: .atomic)
            let drawings = folder.appendingPathComponent(exploration.name)
            try FileManager.default.createDirectory(at: drawings, withIntermediateDirectories: true)
            files.append(grid)
            for variant in exploration.variants {
                let url = drawings.appendingPathComponent("\(variant.setting.slug).csv")
                try Data(variant.csv.utf8).write(to: url, options: .atomic)
                files.append(url)
            }
        }
        let metricsURL = folder.appendingPathComponent("metrics.json")
        let object: [String: Any] = [
            "chapter": chapter.id,
            "budget": settings.budget.rawValue,
            "seed": settings.seed,
            "numbers": notebook.metrics.mapValues(\.value),
            "units": notebook.metrics.filter { !$0.value.unit.isEmpty }.mapValues(\.unit),
            "shown": notebook.metrics.mapValues { $0.text() },
        ]
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: metricsURL, options: .atomic)
        files.append(metricsURL)
        let seconds = Date().timeIntervalSince(start)
        say("")
        say("Wrote \(files.count) files for '\(chapter.id)' in \(String(format: "%.1f", seconds)) s: \(pageURL.path)")
        return Outcome(id: chapter.id, page: notebook.page, metrics: notebook.metrics, files: files, seconds: seconds)
    }

    /// Writes `<output>/index.html` linking those of `chapters` whose page exists in the output
    /// folder, in the order given.
    @discardableResult
    public func writeIndex(listing chapters: [any Chapter]) throws -> URL {
        let present = chapters.filter {
            FileManager.default.fileExists(atPath: output.appendingPathComponent($0.id).appendingPathComponent("index.html").path)
        }
        let note = settings.budget == .full ? nil : "Made with the \(settings.budget.rawValue) budget: smaller runs than the course's."
        let html = HTMLPage.index(chapters: present.map { ($0.id, $0.title, $0.summary) }, note: note)
        let url = output.appendingPathComponent("index.html")
        try Data(html.utf8).write(to: url, options: .atomic)
        return url
    }
}
