import Foundation

/// The gradebook as a CSV that Canvas's gradebook import takes: the student columns Canvas
/// expects first (`Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`), a `Points Possible`
/// row, then one assignment column holding each student's final grade (after any late penalty).
///
/// Canvas finds a student by its own `ID`, else by `SIS User ID`, else by `SIS Login ID`, else by
/// name. Without a roster the grader's student id goes into the column `idColumn` names; with a
/// roster (the CSV Canvas exports from the course's gradebook) each student's row is matched on
/// that column and Canvas's own identifiers are copied from it.
public struct CanvasExport: Sendable {
    /// The student columns, in the order Canvas requires.
    public static let studentColumns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

    /// The assignment's title in Canvas (a new assignment is created under it); add ` (<id>)`
    /// with the Canvas assignment id to update an existing one.
    public var assignment: String
    /// The student column holding the grader's student ids: `SIS Login ID` (default), `SIS User ID` or `ID`.
    public var idColumn: String
    /// The roster: rows of a Canvas gradebook export (nil: none).
    public var roster: [[String: String]]?

    /// An export to the assignment `assignment`, matching students on `idColumn`; throws when that is no identifying column.
    public init(assignment: String, idColumn: String = "SIS Login ID", roster: [[String: String]]? = nil) throws {
        guard ["SIS Login ID", "SIS User ID", "ID"].contains(idColumn) else {
            throw GradingError.invalidExport("the student id column must be SIS Login ID, SIS User ID or ID, got \(idColumn)")
        }
        guard !assignment.trimmingCharacters(in: .whitespaces).isEmpty else { throw GradingError.invalidExport("the assignment needs a title") }
        if let clash = CanvasImportFormat.nonAssignmentHeaders.first(where: { assignment.contains($0) }) {
            throw GradingError.invalidExport("Canvas ignores a column whose title contains \"\(clash)\"; choose another assignment title")
        }
        (self.assignment, self.idColumn, self.roster) = (assignment, idColumn, roster)
    }

    /// Reads a roster from a Canvas gradebook export: its header, then rows keyed by the header's titles
    /// (the `Points Possible` and posting rows are skipped).
    public static func roster(from text: String) throws -> [[String: String]] {
        let rows: [[String]]
        do { rows = try CSVText.rows(text) } catch let malformed as CSVText.Malformed { throw GradingError.invalidExport("the roster: \(malformed.message)") }
        guard let header = rows.first, header.count >= 2, header[0].contains("Student"), header[1].contains("ID") else {
            throw GradingError.invalidExport("the roster does not start with Canvas's header `Student,ID,…`")
        }
        return rows.dropFirst().filter { row in
            !(row.first?.contains("Points Possible") ?? false) && !row.allSatisfy { $0.range(of: #"^\s*(Muted|Manual Posting.*)?\s*$"#, options: .regularExpression) != nil }
        }.map { row in
            Dictionary(zip(header, row).map { ($0.trimmingCharacters(in: .whitespaces), $1) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The CSV for `gradebook`, out of `pointsPossible`; throws naming the students a roster lacks.
    /// The text is checked against Canvas's import format before it is returned.
    public func csv(_ gradebook: Gradebook, pointsPossible: Double) throws -> String {
        var rows = [Self.studentColumns + [assignment], ["Points Possible", "", "", "", "", formatPoints(pointsPossible)]]
        var missing: [String] = []
        for row in gradebook.rows {
            var student = ["Student": row.student, "ID": "", "SIS User ID": "", "SIS Login ID": "", "Section": ""]
            student[idColumn] = row.student
            if let roster {
                guard let match = roster.first(where: { $0[idColumn]?.trimmingCharacters(in: .whitespaces) == row.student }) else {
                    missing.append(row.student)
                    continue
                }
                for column in Self.studentColumns { student[column] = match[column] ?? "" }
            }
            rows.append(Self.studentColumns.map { student[$0] ?? "" } + [formatPoints(row.final)])
        }
        guard missing.isEmpty else {
            throw GradingError.invalidExport("the roster has no \(idColumn) for \(missing.joined(separator: ", ")); their grades would not import")
        }
        let text = CSVText.text(rows)
        try CanvasImportFormat.check(text)
        return text
    }
}
