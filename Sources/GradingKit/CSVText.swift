/// Comma-separated values as RFC 4180 writes them: fields holding a comma, a quote or a line
/// break are quoted, quotes inside doubled; lines end with a line feed (a carriage return before
/// it is accepted when reading).
public enum CSVText {
    /// Text that is not well-formed CSV, with the line where it goes wrong.
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        /// `line 3: a quoted field is never closed`.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The rows of `text`, each a list of fields; a last empty line is not a row.
    public static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var characters = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return characters.next()
        }
        var line = 1
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty && !wasQuoted else { throw Malformed(message: "line \(line): a quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            case ",":
                row.append(field)
                (field, wasQuoted) = ("", false)
            case "\r":
                continue
            case "\n":
                row.append(field)
                rows.append(row)
                (row, field, wasQuoted) = ([], "", false)
                line += 1
            default:
                guard !wasQuoted else { throw Malformed(message: "line \(line): text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted else { throw Malformed(message: "line \(line): a quoted field is never closed") }
        if !field.isEmpty || wasQuoted || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// `text` as one field: quoted when it holds a comma, a quote, a line break or spaces at either end.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.contains(where: { ",\"\n\r".contains($0) }) || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The rows as CSV text, one line each.
    public static func text(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
