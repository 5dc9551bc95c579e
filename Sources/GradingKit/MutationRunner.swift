import Foundation

/// Grades mutants of the references exactly as the course grades a submission: each mutant is
/// the reference of its exercise with one file changed, written out as a submission folder
/// and graded by `SubmissionGrader.gradeFolder` (a private copy of the files, the exercise
/// built on its own in the work copy, every part's probe in the sandbox, the trusted judge
/// deciding), with inputs from one seed. Parts decided from handed-in files alone get their
/// verdict from the grader's verdict cache, so they are judged once for the whole run.
public struct MutationRunner: Sendable {
    /// The course's grader.
    public let grader: SubmissionGrader
    /// Folder reused by every mutant (work copy and build).
    public let workspace: URL
    /// The seed of every part's inputs.
    public let seed: UInt64

    /// A runner grading with `grader` in `workspace`, with inputs from `seed`.
    public init(grader: SubmissionGrader, workspace: URL, seed: UInt64) {
        (self.grader, self.workspace, self.seed) = (grader, workspace, seed)
    }

    /// Every mutant of the reference files of `exercise` (`MutantGenerator.mutants(of:repository:)`).
    public func mutants(of exercise: String) throws -> [Mutant] {
        try MutantGenerator.mutants(of: exercise, repository: grader.repository)
    }

    /// Grades the reference of `exercise` and then each of `mutants` (all of that exercise),
    /// calling `progress` after each mutant. Throws when the reference itself loses a part.
    public func run(exercise: String, mutants: [Mutant], progress: (MutantResult) -> Void = { _ in }) throws -> ExerciseMutationRun {
        guard grader.manifest.exercise(named: exercise) != nil else {
            throw GradingError.unknownExercise(exercise, known: grader.manifest.exercises.map(\.name))
        }
        let reference = grader.repository.appendingPathComponent("Solutions/\(exercise)")
        let cases = workspace.appendingPathComponent("mutants")
        // The reference first: it must earn every point, or no mutant's loss means anything.
        let started = Date()
        let baseline = try grader.gradeFolder(try write(reference: reference, mutant: nil, into: cases), workspace: workspace, seed: seed,
                                              only: [exercise])
        let referenceSeconds = Date().timeIntervalSince(started)
        if let lost = baseline.first(where: { $0.status != .passed }) {
            throw GradingError.commandFailed("the reference of \(exercise) loses part \(lost.part.id) with seed \(seed) "
                + "(\(lost.status.rawValue)); mutation testing needs a reference that earns every point")
        }
        var results: [MutantResult] = []
        for mutant in mutants {
            let begun = Date()
            var outcome: MutantOutcome
            do {
                let folder = try write(reference: reference, mutant: mutant, into: cases)
                outcome = MutantOutcome(results: try grader.gradeFolder(folder, workspace: workspace, seed: seed, only: [exercise]))
            } catch {
                outcome = .error("\(error)")
            }
            let result = MutantResult(mutant: mutant, outcome: outcome, seconds: Date().timeIntervalSince(begun))
            results.append(result)
            progress(result)
        }
        return ExerciseMutationRun(exercise: exercise, referenceSeconds: referenceSeconds, results: results)
    }

    /// Writes the reference of one exercise, with `mutant` applied when given, as a submission
    /// folder `into/submitted/<E>/` (as `grader validate` writes a variant); returns `into/submitted`.
    func write(reference: URL, mutant: Mutant?, into folder: URL) throws -> URL {
        let submitted = folder.appendingPathComponent("submitted")
        try? FileManager.default.removeItem(at: submitted)
        let exercise = reference.lastPathComponent
        try Variant(exercise: exercise, name: "mutant", breaks: [], hunks: [], replacementFiles: nil).write(reference: reference, into: submitted)
        if let mutant {
            let file = submitted.appendingPathComponent("\(exercise)/\(mutant.file)")
            let source = MutationSource(try String(contentsOf: file, encoding: .utf8))
            try mutant.apply(to: source).write(to: file, atomically: true, encoding: .utf8)
        }
        return submitted
    }
}
