import ArgumentParser
import Foundation
import GradingKit

/// `grader mutate`: operator mutants of the references graded by the hidden tests; the report
/// says per exercise how many were killed and lists every survivor.
struct Mutate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade operator mutants of the reference solutions with the hidden tests; write mutation.md and mutation.csv.")

    @OptionGroup var course: CourseOptions

    @Option(help: "The seed of the hidden tests' inputs.")
    var seed: UInt64 = 1

    @Option(name: .customLong("exercise"), help: "Mutate only this exercise (repeatable; default: all of them).")
    var exercises: [String] = []

    @Option(help: "Grade only this many mutants per exercise, the same ones every time, spread over its files (default: all).")
    var sample: String?

    @Option(help: "Where mutation.md and mutation.csv go (default <repository>/.build-grader/mutation).")
    var out: String?

    @Option(help: "Folder reused across mutants for the work copy and its build (default <repository>/.build-grader/mutate).")
    var scratchPath: String?

    @Option(help: "The lowest acceptable score of an exercise, in percent.")
    var minimumScore: Double = 95

    @Flag(help: "List the mutants (id, place, change) without grading them.")
    var list = false

    func run() throws {
        let sampleSize = try checkedSample()
        guard (0...100).contains(minimumScore) else {
            throw CommandLineProblem("--minimum-score must be a percentage from 0 to 100, got \(formatPoints(minimumScore))")
        }
        let known = try PackageStructure.load(package: course.repositoryURL).gradedExercises
        if let unknown = exercises.first(where: { !known.contains($0) }) { throw GradingError.unknownExercise(unknown, known: known) }
        let selected = known.filter { exercises.isEmpty || exercises.contains($0) }
        if list { return try listMutants(of: selected, sample: sampleSize) }

        let started = Date()
        let grader = try course.grader(config: try course.courseConfig())
        try grader.manifest.checkDataFolders(for: selected)
        let workspace = scratchPath.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader/mutate")
        let runner = MutationRunner(grader: grader, workspace: workspace, seed: seed)
        say("Inputs drawn with seed \(seed).")
        var runs: [ExerciseMutationRun] = []
        var equivalents: [String: EquivalentMutants] = [:]
        for exercise in selected {
            let begun = Date()
            let marks = try EquivalentMutants.load(exercise: exercise, repository: course.repositoryURL)
            equivalents[exercise] = marks
            let all = try runner.mutants(of: exercise)
            let chosen = sampleSize.map { MutationSample.pick(all, count: $0, excluding: Set(marks.reasons.keys)) } ?? all
            say("\(exercise): grading \(chosen.count) of \(all.count) mutants.")
            var run = try runner.run(exercise: exercise, mutants: chosen) { result in
                say("  \(result.mutant.id) \(result.mutant.file):\(result.mutant.line) \(result.mutant.change): \(describe(result.outcome)) "
                    + "(\(Int(result.seconds.rounded())) s)")
            }
            run.generated = all.map(\.id)
            runs.append(run)
            say("\(exercise): done in \(Int(Date().timeIntervalSince(begun))) s (the reference's grading \(Int(run.referenceSeconds)) s).")
        }
        let report = MutationReport(runs: runs, equivalents: equivalents, seed: seed, sample: sampleSize, minimumScore: minimumScore / 100)
        let folder = out.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader/mutation")
        try ReportFiles.write([("mutation.csv", Data(report.csv().utf8)), ("mutation.md", Data(report.markdown().utf8))], into: folder)
        for run in runs {
            let summary = report.summary(run)
            say("\(run.exercise): \(summary.graded) graded, \(summary.killedCount) killed, \(summary.survived) survived, "
                + "\(summary.equivalent) equivalent, score \(report.percent(summary.score))")
        }
        report.notes.forEach { say("Note: \($0)") }
        report.problems.forEach { say("Problem: \($0)") }
        say("\(runs.reduce(0) { $0 + $1.results.count }) mutants graded in \(Int(Date().timeIntervalSince(started))) s; "
            + "report in \(folder.path)/mutation.md.")
        if !report.problems.isEmpty { throw ExitCode.failure }
    }

    /// The sample size given, checked; nil for every mutant.
    func checkedSample() throws -> Int? {
        guard let sample else { return nil }
        guard let count = Int(sample), count >= 1 else {
            throw CommandLineProblem("--sample must be a whole number of mutants per exercise, at least 1, got \(sample)")
        }
        return count
    }

    /// Prints every mutant of the exercises (or the sample), without building or grading anything.
    func listMutants(of exercises: [String], sample: Int?) throws {
        for exercise in exercises {
            let all = try MutantGenerator.mutants(of: exercise, repository: course.repositoryURL)
            let marks = try EquivalentMutants.load(exercise: exercise, repository: course.repositoryURL)
            let chosen = sample.map { MutationSample.pick(all, count: $0, excluding: Set(marks.reasons.keys)) } ?? all
            say("\(exercise): \(chosen.count) of \(all.count) mutants")
            for mutant in chosen {
                let mark = marks.reasons[mutant.id].map { " [equivalent: \($0)]" } ?? ""
                say("  \(mutant.id) \(mutant.file):\(mutant.line) \(mutant.mutation.rawValue): \(mutant.change)\(mark)\n      - \(mutant.original.replacingOccurrences(of: "\n", with: "\n        "))\n      + \(mutant.mutated.replacingOccurrences(of: "\n", with: "\n        "))")
            }
        }
    }

    /// An outcome in a few words.
    func describe(_ outcome: MutantOutcome) -> String {
        switch outcome {
        case .killed(let kill, let part): "killed (\(kill.rawValue), part \(part))"
        case .survived: "SURVIVED"
        case .error(let message): "not graded: \(message)"
        }
    }
}

/// A problem with the command line, said in one sentence.
struct CommandLineProblem: Error, CustomStringConvertible {
    /// The sentence.
    let description: String

    /// A problem described by `description`.
    init(_ description: String) { self.description = description }
}
