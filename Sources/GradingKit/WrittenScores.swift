import Foundation

/// One written question graded by hand: a `## ` heading of an exercise's `ANSWERS.md`, for an
/// exercise with a rubric (`Solutions/<Exercise>/RUBRIC.md`).
public struct WrittenQuestion: Equatable, Sendable {
    /// The exercise.
    public var exercise: String
    /// The heading, as students see it in `ANSWERS.md`.
    public var title: String
    /// The points it carries (`written` in `course.json`); 0 for a question read for comments only.
    public var points: Double

    /// `<Exercise>/<title>`: the key in `course.json` and in the gradebook.
    public var key: String { "\(exercise)/\(title)" }

    /// Collects a question's fields.
    public init(exercise: String, title: String, points: Double) {
        (self.exercise, self.title, self.points) = (exercise, title, points)
    }

    /// The questions of the course at `repository` in course order, with the points `points`
    /// gives them; throws naming a key of `points` that is no question, or points below zero.
    public static func load(repository: URL, manifest: GradingManifest, points: [String: Double]?) throws -> [WrittenQuestion] {
        var questions: [WrittenQuestion] = []
        for exercise in manifest.exercises.map(\.name) {
            let rubric = repository.appendingPathComponent("Solutions/\(exercise)/RUBRIC.md")
            let answers = repository.appendingPathComponent("Exercises/\(exercise)/ANSWERS.md")
            guard FileManager.default.fileExists(atPath: rubric.path),
                  let text = try? String(contentsOf: answers, encoding: .utf8) else { continue }
            for title in headings(text) {
                questions.append(WrittenQuestion(exercise: exercise, title: title, points: points?["\(exercise)/\(title)"] ?? 0))
            }
        }
        let keys = Set(questions.map(\.key))
        for (key, value) in (points ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard keys.contains(key) else {
                throw GradingError.invalidConfig("written names \(key), which is no written question; the questions are "
                    + questions.map(\.key).joined(separator: "; "))
            }
            guard value >= 0, value.isFinite else { throw GradingError.invalidConfig("written points of \(key) must be 0 or more, got \(value)") }
        }
        return questions
    }

    /// The `## ` headings of a Markdown text, in order.
    static func headings(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            line.hasPrefix("## ") ? line.dropFirst(3).trimmingCharacters(in: .whitespaces) : nil
        }
    }
}

/// Scores and comments given by hand to written answers, kept in a CSV the graders fill in
/// (`written.csv` beside the gradebook): `student,exercise,question,score,comment`, one row per
/// student and question; an empty score means not graded yet.
public struct WrittenScores: Equatable, Sendable {
    /// One graded (or commented) answer.
    public struct Entry: Equatable, Sendable {
        /// The score, nil while not graded.
        public var score: Double?
        /// The grader's comment for the student (may be empty).
        public var comment: String
    }

    /// The header line of the file.
    public static let header = ["student", "exercise", "question", "score", "comment"]

    /// Entries by student, then by question key (`<Exercise>/<question>`).
    public var entries: [String: [String: Entry]]

    /// No scores at all.
    public init() { entries = [:] }

    /// The entry of `student` for `question`, if any.
    public func entry(_ student: String, _ question: WrittenQuestion) -> Entry? { entries[student]?[question.key] }

    /// Parses the file against the course's `questions` and the class's `students`: every row must
    /// name a known student and question, and a score must be a number from 0 to the question's points.
    public static func parse(_ text: String, questions: [WrittenQuestion], students: Set<String>) throws -> WrittenScores {
        let rows: [[String]]
        do { rows = try CSVText.rows(text) } catch let malformed as CSVText.Malformed { throw GradingError.invalidScores(malformed.message) }
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }), header == Self.header else {
            throw GradingError.invalidScores("the first line must be `\(Self.header.joined(separator: ","))`")
        }
        let byKey = Dictionary(uniqueKeysWithValues: questions.map { ($0.key, $0) })
        var scores = WrittenScores()
        for (index, row) in rows.enumerated().dropFirst() where !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = index + 1
            guard row.count == 5 else { throw GradingError.invalidScores("line \(line) has \(row.count) fields; expected 5 (\(Self.header.joined(separator: ",")))") }
            let (student, exercise, title) = (row[0].trimmingCharacters(in: .whitespaces), row[1].trimmingCharacters(in: .whitespaces),
                                              row[2].trimmingCharacters(in: .whitespaces))
            guard students.contains(student) else { throw GradingError.invalidScores("line \(line): there is no graded student \(student)") }
            guard let question = byKey["\(exercise)/\(title)"] else {
                throw GradingError.invalidScores("line \(line): \(exercise) has no written question \"\(title)\"")
            }
            let scoreText = row[3].trimmingCharacters(in: .whitespaces)
            var score: Double?
            if !scoreText.isEmpty {
                guard let value = Double(scoreText), value.isFinite, value >= 0, value <= question.points else {
                    throw GradingError.invalidScores("line \(line): the score of \(question.key) must be a number from 0 to "
                        + "\(formatPoints(question.points)), got \"\(scoreText)\"")
                }
                score = value
            }
            guard scores.entries[student]?[question.key] == nil else {
                throw GradingError.invalidScores("line \(line): \(student) has a second row for \(question.key)")
            }
            scores.entries[student, default: [:]][question.key] = Entry(score: score, comment: row[4].trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return scores
    }

    /// Loads `url` (no file: no scores).
    public static func load(from url: URL, questions: [WrittenQuestion], students: Set<String>) throws -> WrittenScores {
        guard FileManager.default.fileExists(atPath: url.path) else { return WrittenScores() }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw GradingError.invalidScores("cannot read \(url.path)") }
        do { return try parse(String(decoding: data, as: UTF8.self), questions: questions, students: students) }
        catch GradingError.invalidScores(let problem) { throw GradingError.invalidScores("\(url.lastPathComponent), \(problem)") }
    }

    /// The file's text with a row for every student and question (the scores and comments given so far kept).
    public func template(students: [String], questions: [WrittenQuestion]) -> String {
        var rows = [Self.header]
        for student in students.sorted() {
            for question in questions {
                let entry = entries[student]?[question.key]
                rows.append([student, question.exercise, question.title, entry?.score.map(formatPoints) ?? "", entry?.comment ?? ""])
            }
        }
        return CSVText.text(rows)
    }
}
