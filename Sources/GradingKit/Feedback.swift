/// The student's report: per exercise and part, the points and, for a lost part, one sentence
/// saying what was checked and what went wrong, the inputs, expected against actual values, and
/// the handout section to re-read. Never the hidden tests' code; never a machine's paths.
public enum Feedback {
    /// Markdown feedback for one submission.
    public static func markdown(parts: [PartResult], manifest: GradingManifest, problem: String? = nil, context: GradingContext) -> String {
        let total = parts.reduce(0) { $0 + $1.score }
        let extra = parts.filter { manifest.extraCreditExercises.contains($0.exercise) }.reduce(0) { $0 + $1.score }
        var lines = ["# Feedback", "", totalLine(total: total, extra: extra, manifest: manifest), ""]
        if let problem { lines += ["> Grading stopped: \(problem)", ""] }
        lines += context.notes.map { "> \($0)" } + (context.notes.isEmpty ? [] : [""])
        for exercise in manifest.exercises {
            let results = parts.filter { $0.exercise == exercise.name }
            guard !results.isEmpty else { continue }
            let earned = results.reduce(0) { $0 + $1.score }
            let kind = exercise.extraCredit ? " extra credit" : ""
            lines += ["## \(exercise.name) (\(exercise.question)): \(formatPoints(earned)) / \(formatPoints(exercise.maxPoints))\(kind)", ""]
            for result in results {
                let mark = result.status == .passed ? "✓" : "✗"
                lines.append("- \(mark) **\(result.part.id)** (\(formatPoints(result.score)) / \(formatPoints(result.part.points))): \(result.part.summary)")
                if result.status != .passed {
                    lines += ["", partDetail(result).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"), ""]
                }
            }
            lines.append("")
        }
        lines.append("_Inputs drawn with seed \(context.seed); \(context.protection)._")
        return lines.joined(separator: "\n")
    }

    /// A lost part's explanation in Markdown: the sentence, then the details in a code block
    /// (each shortened, the sentence never cut), then the section to re-read.
    public static func partDetail(_ result: PartResult) -> String {
        let explanation = result.explanation
        let lines = explanation.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sentence = lines.first ?? ""
        let rest = lines.dropFirst().joined(separator: "\n")
        var text = "**\(result.status == .failed ? "Failed" : result.status.rawValue.capitalizedFirst):** \(sentence)"
        if !rest.isEmpty { text += "\n\n```\n\(Scoring.truncated(rest, limit: 1500))\n```" }
        text += "\n\nRe-read “\(result.part.section)” in `Exercises/\(result.exercise)/README.md`."
        return text
    }
}

extension String {
    /// The string with its first letter in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
