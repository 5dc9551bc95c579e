import Foundation

/// What a reader should never meet on a chapter page, found in the page's text (the terminal
/// narrative, or the text Chromium renders): numbers printed with machine precision or as
/// Foundation dumps, one symbol given two values, a figure described by a marker it does not
/// draw, an accuracy difference as a bare fraction, two key numbers with the same label.
enum PageTextAudit {
    /// The problems found in `text`, the text of chapter `chapter`'s page; `keyLabels` are its
    /// key numbers' labels.
    static func problems(chapter: String, text: String, keyLabels: [String] = []) -> [String] {
        var found: [String] = []
        for number in matches(#"[0-9][0-9.,]*[0-9]"#, in: text) where significantDigits(number) > 6 {
            found.append("'\(number)' is printed with \(significantDigits(number)) significant digits")
        }
        for dump in ["Error Domain=", "NSCocoaErrorDomain", " nan ", "(null)"] where text.contains(dump) {
            found.append("the page shows '\(dump.trimmingCharacters(in: .whitespaces))'")
        }
        for sentence in matches(#"(ahead|higher|lower|better|worse),? by [−-]?0\.[0-9]+(?![0-9]*( points?|%))"#, in: text) {
            found.append("an accuracy difference is a bare fraction: '\(sentence)'")
        }
        var seen = Set<String>()
        for label in keyLabels where !seen.insert(label).inserted {
            found.append("two key numbers share the label '\(label)'")
        }
        switch chapter {
        case "unrolled-sgd":
            // T and α (without a subscript) are the fixed-rate experiment's; other runs name theirs apart.
            for symbol in ["T", "α"] {
                let values = Set(matches("(?<![\\p{L}\\p{N}_])\(symbol)\\s*=\\s*([0-9.]+)", in: text, group: 1))
                if values.count > 1 { found.append("\(symbol) is given the values \(values.sorted()) on one page") }
            }
            if text.contains("starts at 0.1") { found.append("a second value of α is given without its own symbol") }
        case "maml-rl":
            if text.range(of: #"\bstar\b"#, options: .regularExpression) != nil {
                found.append("the text names a star, but the goal is drawn as a dot")
            }
        case "sine-maml":
            // Every key number about an adapted error says what it is measured on, or refers to the one before.
            for label in keyLabels where label.contains("step") && !["point", "wave", "task", "the same"].contains(where: label.contains) {
                found.append("the key number '\(label)' does not say what it is measured on")
            }
        default: break
        }
        return found
    }

    /// The significant digits of a number as printed ("0.0135" has 3, "12,345" has 5).
    static func significantDigits(_ number: String) -> Int {
        let digits = number.filter(\.isNumber)
        let trimmed = digits.drop { $0 == "0" }
        return number.contains(".") ? trimmed.count : trimmed.reversed().drop { $0 == "0" }.count
    }

    /// Every match of `pattern` in `text` (or of its capture group `group`).
    static func matches(_ pattern: String, in text: String, group: Int = 0) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }
}
