/// The points of a grading as a short table for a terminal: one line per exercise, a line per
/// lost part with what it checks and the section to re-read, and the total.
public enum PointsTable {
    /// The table for `results`, under `heading`.
    public static func text(_ results: [PartResult], manifest: GradingManifest, heading: String) -> String {
        var lines = [heading]
        var earned = 0.0, possible = 0.0, extraEarned = 0.0
        for exercise in manifest.exercises {
            let ran = results.filter { $0.exercise == exercise.name }
            guard !ran.isEmpty else { continue }
            let got = ran.reduce(0) { $0 + $1.score }
            let isExtra = exercise.extraCredit
            if isExtra { extraEarned += got } else { earned += got; possible += exercise.maxPoints }
            let mark = ran.allSatisfy { $0.status == .passed } ? "✓" : "✗"
            lines.append("  \(mark) \(exercise.name.padding(toLength: 18, withPad: " ", startingAt: 0)) "
                + "\(formatPoints(got)) / \(formatPoints(exercise.maxPoints))\(isExtra ? " extra credit" : "")")
            for result in ran where result.status != .passed {
                lines.append("      lost \(formatPoints(result.part.points)) on part \(result.part.id) (\(result.status.rawValue)): "
                    + "\(result.part.summary) (re-read “\(result.part.section)”)")
            }
        }
        let extra = manifest.extraPoints > 0 ? " + \(formatPoints(extraEarned)) extra" : ""
        lines.append("  Total: \(formatPoints(earned)) / \(formatPoints(possible))\(extra)")
        return lines.joined(separator: "\n")
    }
}
