import Foundation

/// Escaping of text for HTML and XML alike.
public enum HTMLText {
    /// `text` with `& < > "` replaced by entities, safe in element content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// The light Markdown of paragraphs, captions and table cells.
///
/// `*emphasis*`, `` `code` ``, `$inline math$` and `@{key}` (a recorded metric, quoted with its
/// display precision). Everything else is text, escaped. A lone `*`, `` ` `` or `$` without its
/// closing partner is an error naming the paragraph, so typos do not silently eat text.
public struct InlineText {
    /// Looks up a recorded metric by key.
    public let metric: (String) -> Metric?

    /// A renderer quoting metrics through `metric`.
    public init(metric: @escaping (String) -> Metric?) { self.metric = metric }

    /// `text` made safe to pass where light Markdown is read (text from outside the page, such as
    /// an error message): the markers `*`, `` ` ``, `$` and `@{` become look-alike characters.
    public static func literal(_ text: String) -> String {
        text.replacingOccurrences(of: "*", with: "∗").replacingOccurrences(of: "`", with: "ʹ")
            .replacingOccurrences(of: "$", with: "＄").replacingOccurrences(of: "@{", with: "@ {")
    }

    /// The pieces of a paragraph.
    enum Piece: Equatable {
        case text(String), emphasis(String), code(String), math(String), metric(String)
    }

    /// Splits `source` into pieces; throws on an unclosed marker.
    static func pieces(_ source: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(source)
        func closing(_ marker: Character, after start: Substring) throws -> (String, Substring) {
            guard let end = start.firstIndex(of: marker) else {
                throw PageError.badMarkup(text: source, problem: "the '\(marker)' opened here is never closed")
            }
            return (String(start[..<end]), start[start.index(after: end)...])
        }
        while let first = rest.first {
            let afterFirst = rest.dropFirst()
            let piece: Piece
            switch first {
            case "*": let (inside, tail) = try closing("*", after: afterFirst); piece = .emphasis(inside); rest = tail
            case "`": let (inside, tail) = try closing("`", after: afterFirst); piece = .code(inside); rest = tail
            case "$": let (inside, tail) = try closing("$", after: afterFirst); piece = .math(inside); rest = tail
            case "@" where afterFirst.first == "{":
                let (inside, tail) = try closing("}", after: afterFirst.dropFirst()); piece = .metric(inside); rest = tail
            default:
                text.append(first)
                rest = afterFirst
                continue
            }
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
            pieces.append(piece)
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// The paragraph as HTML; with `keepingHyphenatedWords`, a word with a hyphen ("FO-MAML",
    /// "5-way") never breaks across lines at it (for table cells).
    public func html(_ source: String, keepingHyphenatedWords: Bool = false) throws -> String {
        try Self.pieces(source).map { piece in
            switch piece {
            case .text(let text): return keepingHyphenatedWords ? Self.unbrokenHyphens(HTMLText.escape(text)) : HTMLText.escape(text)
            case .emphasis(let text): return "<em>\(HTMLText.escape(text))</em>"
            case .code(let text): return "<code>\(HTMLText.escape(text))</code>"
            case .math(let formula): return try MathRenderer.mathML(formula, display: false)
            case .metric(let key): return try metricHTML(key)
            }
        }.joined()
    }

    /// `html` (escaped text) with each hyphenated word wrapped in a span that does not break.
    static func unbrokenHyphens(_ html: String) -> String {
        let expression = try! NSRegularExpression(pattern: "[\\p{L}\\p{N}+]+(?:-[\\p{L}\\p{N}+]+)+")
        return expression.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html),
                                                   withTemplate: "<span class=\"nobreak\">$0</span>")
    }

    /// A metric as a `<span class="metric">` carrying its key and exact value.
    func metricHTML(_ key: String) throws -> String {
        guard let metric = metric(key) else { throw PageError.unknownMetric(key) }
        return "<span class=\"metric\" data-key=\"\(HTMLText.escape(key))\" data-value=\"\(metric.value)\">"
            + HTMLText.escape(metric.formatted) + (metric.unit.isEmpty ? "" : "&#xA0;" + HTMLText.escape(metric.unit)) + "</span>"
    }

    /// The paragraph as plain text for the terminal: markers dropped, math left in its source
    /// form, metrics formatted.
    public func plain(_ source: String) throws -> String {
        try Self.pieces(source).map { piece in
            switch piece {
            case .text(let text), .emphasis(let text), .code(let text): return text
            case .math(let formula): return try MathRenderer.plainText(formula)
            case .metric(let key):
                guard let metric = metric(key) else { throw PageError.unknownMetric(key) }
                return metric.text()
            }
        }.joined()
    }
}
