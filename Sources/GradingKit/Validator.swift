import Foundation

/// Checks that the hidden tests discriminate: the reference earns every point, the stubs earn
/// none, and every wrong variant (`Variant`) loses exactly the parts it declares, each by an
/// ordinary failed check. A variant that no longer compiles, crashes, runs out of time or
/// leaves a part unrun proves nothing about the checks, and is reported as broken.
public struct Validator: Sendable {
    /// One checked case and whether it behaved.
    public struct Check: Equatable, Sendable {
        /// `reference`, `stubs` or `<Exercise>/<variant>`.
        public var name: String
        /// Points earned out of the points at stake.
        public var score: Double
        /// Points at stake in this case.
        public var maxPoints: Double
        /// The parts that were lost (`<Exercise>/<part>`).
        public var failedParts: [String]
        /// The parts expected to be lost.
        public var expectedFailures: [String]
        /// For a variant: the parts lost otherwise than by a failed check, with how (`compile error`, …).
        public var brokenParts: [String]
        /// For a variant: the lost parts whose feedback does not start with a sentence or does not
        /// show the expected and the actual value.
        public var unclearFeedback: [String] = []

        /// True when exactly the expected parts were lost, and a variant lost them by failed checks
        /// whose feedback a student can act on.
        public var ok: Bool { Set(failedParts) == Set(expectedFailures) && brokenParts.isEmpty && unclearFeedback.isEmpty }
    }

    /// The grader used for every case.
    public let grader: SubmissionGrader
    /// Folder reused by every case (work copy and build).
    public let workspace: URL
    /// The exercises to validate (nil for all).
    public let only: [String]?
    /// The seed of every case's inputs.
    public let seed: UInt64

    /// Validates `grader`'s course, building in `workspace`, with inputs from `seed`; `only`
    /// restricts the reference, the stubs and the variants to the named exercises.
    public init(grader: SubmissionGrader, workspace: URL, only: [String]? = nil, seed: UInt64) {
        (self.grader, self.workspace, self.only, self.seed) = (grader, workspace, only, seed)
    }

    /// Runs every case, calling `progress` after each one.
    public func run(progress: (Check) -> Void = { _ in }) throws -> [Check] {
        let repository = grader.repository
        let names = grader.manifest.exercises.map(\.name)
        if let only, let unknown = only.first(where: { !names.contains($0) }) {
            throw GradingError.unknownExercise(unknown, known: names)
        }
        let selected = names.filter { only?.contains($0) ?? true }
        let allParts = grader.manifest.exercises.filter { selected.contains($0.name) }.flatMap { e in e.parts.map { "\(e.name)/\($0.id)" } }
        var checks: [Check] = []
        func record(_ name: String, _ results: [PartResult], expected: [String], variant: Bool) {
            let lost = results.filter { $0.status != .passed }
            var check = Check(name: name, score: results.reduce(0) { $0 + $1.score }, maxPoints: results.reduce(0) { $0 + $1.part.points },
                              failedParts: lost.map { "\($0.exercise)/\($0.part.id)" }, expectedFailures: expected,
                              brokenParts: variant ? lost.filter { $0.status != .failed }.map { "\($0.exercise)/\($0.part.id) (\($0.status.rawValue))" } : [])
            if variant {
                check.unclearFeedback = lost.filter { $0.status == .failed && !Self.isActionable($0) }.map { "\($0.exercise)/\($0.part.id)" }
            }
            checks.append(check)
            progress(check)
        }
        let cases = workspace.appendingPathComponent("cases")
        // The reference: every exercise's files from Solutions/, as a student would hand them in.
        let reference = cases.appendingPathComponent("reference")
        try? FileManager.default.removeItem(at: reference)
        try Variant.writeReference(of: selected, repository: repository, into: reference)
        record("reference", try grade(reference, only: selected), expected: [], variant: false)
        record("stubs", try grade(repository.appendingPathComponent("Exercises"), only: selected), expected: allParts, variant: false)
        // Variants of different exercises are graded together, one of each exercise per round:
        // one build compiles every exercise of the round, and each exercise's parts are decided
        // from its own files only, as for a single variant.
        let variants = try Variant.all(in: repository, exercises: selected)
        for round in Self.rounds(variants) {
            let folder = cases.appendingPathComponent("variants")
            try? FileManager.default.removeItem(at: folder)
            var written: [Variant] = []
            for variant in round {
                do {
                    try variant.write(reference: repository.appendingPathComponent("Solutions/\(variant.exercise)"), into: folder)
                    written.append(variant)
                } catch {
                    checks.append(Check(name: "\(variant.exercise)/\(variant.name)", score: 0, maxPoints: 0, failedParts: [],
                                        expectedFailures: variant.breaks.map { "\(variant.exercise)/\($0)" }, brokenParts: ["\(error)"]))
                    progress(checks[checks.count - 1])
                }
            }
            guard !written.isEmpty else { continue }
            let results = try grade(folder, only: written.map(\.exercise))
            for variant in written {
                record("\(variant.exercise)/\(variant.name)", results.filter { $0.exercise == variant.exercise },
                       expected: variant.breaks.map { "\(variant.exercise)/\($0)" }, variant: true)
            }
        }
        return checks
    }

    /// The variants in rounds: round k holds the k-th variant of every exercise that has one, so
    /// that no round holds two variants of one exercise.
    static func rounds(_ variants: [Variant]) -> [[Variant]] {
        var rounds: [[Variant]] = []
        var seen: [String: Int] = [:]
        for variant in variants {
            let round = seen[variant.exercise, default: 0]
            seen[variant.exercise] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(variant)
        }
        return rounds
    }

    /// True when the first failed check of `result` is a sentence (several words ending in a full
    /// stop; it may open with a name from the code, `queryLoss should …`) and shows the expected
    /// value and the one the code gave.
    static func isActionable(_ result: PartResult) -> Bool {
        guard let first = result.failures.first else { return false }
        return first.statement.split(separator: " ").count >= 4 && first.statement.hasSuffix(".") && first.expected != nil && first.actual != nil
    }

    /// Grades the exercise folders in `folder` (only those named), as a submission.
    func grade(_ folder: URL, only: [String]) throws -> [PartResult] {
        try grader.gradeFolder(folder, workspace: workspace, seed: seed, only: only)
    }
}
