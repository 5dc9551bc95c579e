/// The student's report: per exercise and part, the points, what failed and which handout
/// section to re-read. Hidden tests' code and values are not shown, only the runner's messages
/// (truncated), which describe the failed expectation.
public enum Feedback {
    /// Markdown feedback for one submission.
    public static func markdown(parts: [PartResult], manifest: GradingManifest, problem: String? = nil) -> String {
        let total = parts.reduce(0) { $0 + $1.score }
        let extra = parts.filter { manifest.extraCreditExercises.contains($0.exercise) }.reduce(0) { $0 + $1.score }
        let extraNote = manifest.extraPoints > 0
            ? " (extra credit included: \(formatPoints(extra)) of \(formatPoints(manifest.extraPoints)) on top of \(formatPoints(manifest.maxPoints)))"
            : ""
        var lines = ["# Feedback", "", "Total: **\(formatPoints(total)) / \(formatPoints(manifest.maxPoints))** points\(extraNote).", ""]
        if let problem { lines += ["> Grading problem: \(problem)", ""] }
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
                    lines.append("  - \(result.status.rawValue); re-read \"\(result.part.section)\" in `Exercises/\(exercise.name)/README.md`.")
                    let detail = Scoring.truncated(result.output, limit: 600)
                    if !detail.isEmpty {
                        lines.append("")
                        lines.append("  ```")
                        lines += detail.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
                        lines.append("  ```")
                    }
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
