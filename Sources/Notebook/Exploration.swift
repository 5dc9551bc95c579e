import Foundation
import Plots

/// A parameter the reader of a page can move (inner rate, inner steps, shots, order...), with the
/// values the page holds results for.
public struct ExploreControl: Sendable {
    /// How the control is drawn: a slider over ordered values, or a choice between named options.
    public enum Kind: Sendable { case slider, choice }

    /// A short id of letters and digits ("alpha"), used in metric keys and file names.
    public let id: String
    /// What the control sets, in light Markdown ("inner rate $\\alpha$").
    public let label: String
    /// The values the grid holds, in order.
    public let values: [Double]
    /// What the page shows for each value (plain text).
    public let texts: [String]
    /// The index of the value shown first.
    public let initial: Int
    /// Slider or choice.
    public let kind: Kind

    /// A slider over `values`, starting at `initial` (the first value if nil or absent);
    /// `text` writes each value for the page.
    public static func slider(_ id: String, label: String, values: [Double], initial: Double? = nil,
                              text: (Double) -> String = { NumberText.short($0) }) -> ExploreControl {
        ExploreControl(id: id, label: label, values: values, texts: values.map(text),
                       initial: initial.flatMap { values.firstIndex(of: $0) } ?? 0, kind: .slider)
    }

    /// A choice between named options, each standing for a value; `initial` is an index.
    public static func choice(_ id: String, label: String, options: [(value: Double, text: String)], initial: Int = 0) -> ExploreControl {
        ExploreControl(id: id, label: label, values: options.map(\.value), texts: options.map(\.text), initial: initial, kind: .choice)
    }

    /// Throws unless the id is plain, there is at least one value and the initial one exists.
    func validate() throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw PageError.badExploration("control id '\(id)' must be letters and digits")
        }
        guard !values.isEmpty, values.count == texts.count, values.indices.contains(initial) else {
            throw PageError.badExploration("control '\(id)' needs at least one value and an initial value among them")
        }
    }
}

/// One setting of every control of an exploration: which value each control has.
public struct ExploreSetting: Sendable {
    /// The controls, in order.
    public let controls: [ExploreControl]
    /// The chosen value's index for each control.
    public let indices: [Int]

    private func position(_ id: String) -> Int {
        guard let index = controls.firstIndex(where: { $0.id == id }) else {
            preconditionFailure("no explore control is called '\(id)'")
        }
        return index
    }

    /// The chosen value of control `id`.
    public func value(_ id: String) -> Double { controls[position(id)].values[indices[position(id)]] }

    /// The chosen value of control `id` as a whole number.
    public func int(_ id: String) -> Int { Int(value(id).rounded()) }

    /// The text the page shows for the chosen value of control `id`.
    public func text(_ id: String) -> String { controls[position(id)].texts[indices[position(id)]] }

    /// The indices joined by "-": how the page's script names this setting.
    public var key: String { indices.map(String.init).joined(separator: "-") }

    /// "alpha=0.01,k=3": the setting in metric keys and file names.
    public var slug: String {
        zip(controls, indices).map { control, index in
            "\(control.id)=" + control.texts[index].filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "−" }
        }.joined(separator: ",")
    }

    /// Every setting of `controls`, the last control changing fastest.
    static func all(_ controls: [ExploreControl]) -> [ExploreSetting] {
        controls.reduce([[Int]()]) { partial, control in
            partial.flatMap { prefix in control.values.indices.map { prefix + [$0] } }
        }.map { ExploreSetting(controls: controls, indices: $0) }
    }
}

/// A number an exploration shows for each setting.
public struct ExploreNumber: Sendable {
    /// The key within the setting (the metric's key is `<exploration>/<setting>/<key>`).
    public let key: String
    /// What the number is (light Markdown), the same for every setting.
    public let label: String
    /// The value.
    public let value: Double
    /// How the page writes it.
    public let style: NumberStyle
    /// Its unit, or empty.
    public let unit: String

    /// A number of one setting.
    public init(_ key: String, _ label: String, _ value: Double, style: NumberStyle = .significant(3), unit: String = "") {
        self.key = key
        self.label = label
        self.value = value
        self.style = style
        self.unit = unit
    }
}

/// What one setting of an exploration shows: a drawing and its numbers.
public struct ExploreResult {
    /// The drawing shown on the page (without a title; the exploration has one).
    let svg: String
    /// The drawing's data.
    let csv: String
    /// The numbers.
    let numbers: [ExploreNumber]
    /// A remark on this setting alone (plain text), or nil.
    let note: String?

    /// A chart and numbers, with an optional remark on this setting.
    public init(figure: Figure, numbers: [ExploreNumber], note: String? = nil) throws {
        var untitled = figure
        untitled.title = ""
        self.init(svg: try untitled.svg(), csv: figure.csv(), numbers: numbers, note: note)
    }

    /// A grid of charts and numbers, with an optional remark on this setting.
    public init(figure: FigureGrid, numbers: [ExploreNumber], note: String? = nil) throws {
        var untitled = figure
        untitled.title = ""
        self.init(svg: try untitled.svg(), csv: figure.csv(), numbers: numbers, note: note)
    }

    private init(svg: String, csv: String, numbers: [ExploreNumber], note: String?) {
        self.svg = svg
        self.csv = csv
        self.numbers = numbers
        self.note = note
    }
}

/// An exploration on a page: controls, and a precomputed result for every setting of them.
public struct PageExploration: Sendable {
    /// One setting's result as the page holds it.
    public struct Variant: Sendable {
        /// The setting.
        public let setting: ExploreSetting
        /// The drawing.
        public let svg: String
        /// The drawing's data (CSV).
        public let csv: String
        /// Its numbers: metric key, label and exact value, in order.
        public let numbers: [(key: String, label: String, value: Double)]
        /// A remark on this setting alone (plain text), or nil.
        public let note: String?
    }

    /// The file stem beside the page (`<name>.csv`, the folder `<name>/`).
    public let name: String
    /// The title above the drawing.
    public let title: String
    /// The caption (light Markdown).
    public let caption: String
    /// The controls.
    public let controls: [ExploreControl]
    /// A result for every setting, the last control changing fastest.
    public let variants: [Variant]
    /// Wall-clock seconds the chapter spent computing the grid.
    public let seconds: Double

    /// The setting shown first: every control at its initial value.
    public var initialKey: String { controls.map { String($0.initial) }.joined(separator: "-") }

    /// "3 × 3 × 2 × 2 = 36 settings (inner rate α × inner steps K × ...)": the grid's size in words.
    var sizeText: String {
        let sizes = controls.map { String($0.values.count) }.joined(separator: " × ")
        return controls.count == 1 ? "\(variants.count) settings" : "\(sizes) = \(variants.count) settings"
    }

    /// The grid as CSV: the controls' values, then every number.
    var gridCSV: String {
        let numberKeys = variants.first?.numbers.map { String($0.key.split(separator: "/").last ?? "") } ?? []
        var lines = [(controls.map(\.id) + numberKeys).joined(separator: ",")]
        for variant in variants {
            let values = controls.indices.map { String(controls[$0].values[variant.setting.indices[$0]]) }
            lines.append((values + variant.numbers.map { "\($0.value)" }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
