import Foundation

/// Grades mutants of the references with the course's grader: each mutant is the reference of
/// its exercise with one file mutated, handed in as a submission and graded as `grade` grades
/// one (a private copy of the files, the exercise built on its own in the work copy, every
/// part's probe in the sandbox, the trusted judge deciding), with inputs from one seed.
///
/// Two things differ from a full grading, both only to save time. Parts decided from handed-in
/// files alone (`probed == false`: trained weights, curves) are not run, since no code mutant
/// can change them. And a mutant's parts run fastest first (by the reference's times) and
/// stop at the first part it loses, since one lost part already kills it.
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
        guard var described = grader.manifest.exercise(named: exercise) else {
            throw GradingError.unknownExercise(exercise, known: grader.manifest.exercises.map(\.name))
        }
        described.parts = described.parts.filter(\.probed)
        let reference = grader.repository.appendingPathComponent("Solutions/\(exercise)")
        let cases = workspace.appendingPathComponent("mutants")
        let workCopy = try WorkCopy(repository: grader.repository, root: workspace.appendingPathComponent("work"), structure: grader.structure,
                                    exercises: grader.manifest.exercises.map(\.name))
        // The reference first: it must earn every point, and its times order the parts.
        let started = Date()
        let baseline = try grade(folder: try write(reference: reference, mutant: nil, into: cases), exercise: described,
                                 workCopy: workCopy, stopAtLoss: false)
        let referenceSeconds = Date().timeIntervalSince(started)
        if let lost = baseline.results.first(where: { $0.status != .passed }) {
            throw GradingError.commandFailed("the reference of \(exercise) loses part \(lost.part.id) with seed \(seed) "
                + "(\(lost.status.rawValue)); mutation testing needs a reference that earns every point")
        }
        let order = described.parts.indices.sorted { baseline.seconds[$0] < baseline.seconds[$1] }
        var fastestFirst = described
        fastestFirst.parts = order.map { described.parts[$0] }
        var results: [MutantResult] = []
        for mutant in mutants {
            let begun = Date()
            var outcome: MutantOutcome
            do {
                let folder = try write(reference: reference, mutant: mutant, into: cases)
                outcome = MutantOutcome(results: try grade(folder: folder, exercise: fastestFirst, workCopy: workCopy, stopAtLoss: true).results)
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
    /// folder `into/submitted/<E>/`; returns `into/submitted`.
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

    /// Grades the exercise in `folder` (a submission) part by part, as `SubmissionGrader` does,
    /// stopping after the first lost part when `stopAtLoss`; returns the results and each part's seconds.
    func grade(folder: URL, exercise: GradingManifest.Exercise, workCopy: WorkCopy, stopAtLoss: Bool) throws -> (results: [PartResult], seconds: [Double]) {
        let temporary = try Shell.privateFolder(prefix: "grader-mutant")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let submission = try Submission.read(folder, known: grader.manifest.exercises.map(\.name),
                                             into: temporary.appendingPathComponent("submission"), scratch: temporary)
        let scratch = workspace.appendingPathComponent("build")
        try workCopy.install(exercise: exercise.name, from: submission.exerciseFolder(exercise.name))
        try? FileManager.default.removeItem(at: scratch.appendingPathComponent("debug/\(exercise.name)Probes"))
        let build = try workCopy.buildProbes(of: exercise.name, scratch: scratch, seconds: grader.limits.buildSeconds)
        var results: [PartResult] = [], seconds: [Double] = []
        var budget = Double(grader.limits.testSeconds)
        for part in exercise.parts {
            var limits = grader.limits
            limits.testSeconds = max(0, Int(budget))
            let runner = PartRunner(judges: grader.judges, sandbox: grader.sandbox, seed: seed, limits: limits,
                                    privatePaths: [workCopy.root.path, submission.folder.path, workspace.path])
            var single = exercise
            single.parts = [part]
            let started = Date()
            results += try runner.grade(single, probes: build.program, buildProblem: build.errors,
                                        assessment: submission.assessmentFolder(exercise.name))
            seconds.append(Date().timeIntervalSince(started))
            budget -= seconds[seconds.count - 1]
            if stopAtLoss && results[results.count - 1].status != .passed { break }
        }
        return (results, seconds)
    }
}
