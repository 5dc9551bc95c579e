/// What became of one mutant under the hidden tests.
public enum MutantOutcome: Equatable, Sendable {
    /// How a killed mutant lost its part.
    public enum Kill: String, CaseIterable, Sendable {
        /// The judge's check did not hold: the ordinary way a test catches a mistake.
        case failedCheck = "failed check"
        /// The probe ended without reporting (a trap, `fatalError`, a signal).
        case crash
        /// The probe ran out of time (or the exercise's time budget was spent).
        case timeOut = "time-out"
    }

    /// It lost part `part`, by `kill`.
    case killed(Kill, part: String)
    /// It earned every point it was graded on.
    case survived
    /// The mutated exercise did not compile: the compiler, not a test, caught it, so it counts
    /// apart and not in the score.
    case didNotCompile
    /// Grading itself failed, so there is no verdict (the message says why).
    case error(String)

    /// The outcome of a mutant graded with `results`: did not compile when a part says so;
    /// else killed when a part was lost (by a failed check if any part was, else by the first
    /// other way in `Kill`'s order); else survived.
    public init(results: [PartResult]) {
        if results.contains(where: { $0.status == .compileError }) {
            self = .didNotCompile
            return
        }
        let lost = results.filter { $0.status != .passed }
        let kills = lost.map { result -> (Kill, String) in
            switch result.status {
            case .passed, .failed, .compileError: (.failedCheck, result.part.id)
            case .notRun: (.timeOut, result.part.id)
            case .didNotFinish: (result.problem.hasPrefix(Self.timeOutPrefix) ? .timeOut : .crash, result.part.id)
            }
        }
        guard let first = kills.min(by: { Kill.allCases.firstIndex(of: $0.0)! < Kill.allCases.firstIndex(of: $1.0)! }) else {
            self = .survived
            return
        }
        self = .killed(first.0, part: first.1)
    }

    /// How `PartRunner` starts the problem of a probe stopped by its time limit.
    static let timeOutPrefix = "Your code was stopped after"

    /// True for a killed mutant.
    public var isKilled: Bool { if case .killed = self { true } else { false } }
}

/// One graded mutant.
public struct MutantResult: Sendable, Equatable {
    /// The mutant.
    public var mutant: Mutant
    /// What became of it.
    public var outcome: MutantOutcome
    /// Seconds its grading took, build included.
    public var seconds: Double

    /// Collects a result's fields.
    public init(mutant: Mutant, outcome: MutantOutcome, seconds: Double) {
        (self.mutant, self.outcome, self.seconds) = (mutant, outcome, seconds)
    }
}

/// The mutants of one exercise that were graded, and how many there are in all.
public struct ExerciseMutationRun: Sendable, Equatable {
    /// The exercise.
    public var exercise: String
    /// Seconds the reference's own grading took.
    public var referenceSeconds: Double
    /// The graded mutants.
    public var results: [MutantResult]
    /// The ids of every mutant of the exercise (more than `results` when a sample was graded).
    public var generated: [String]

    /// A run of `results`, out of the mutants `generated` (by default those graded).
    public init(exercise: String, referenceSeconds: Double, results: [MutantResult], generated: [String]? = nil) {
        (self.exercise, self.referenceSeconds, self.results) = (exercise, referenceSeconds, results)
        self.generated = generated ?? results.map(\.mutant.id)
    }
}

/// The fixed sample of mutants a short run grades.
public enum MutationSample {
    /// `count` of `mutants`, the same ones every time, spread over the files: the files take
    /// turns (in name order), each giving its mutants in the order of their ids (hashes, so a
    /// fixed shuffle that mixes lines and kinds of mistake). Mutants whose id is in `excluding`
    /// (marked equivalent) are never picked. The result keeps the mutants' text order.
    public static func pick(_ mutants: [Mutant], count: Int, excluding: Set<String> = []) -> [Mutant] {
        let candidates = mutants.filter { !excluding.contains($0.id) }
        var queues = Dictionary(grouping: candidates, by: \.file).mapValues { $0.sorted { $0.id < $1.id } }
        let files = queues.keys.sorted()
        var picked = Set<String>()
        while picked.count < min(count, candidates.count) {
            for file in files where picked.count < count {
                guard var queue = queues[file], !queue.isEmpty else { continue }
                picked.insert(queue.removeFirst().id)
                queues[file] = queue
            }
        }
        return candidates.filter { picked.contains($0.id) }
    }
}
