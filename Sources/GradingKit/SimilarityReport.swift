import Foundation

/// The similarity report's files: `similarity.csv` ranking every pair that shares anything,
/// `index.html` with the same ranking, and one page per ranked pair with both students' code side
/// by side, each shared region highlighted in the same colour on both sides.
public enum SimilarityReport {
    /// How many pairs get a side-by-side page (the CSV lists them all).
    public static let pagesLimit = 200

    /// The CSV: `rank,exercise,student a,student b,score,shared,fingerprints a,fingerprints b,flagged,lines a,lines b`.
    public static func csv(_ pairs: [Similarity.Pair]) -> String {
        var rows = [["rank", "exercise", "student a", "student b", "score", "shared", "fingerprints a", "fingerprints b", "flagged",
                     "lines a", "lines b"]]
        for (index, pair) in pairs.enumerated() {
            rows.append(["\(index + 1)", pair.exercise, pair.a.student, pair.b.student, String(format: "%.3f", pair.score), "\(pair.shared)",
                         "\(pair.fingerprintsA)", "\(pair.fingerprintsB)", pair.flagged ? "yes" : "no",
                         Similarity.lines(pair, side: \.fileA, \.linesA, work: pair.a), Similarity.lines(pair, side: \.fileB, \.linesB, work: pair.b)])
        }
        return CSVText.text(rows)
    }

    /// Writes the report for `pairs` (ranked) into `out`: the pairs sharing at least one fingerprint are listed.
    public static func write(_ pairs: [Similarity.Pair], settings: Similarity.Settings, into out: URL) throws {
        let listed = pairs.filter { $0.shared > 0 }
        var files = [("similarity.csv", Data(csv(listed).utf8))]
        for (index, pair) in listed.prefix(pagesLimit).enumerated() {
            files.append(("pair-\(index + 1).html", Data(page(pair, rank: index + 1).utf8)))
        }
        files.append(("index.html", Data(index(listed, settings: settings).utf8)))
        try ReportFiles.write(files, into: out)
    }

    /// The ranking page.
    static func index(_ pairs: [Similarity.Pair], settings: Similarity.Settings) -> String {
        var rows = ""
        for (index, pair) in pairs.enumerated() {
            let link = index < pagesLimit ? "<a href=\"pair-\(index + 1).html\">compare</a>" : ""
            rows += "<tr class=\"\(pair.flagged ? "flagged" : "")\"><td>\(index + 1)</td><td>\(escapeHTML(pair.exercise))</td>"
                + "<td>\(escapeHTML(pair.a.student))</td><td>\(escapeHTML(pair.b.student))</td><td>\(String(format: "%.2f", pair.score))</td>"
                + "<td>\(pair.shared) of \(pair.fingerprintsA) / \(pair.fingerprintsB)</td><td>\(pair.flagged ? "yes" : "")</td><td>\(link)</td></tr>\n"
        }
        return pageFrame(title: "Similarity of submissions", body: """
            <h1>Similarity of submissions</h1>
            <p>Pairs of students compared exercise by exercise on normalised code (names, literals and comments ignored), leaving out
            the stub and given code and any fingerprint more than \(Int(settings.commonShare * 100))% of the class share. The score is the
            share of the smaller side's distinctive fingerprints found in the other; a pair is flagged from \(String(format: "%.2f", settings.threshold))
            with at least \(settings.minimumShared) shared fingerprints. A high score is a reason to read both, never a verdict.</p>
            <table><tr><th>rank</th><th>exercise</th><th>student</th><th>student</th><th>score</th><th>shared fingerprints</th><th>flagged</th><th></th></tr>
            \(rows)</table>
            """)
    }

    /// One pair's side-by-side page.
    static func page(_ pair: Similarity.Pair, rank: Int) -> String {
        func column(_ work: Similarity.Work, _ file: KeyPath<Similarity.Match, Int>, _ lines: KeyPath<Similarity.Match, ClosedRange<Int>>) -> String {
            var html = "<div class=\"side\"><h2>\(escapeHTML(work.student))</h2>\n"
            for (index, source) in work.files.enumerated() {
                var colour: [Int: Int] = [:]
                for (number, match) in pair.matches.enumerated() where match[keyPath: file] == index {
                    for line in match[keyPath: lines] where colour[line] == nil { colour[line] = number % 6 }
                }
                html += "<h3>\(escapeHTML(source.name))</h3><pre>"
                for (number, line) in source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let mark = colour[number + 1].map { " class=\"m\($0)\"" } ?? ""
                    html += "<span\(mark)><i>\(String(format: "%4d", number + 1))</i> \(escapeHTML(String(line)))</span>"
                }
                html += "</pre>\n"
            }
            return html + "</div>\n"
        }
        return pageFrame(title: "\(pair.exercise): \(pair.a.student) and \(pair.b.student)", body: """
            <p><a href="index.html">all pairs</a></p>
            <h1>#\(rank) \(escapeHTML(pair.exercise)): \(escapeHTML(pair.a.student)) and \(escapeHTML(pair.b.student))</h1>
            <p>Score \(String(format: "%.2f", pair.score)): \(pair.shared) shared fingerprints of \(pair.fingerprintsA) and \(pair.fingerprintsB)
            distinctive ones\(pair.flagged ? "; flagged" : ""). Shared regions have the same colour on both sides.</p>
            <div class="pair">\(column(pair.a, \.fileA, \.linesA))\(column(pair.b, \.fileB, \.linesB))</div>
            """)
    }

    /// A page with the report's styles around `body`.
    static func pageFrame(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
        <style>
        body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em}
        tr.flagged td{background:#fde2e2}.pair{display:flex;gap:1em}.side{flex:1;min-width:0}pre{font-size:12px;overflow-x:auto}
        pre span{display:block}pre i{color:#999;font-style:normal}
        .m0{background:#ffe08a}.m1{background:#b6e3ff}.m2{background:#c8f0c0}.m3{background:#f5c6ff}.m4{background:#ffc9a8}.m5{background:#d0d0ff}
        </style></head><body>
        \(body)
        </body></html>

        """
    }
}
