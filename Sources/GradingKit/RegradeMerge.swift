import Foundation

extension GradescopeResults {
    /// `Score 60 / 67 (8 of them extra credit, out of 10 available).`: the first line of the message.
    static func scoreLine(total: Double, manifest: GradingManifest, extra: (earned: Double, available: Double)?) -> String {
        let extraNote = extra.map { " (\(formatPoints($0.earned)) of them extra credit, out of \(formatPoints($0.available)) available)" } ?? ""
        return "Score \(formatPoints(total)) / \(formatPoints(manifest.maxPoints))\(extraNote)."
    }

    /// These results with the exercises `exercises` taken from `regraded` (a grading of those
    /// exercises only, with the same seed): the other exercises' entries kept as they were, the
    /// score and its line recomputed, the grading times added, the seed kept.
    public func merging(_ regraded: GradescopeResults, exercises: [String], manifest: GradingManifest) -> GradescopeResults {
        func replaced(_ test: TestEntry) -> Bool { exercises.contains(test.tags.first ?? "") || test.tags == ["catastrophic error"] }
        let order = Dictionary(uniqueKeysWithValues: manifest.exercises.enumerated().map { ($1.name, $0) })
        let kept = tests.filter { !replaced($0) && !TermOverlay.isOverlay($0) }
        let added = regraded.tests.filter { replaced($0) && !TermOverlay.isOverlay($0) }
        var merged = self
        merged.tests = (kept + added).enumerated().sorted { a, b in
            let (x, y) = (order[a.element.tags.first ?? ""] ?? Int.max, order[b.element.tags.first ?? ""] ?? Int.max)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        merged.score = merged.tests.reduce(0) { $0 + $1.score }
        let extraTests = merged.tests.filter { manifest.extraCreditExercises.contains($0.tags.first ?? "") }
        let line = Self.scoreLine(total: merged.score, manifest: manifest, extra: extraTests.isEmpty ? nil
            : (earned: extraTests.reduce(0) { $0 + $1.score }, available: extraTests.reduce(0) { $0 + $1.max_score }))
        let notes = TermOverlay.base(of: regraded.output).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
        merged.output = ([line] + notes.map(String.init)).joined(separator: "\n")
        merged.execution_time = ((execution_time + regraded.execution_time) * 10).rounded() / 10
        if let protection = regraded.extra_data?.protection { merged.extra_data?.protection = protection }
        merged.leaderboard = LeaderboardEntry.entries(from: merged.tests)
        return merged
    }
}

extension Feedback {
    /// `Total: **60 / 67** points (extra credit included: …).`: the feedback's total line.
    static func totalLine(total: Double, extra: Double, manifest: GradingManifest) -> String {
        let extraNote = manifest.extraPoints > 0
            ? " (extra credit included: \(formatPoints(extra)) of \(formatPoints(manifest.extraPoints)) on top of \(formatPoints(manifest.maxPoints)))"
            : ""
        return "Total: **\(formatPoints(total)) / \(formatPoints(manifest.maxPoints))** points\(extraNote)."
    }

    /// The feedback `old` with the sections of the exercises `exercises` taken from `regraded` (the
    /// feedback of a grading of those exercises only), its heading and notes from `regraded`, and
    /// the total line made from `results` (the merged results).
    public static func merging(_ old: String, _ regraded: String, exercises: [String], results: GradescopeResults,
                               manifest: GradingManifest) -> String {
        let before = Layout(TermOverlay.base(of: old)), after = Layout(TermOverlay.base(of: regraded))
        let parts = results.tests.filter { $0.tags.count == 2 }
        let extra = parts.filter { manifest.extraCreditExercises.contains($0.tags[0]) }.reduce(0) { $0 + $1.score }
        var lines = after.head.map { $0.hasPrefix("Total: **") ? totalLine(total: parts.reduce(0) { $0 + $1.score }, extra: extra, manifest: manifest) : $0 }
        for exercise in manifest.exercises.map(\.name) {
            lines += (exercises.contains(exercise) ? after.sections[exercise] : before.sections[exercise]) ?? []
        }
        return (lines + after.footer).joined(separator: "\n")
    }

    /// A feedback text cut into its heading, one block per exercise section and the closing line.
    struct Layout {
        var head: [String] = []
        var sections: [String: [String]] = [:]
        var footer: [String] = []

        init(_ text: String) {
            var current: String?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.hasPrefix("## ") {
                    current = String(line.dropFirst(3).prefix { $0 != " " && $0 != ":" })
                } else if line.hasPrefix("_Inputs drawn") {
                    current = nil
                    footer.append(line)
                    continue
                }
                if let current { sections[current, default: []].append(line) }
                else if footer.isEmpty { head.append(line) }
                else { footer.append(line) }
            }
        }
    }
}
