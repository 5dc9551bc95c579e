/// The mutation-testing report: per exercise, how many mutants the hidden tests killed and how,
/// which survived (each listed with its lines), which are marked equivalent (with the reason),
/// which did not compile, and the score, killed ÷ (graded − equivalent − not compiling).
/// Written as Markdown and as CSV, with no date or time in the Markdown so that the same code
/// gives the same report.
public struct MutationReport: Sendable {
    /// The counts of one exercise.
    public struct Summary: Sendable, Equatable {
        /// The exercise.
        public var exercise: String
        /// Mutants of the exercise in all.
        public var generated: Int
        /// Mutants graded (all, or a sample).
        public var graded: Int
        /// Killed mutants, by how they were killed.
        public var killed: [MutantOutcome.Kill: Int]
        /// Survivors not marked equivalent.
        public var survived: Int
        /// Survivors marked equivalent (left out of the score).
        public var equivalent: Int
        /// Mutants that did not compile (left out of the score: the compiler caught them).
        public var notCompiling: Int
        /// Mutants whose grading failed (no verdict; left out of the score).
        public var errors: Int

        /// Killed mutants in all.
        public var killedCount: Int { killed.values.reduce(0, +) }
        /// Mutants the score counts: graded, less the equivalent, not compiling and ungraded ones.
        public var counted: Int { graded - equivalent - notCompiling - errors }
        /// killed ÷ counted, 1 when nothing counts.
        public var score: Double {
            return counted == 0 ? 1 : Double(killedCount) / Double(counted)
        }
    }

    /// The graded runs, one per exercise, in course order.
    public var runs: [ExerciseMutationRun]
    /// The marks of equivalent mutants, by exercise.
    public var equivalents: [String: EquivalentMutants]
    /// The seed of the hidden tests' inputs.
    public var seed: UInt64
    /// The size of the fixed sample graded, by exercise; an exercise not named had every mutant graded.
    public var samples: [String: Int]
    /// The lowest acceptable score of an exercise, from 0 to 1.
    public var minimumScore: Double

    /// A report of `runs`.
    public init(runs: [ExerciseMutationRun], equivalents: [String: EquivalentMutants], seed: UInt64, samples: [String: Int] = [:],
                minimumScore: Double) {
        (self.runs, self.equivalents, self.seed, self.samples, self.minimumScore) = (runs, equivalents, seed, samples, minimumScore)
    }

    /// The reason `result`'s mutant is marked equivalent, if it is.
    func reason(_ result: MutantResult) -> String? { equivalents[result.mutant.exercise]?.reasons[result.mutant.id] }

    /// The counts of `run`.
    public func summary(_ run: ExerciseMutationRun) -> Summary {
        var summary = Summary(exercise: run.exercise, generated: run.generated.count, graded: run.results.count, killed: [:],
                              survived: 0, equivalent: 0, notCompiling: 0, errors: 0)
        for result in run.results {
            switch result.outcome {
            case .killed(let kill, _): summary.killed[kill, default: 0] += 1
            case .survived: if reason(result) == nil { summary.survived += 1 } else { summary.equivalent += 1 }
            case .didNotCompile: summary.notCompiling += 1
            case .error: summary.errors += 1
            }
        }
        return summary
    }

    /// The survivors nobody explained, in text order.
    public func survivors(_ run: ExerciseMutationRun) -> [MutantResult] {
        run.results.filter { $0.outcome == .survived && reason($0) == nil }
    }

    /// What makes the run fail, one sentence each: an exercise below the minimum score, an
    /// unexplained survivor, a mutant whose grading failed.
    public var problems: [String] {
        runs.flatMap { run -> [String] in
            let summary = summary(run)
            var problems: [String] = []
            if summary.score < minimumScore {
                problems.append("\(run.exercise) scores \(percent(summary.score)), below the required \(percent(minimumScore)).")
            }
            problems += survivors(run).map { "\(run.exercise): mutant \($0.mutant.id) (\($0.mutant.file):\($0.mutant.line), \($0.mutant.change)) survived and is not marked equivalent." }
            problems += run.results.compactMap { result in
                guard case .error(let message) = result.outcome else { return nil }
                return "\(run.exercise): mutant \(result.mutant.id) could not be graded: \(message)"
            }
            return problems
        }
    }

    /// Things worth fixing that do not fail the run: marks of mutants that were killed or that
    /// no longer exist.
    public var notes: [String] {
        runs.flatMap { run -> [String] in
            let marks = equivalents[run.exercise]?.reasons ?? [:]
            let killed = run.results.filter { $0.outcome.isKilled && marks[$0.mutant.id] != nil }
                .map { "\(run.exercise): mutant \($0.mutant.id) is marked equivalent but was killed; remove its mark." }
            let known = Set(run.generated)
            let stale = marks.keys.filter { !known.contains($0) }.sorted()
                .map { "\(run.exercise): the mark of \($0) names no mutant of the current reference; remove it." }
            return killed + stale
        }
    }

    /// `value` (from 0 to 1) as a percentage with one decimal.
    public func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// The report of one exercise's run only (its marks, sample, seed and minimum kept).
    public func only(_ exercise: String) -> MutationReport {
        MutationReport(runs: runs.filter { $0.exercise == exercise }, equivalents: equivalents.filter { $0.key == exercise }, seed: seed,
                       samples: samples.filter { $0.key == exercise }, minimumScore: minimumScore)
    }

    /// The report in Markdown.
    public func markdown() -> String {
        var lines = ["# Mutation testing", ""]
        let sampled = runs.map(\.exercise).filter { samples[$0] != nil }.map { "\($0) (`--sample \($0)=\(samples[$0]!)`)" }
        let scope = sampled.isEmpty ? "every mutant" : "every mutant (a fixed sample for \(sampled.joined(separator: ", ")))"
        lines.append("The hidden tests graded \(scope) of the reference files (`Solutions/<E>/*.swift`, top level), with the inputs of seed \(seed). "
            + "A mutant is killed when it loses a part: by a failed check, a crash or a time-out. A mutant that does not compile counts apart. "
            + "The score is killed ÷ (graded − equivalent − not compiling); the required score is \(percent(minimumScore)) per exercise.")
        lines += ["", "| exercise | mutants | graded | not compiling | killed | failed check | crash | time-out | survived | equivalent | score |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        let summaries = runs.map(summary)
        for s in summaries + (summaries.count > 1 ? [total(summaries)] : []) {
            let kills = MutantOutcome.Kill.allCases.map { String(s.killed[$0] ?? 0) }.joined(separator: " | ")
            let name = s.exercise == "all" ? "**all**" : s.exercise
            lines.append("| \(name) | \(s.generated) | \(s.graded) | \(s.notCompiling) | \(s.killedCount) | \(kills) | \(s.survived) | \(s.equivalent) "
                + "| \(percent(s.score)) |")
        }

        lines += ["", "## Survivors", ""]
        let survivors = runs.flatMap(survivors)
        if survivors.isEmpty { lines.append("None: every mutant was killed or is marked equivalent.") }
        for result in survivors { lines += entry(result, note: nil) }

        lines += ["", "## Equivalent mutants", "",
                  "Marked by hand in `Grading/<E>/Variants/\(EquivalentMutants.fileName)`; left out of the score.", ""]
        let equivalent = runs.flatMap(\.results).filter { $0.outcome == .survived && reason($0) != nil }
        if equivalent.isEmpty { lines.append("None.") }
        for result in equivalent { lines += entry(result, note: reason(result)) }

        let other = problems.filter { $0.contains("could not be graded") } + notes
        if !other.isEmpty { lines += ["", "## Notes", ""] + other.map { "- \($0)" } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The counts of every exercise together, as the exercise `all`.
    func total(_ summaries: [Summary]) -> Summary {
        var total = Summary(exercise: "all", generated: 0, graded: 0, killed: [:], survived: 0, equivalent: 0, notCompiling: 0, errors: 0)
        for s in summaries {
            (total.generated, total.graded, total.notCompiling) = (total.generated + s.generated, total.graded + s.graded, total.notCompiling + s.notCompiling)
            (total.survived, total.equivalent, total.errors) = (total.survived + s.survived, total.equivalent + s.equivalent, total.errors + s.errors)
            for (kill, count) in s.killed { total.killed[kill, default: 0] += count }
        }
        return total
    }

    /// A mutant as a list entry: where, which, its lines before and after, and a note.
    func entry(_ result: MutantResult, note: String?) -> [String] {
        let mutant = result.mutant
        var lines = ["- \(mutant.exercise)/\(mutant.file):\(mutant.line), `\(mutant.id)`, \(mutant.mutation.rawValue): \(mutant.change)",
                     "  - reference: \(code(mutant.original))",
                     "  - mutant: \(code(mutant.mutated))"]
        if let note { lines.append("  - why it is equivalent: \(note)") }
        return lines
    }

    /// `text` as a Markdown code span on one line.
    func code(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        return line.contains("`") ? "`` \(line) ``" : "`\(line)`"
    }

    /// One row per graded mutant: `exercise,id,file,line,operator,change,outcome,how,part,seconds,original,mutated,reason`;
    /// the outcome is `killed`, `survived`, `equivalent`, `not compiling` or `error`.
    public func csv() -> String {
        var rows = [["exercise", "id", "file", "line", "operator", "change", "outcome", "how", "part", "seconds", "original", "mutated", "reason"]]
        for run in runs {
            for result in run.results {
                let mutant = result.mutant
                let (outcome, how, part): (String, String, String)
                switch result.outcome {
                case .killed(let kill, let lost): (outcome, how, part) = ("killed", kill.rawValue, lost)
                case .survived: (outcome, how, part) = (reason(result) == nil ? "survived" : "equivalent", "", "")
                case .didNotCompile: (outcome, how, part) = ("not compiling", "", "")
                case .error(let message): (outcome, how, part) = ("error", message, "")
                }
                rows.append([mutant.exercise, mutant.id, mutant.file, String(mutant.line), mutant.mutation.rawValue, mutant.change, outcome, how, part,
                             String(Int(result.seconds.rounded())), mutant.original, mutant.mutated, reason(result) ?? ""])
            }
        }
        return CSVText.text(rows)
    }
}
