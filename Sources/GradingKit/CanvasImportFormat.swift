/// The layout Canvas's gradebook import accepts, as its importer reads a file (Canvas's
/// open-source `GradebookImporter`): a header row whose first two titles contain `Student` and
/// `ID`; the student-information columns `Student, ID, [SIS User ID,] [SIS Login ID,] Section`
/// ending with `Section`; then one column per assignment (`Title` for a new one, `Title (id)` for
/// an existing one), Canvas's own score columns (`Current Score`, `Final Grade`, …) being ignored;
/// an optional row starting `Points Possible`; then one row per student, each naming a student and
/// holding, for each assignment, a number, `EX` (excused), `-` or nothing (left as it is).
public enum CanvasImportFormat {
    /// Column titles Canvas treats as its own computed scores and never imports.
    public static let nonAssignmentHeaders = ["Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
                                              "Final Grade", "Override Score", "Override Grade", "Override Status"]

    /// Throws `GradingError.invalidExport` naming the first way `text` departs from the format.
    public static func check(_ text: String) throws {
        let rows: [[String]]
        do { rows = try CSVText.rows(text) } catch let malformed as CSVText.Malformed { throw GradingError.invalidExport(malformed.message) }
        guard let header = rows.first else { throw GradingError.invalidExport("the file is empty") }
        guard header.count > 3, header[0].contains("Student"), header[1].contains("ID") else {
            throw GradingError.invalidExport("the header must start with Student and ID, got \(header.prefix(2).joined(separator: ","))")
        }
        var studentColumns = 3
        if header[2].range(of: #"SIS\s+Login\s+ID"#, options: .regularExpression) != nil {
            studentColumns += 1
        } else if header[2].range(of: #"SIS\s+User\s+ID"#, options: .regularExpression) != nil,
                  header[3].range(of: #"SIS\s+Login\s+ID"#, options: .regularExpression) != nil {
            studentColumns += 2
        }
        guard header.count > studentColumns, header[studentColumns - 1].contains("Section") else {
            throw GradingError.invalidExport("the student columns must end with Section (column \(studentColumns)), got "
                + (header.count >= studentColumns ? header[studentColumns - 1] : "nothing"))
        }
        let assignments = header.indices.dropFirst(studentColumns).filter { index in
            !nonAssignmentHeaders.contains { header[index].contains($0) }
        }
        guard !assignments.isEmpty else { throw GradingError.invalidExport("no assignment column follows Section") }
        let titles = assignments.map { header[$0] }
        if let duplicate = titles.first(where: { title in titles.filter { $0 == title }.count > 1 }) {
            throw GradingError.invalidExport("the assignment column \(duplicate) appears twice")
        }
        if let empty = assignments.first(where: { header[$0].trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw GradingError.invalidExport("column \(empty + 1) has no title")
        }
        var students = 0
        for (index, row) in rows.enumerated().dropFirst() {
            let line = index + 1
            guard row.count == header.count else {
                throw GradingError.invalidExport("line \(line) has \(row.count) fields; the header has \(header.count)")
            }
            if row[0].contains("Points Possible") {
                for column in assignments where !row[column].isEmpty && !isNumber(row[column]) && row[column].range(of: "read only") == nil {
                    throw GradingError.invalidExport("line \(line): points possible of \(header[column]) must be a number, got \(row[column])")
                }
                continue
            }
            if row.allSatisfy({ $0.range(of: #"^\s*(Muted|Manual Posting.*)?\s*$"#, options: [.regularExpression, .caseInsensitive]) != nil }) { continue }
            guard row.prefix(studentColumns - 1).contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw GradingError.invalidExport("line \(line) names no student (no name, ID, SIS User ID or SIS Login ID)")
            }
            for column in assignments {
                let cell = row[column].trimmingCharacters(in: .whitespaces)
                guard cell.isEmpty || cell == "-" || cell.uppercased() == "EX" || isNumber(cell) else {
                    throw GradingError.invalidExport("line \(line): the score for \(header[column]) must be a number, EX, - or empty, got \(cell)")
                }
            }
            students += 1
        }
        guard students > 0 else { throw GradingError.invalidExport("the file holds no student row") }
    }

    /// True for `12`, `-3.5`, `7.25`, `80%`.
    static func isNumber(_ text: String) -> Bool {
        text.range(of: #"^-?[0-9]+(\.[0-9]+)?%?$"#, options: .regularExpression) != nil
    }
}
