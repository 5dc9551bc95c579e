/// The text of the points summary: one block per exercise whose hidden tests ran, naming every
/// part that was not earned with its points, what it checks and the handout section to re-read,
/// then the total over the parts that ran.
struct PointsReport {
    let manifest: PartsManifest
    /// Outcomes keyed `<Exercise>Grading.<test>`; parts without an outcome did not run.
    let outcomes: [String: Bool]
    /// The folder the exercises were built from, for the heading.
    let implementation: String

    /// The report, or nil when no graded part of the manifest ran in this process.
    var text: String? {
        guard manifest.exercises.contains(where: { exercise in
            exercise.parts.contains { outcomes["\(exercise.name)Grading.\($0.test)"] != nil }
        }) else { return nil }
        var lines = ["", "Points (hidden tests run against \(implementation))"]
        var earned = 0.0, possible = 0.0, extraEarned = 0.0, notRun = 0
        for exercise in manifest.exercises {
            let ran = exercise.parts.compactMap { part in
                outcomes["\(exercise.name)Grading.\(part.test)"].map { (part, $0) }
            }
            notRun += exercise.parts.count - ran.count
            guard !ran.isEmpty else { continue }
            let got = ran.filter(\.1).reduce(0.0) { $0 + $1.0.points }
            let ranPoints = ran.reduce(0.0) { $0 + $1.0.points }
            let isExtra = exercise.extraCredit == true
            if isExtra { extraEarned += got } else { earned += got; possible += ranPoints }
            let mark = ran.allSatisfy(\.1) ? "✓" : "✗"
            lines.append("  \(mark) \(exercise.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Self.format(got)) / \(Self.format(ranPoints))\(isExtra ? " extra credit" : "")")
            for (part, passed) in ran where !passed {
                lines.append("      lost \(Self.format(part.points)) on part \(part.id): \(part.summary) (re-read “\(part.section)”)")
            }
        }
        let extra = extraEarned > 0 ? " + \(Self.format(extraEarned)) extra" : ""
        lines.append("  Total: \(Self.format(earned)) / \(Self.format(possible))\(extra)"
            + (notRun > 0 ? " (\(notRun) part\(notRun == 1 ? "" : "s") not run in this test run)" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2` for whole numbers, `1.5` otherwise.
    static func format(_ points: Double) -> String {
        points == points.rounded() ? String(Int(points)) : String(points)
    }
}
