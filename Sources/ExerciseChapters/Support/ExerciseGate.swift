import Notebook

/// Stands between a chapter's sections and the student's functions: a section names the
/// functions it needs, the gate runs their known-answer checks (each once per chapter run), and
/// the section runs only when all pass. Otherwise the page and the terminal say which exercise
/// and function to finish and why, and the section shows nothing computed by them.
final class ExerciseGate {
    private let book: Notebook
    /// The verdict of every check run so far: nil when the function passed, else the problem.
    private var verdicts: [String: String?] = [:]

    /// A gate writing its notes into `book`.
    init(book: Notebook) { self.book = book }

    /// Runs `checks` in order and returns true when every function passed. At the first one
    /// that throws or gives a wrong result, writes a warning naming its exercise and function
    /// and returns false; on success, notes which of the student's functions the section runs.
    func open(_ checks: [SanityCheck]) throws -> Bool {
        for check in checks {
            guard let problem = verdict(of: check) else { continue }
            try book.note("Finish exercise \(check.exercise), function `\(check.function)`: "
                + InlineText.literal(problem) + ". The section shows its results once your function passes this check.",
                kind: .warning)
            return false
        }
        var seen = Set<String>()
        let names = checks.filter { seen.insert($0.key).inserted }.map { "`\($0.function)` (\($0.exercise))" }
        try book.note("This section runs your code: " + names.joined(separator: ", ") + ".")
        return true
    }

    /// Opens the gate for `checks`, then runs `work` (which calls the student's functions) and
    /// returns its result; nil when a check failed or `work` threw. An error out of `work` is
    /// written as a warning that names `what` the section was doing, and the chapter goes on.
    func run<Result>(_ checks: [SanityCheck], doing what: String, _ work: () throws -> Result) throws -> Result? {
        guard try open(checks) else { return nil }
        do {
            return try work()
        } catch {
            try book.note("This section stopped while \(what): " + InlineText.literal(String(describing: error))
                + ". Nothing from it is shown.", kind: .warning)
            book.progress("stopped while \(what): \(error)")
            return nil
        }
    }

    /// The remembered verdict of `check`, running it the first time.
    private func verdict(of check: SanityCheck) -> String? {
        if let known = verdicts[check.key] { return known }
        let problem: String?
        do {
            problem = try check.run()
        } catch {
            let message = String(describing: error)
            problem = message.hasPrefix("not implemented") ? "it still throws “\(message)”" : "on a quick check it threw “\(message)”"
        }
        verdicts[check.key] = .some(problem)
        return problem
    }
}
