import Foundation

/// One value of Gradescope's `leaderboard` field: a name, a number and which way is better.
public struct LeaderboardEntry: Codable, Equatable, Sendable {
    /// The column's name, `<Exercise> <measurement>` (`FOMAML accuracy`).
    public var name: String
    /// The measured number.
    public var value: Double
    /// `desc` when larger is better (every measurement the judges make so far), `asc` otherwise.
    public var order: String

    /// Collects an entry's fields.
    public init(name: String, value: Double, order: String = "desc") {
        (self.name, self.value, self.order) = (name, value, order)
    }

    /// The entries of every measurement recorded in `tests` (their `extra_data`), named
    /// `<Exercise> <measurement>` and sorted by name; nil when there is none.
    public static func entries(from tests: [GradescopeResults.TestEntry]) -> [LeaderboardEntry]? {
        var values: [String: Double] = [:]
        for test in tests {
            guard let exercise = test.tags.first, let measurements = test.extra_data?.measurements else { continue }
            for (name, value) in measurements where value.isFinite { values["\(exercise) \(name)"] = value }
        }
        guard !values.isEmpty else { return nil }
        return values.keys.sorted().map { LeaderboardEntry(name: $0, value: values[$0]!) }
    }
}

/// The class's leaderboard as a web page that names no one: each student appears under a
/// pseudonym derived from their id and a secret key kept beside the results
/// (`.leaderboard-key`), so that only the course staff can tell who is who, and a student can
/// be told their own pseudonym.
public enum LeaderboardPage {
    /// The key file's name inside the results folder.
    public static let keyFile = ".leaderboard-key"

    /// The secret of the results folder `out`, made (random, readable by its owner only) on first use.
    public static func key(in out: URL) throws -> String {
        let url = out.appendingPathComponent(keyFile)
        if let text = try? String(contentsOf: url, encoding: .utf8), !text.isEmpty {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let key = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        try ReportFiles.write([(keyFile, Data((key + "\n").utf8))], into: out)
        chmod(url.path, 0o600)
        return key
    }

    /// The pseudonym of `student` under `key`: six letters and digits.
    public static func pseudonym(_ student: String, key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (key + "\u{0}" + student + "\u{0}" + key).utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash ^= hash >> 29
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 32
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return String((0..<6).map { index in alphabet[Int((hash >> (UInt64(index) * 9)) % UInt64(alphabet.count))] })
    }

    /// The page: one table per leaderboard name, ranked (ties share a rank), pseudonyms only.
    public static func html(entries: [String: [LeaderboardEntry]], key: String, course: String) -> String {
        var byName: [String: [(pseudonym: String, value: Double, order: String)]] = [:]
        for (student, list) in entries {
            for entry in list { byName[entry.name, default: []].append((pseudonym(student, key: key), entry.value, entry.order)) }
        }
        var body = ""
        for name in byName.keys.sorted() {
            let rows = byName[name]!.sorted { a, b in
                a.value != b.value ? (a.order == "asc" ? a.value < b.value : a.value > b.value) : a.pseudonym < b.pseudonym
            }
            body += "<h2>\(escapeHTML(name))</h2>\n<table>\n<tr><th>rank</th><th>student</th><th>\(escapeHTML(name))</th></tr>\n"
            var rank = 0
            for (index, row) in rows.enumerated() {
                if index == 0 || row.value != rows[index - 1].value { rank = index + 1 }
                body += "<tr><td>\(rank)</td><td><code>\(row.pseudonym)</code></td><td>\(String(format: "%.4f", row.value))</td></tr>\n"
            }
            body += "</table>\n"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(course)): leaderboard</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .8em;text-align:right}</style>
            </head><body>
            <h1>\(escapeHTML(course)): leaderboard</h1>
            <p>Values the judges measured when re-evaluating the handed-in weights. Students appear under pseudonyms; your feedback tells you yours.</p>
            \(body)</body></html>

            """
    }
}

/// `text` with `&`, `<`, `>` and quotes escaped for HTML.
public func escapeHTML(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}
