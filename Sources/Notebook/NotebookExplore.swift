import Foundation

extension Notebook {
    /// Adds an exploration: `controls` the reader moves, and for every setting of them the
    /// result `compute` returns, all computed now so that the page switches between them with
    /// no server and no network.
    ///
    /// Each setting's numbers are recorded as metrics `<name>/<setting>/<key>` (so `metrics.json`
    /// holds the whole grid); the grid is saved as `<name>.csv` and each setting's figure data
    /// as `<name>/<setting>.csv`. The page and the terminal say how many settings were computed
    /// and how long it took.
    public func explore(name: String, title: String, caption: String, controls: [ExploreControl],
                        compute: (ExploreSetting) throws -> ExploreResult) throws {
        let allowed = name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        guard !name.isEmpty, allowed, !page.fileStems.contains(name) else { throw PageError.badFigureName(name) }
        for control in controls { try control.validate() }
        guard !controls.isEmpty, Set(controls.map(\.id)).count == controls.count else {
            throw PageError.badExploration("'\(name)' needs at least one control, each with its own id")
        }
        _ = try inline.html(caption)
        for control in controls { _ = try inline.html(control.label) }

        let settings = ExploreSetting.all(controls)
        let start = Date()
        var variants: [PageExploration.Variant] = []
        var labels: [String]? = nil
        for (index, setting) in settings.enumerated() {
            progress("\(title): setting \(index + 1) of \(settings.count) (\(setting.slug))")
            let result = try compute(setting)
            let theseLabels = result.numbers.map { "\($0.key)|\($0.label)" }
            if let labels, labels != theseLabels {
                throw PageError.badExploration("'\(name)': every setting must show the same numbers in the same order")
            }
            labels = theseLabels
            var numbers: [(key: String, label: String, value: Double)] = []
            for number in result.numbers {
                let key = "\(name)/\(setting.slug)/\(number.key)"
                try record(key, number.value, style: number.style, unit: number.unit)
                _ = try inline.html(number.label)
                numbers.append((key, number.label, number.value))
            }
            variants.append(.init(setting: setting, svg: result.svg, csv: result.csv, numbers: numbers, note: result.note))
        }
        let exploration = PageExploration(name: name, title: title, caption: caption, controls: controls, variants: variants,
                                          seconds: Date().timeIntervalSince(start))
        append(.exploration(exploration))
        say("")
        say("  [explore] \(title) → \(name).csv, \(name)/ (\(exploration.sizeText), computed in "
            + String(format: "%.1f", exploration.seconds) + " s)")
        try sayGrid(exploration)
    }

    /// The grid as a terminal table: one row per setting.
    private func sayGrid(_ exploration: PageExploration) throws {
        guard let first = exploration.variants.first else { return }
        let header = try exploration.controls.map { try inline.plain($0.label) } + first.numbers.map { try inline.plain($0.label) }
        let rows = try exploration.variants.map { variant in
            variant.setting.indices.enumerated().map { exploration.controls[$0.offset].texts[$0.element] }
                + (try variant.numbers.map { try inline.plain("@{\($0.key)}") })
        }
        for line in TerminalText.table(header: header, rows: rows) { say("  " + line) }
    }
}
