import ArgumentParser
import Foundation
import GradingKit

/// `grader mutate`: operator mutants of the references graded by the hidden tests; the report
/// says per exercise how many were killed and lists every survivor.
struct Mutate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade operator mutants of the reference solutions with the hidden tests; write mutation.md and mutation.csv.",
        discussion: """
            Each mutant is the reference of one exercise with one small change (an operator, a sign, a bound, a term, a \
            constant, two arguments, a call) in a line the student writes, graded as a submission is. It is killed when it \
            loses a part; a mutant that does not compile counts apart. The command fails when an exercise scores below \
            --minimum-score or a survivor is not marked in Grading/<E>/Variants/equivalent-mutants.txt.
            """)

    @OptionGroup var course: CourseOptions

    @Option(help: "The seed of the hidden tests' inputs.")
    var seed: UInt64 = 1

    @Option(name: .customLong("exercise"), help: "Mutate only this exercise (repeatable; default: all of them).")
    var exercises: [String] = []

    @Option(help: ArgumentHelp("Grade only N mutants of each exercise (N), or of exercise E (E=N): the same ones every time, spread over its files (repeatable; default: all).",
                               valueName: "N or E=N"))
    var sample: [String] = []

    @Option(help: "Where mutation.md and mutation.csv go, with one folder per exercise holding its own (default <repository>/.build-grader/mutation).")
    var out: String?

    @Option(help: "Folder reused across mutants for the work copy and its build (default <repository>/.build-grader/mutate).")
    var scratchPath: String?

    @Option(help: "The lowest acceptable score of an exercise, in percent.")
    var minimumScore: Double = 95

    @Flag(help: "List the mutants (id, place, change) without grading them.")
    var list = false

    func run() throws {
        guard (0...100).contains(minimumScore) else {
            throw CommandLineProblem("--minimum-score must be a percentage from 0 to 100, got \(formatPoints(minimumScore))")
        }
        let known = try PackageStructure.load(package: course.repositoryURL).gradedExercises
        if let unknown = exercises.first(where: { !known.contains($0) }) { throw GradingError.unknownExercise(unknown, known: known) }
        let selected = known.filter { exercises.isEmpty || exercises.contains($0) }
        let samples = try sampleSizes(known: known).filter { selected.contains($0.key) }
        if list { return try listMutants(of: selected, samples: samples) }

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
            let chosen = samples[exercise].map { MutationSample.pick(all, count: $0, excluding: Set(marks.reasons.keys)) } ?? all
            say("\(exercise): grading \(chosen.count) of \(all.count) mutants.")
            var run = try runner.run(exercise: exercise, mutants: chosen) { result in
                say("  \(result.mutant.id) \(result.mutant.file):\(result.mutant.line) \(result.mutant.change): \(describe(result.outcome)) "
                    + "(\(Int(result.seconds.rounded())) s)")
            }
            run.generated = all.map(\.id)
            runs.append(run)
            say("\(exercise): done in \(Int(Date().timeIntervalSince(begun))) s (the reference's grading \(Int(run.referenceSeconds)) s).")
        }
        let report = MutationReport(runs: runs, equivalents: equivalents, seed: seed, samples: samples, minimumScore: minimumScore / 100)
        let folder = out.map { URL(fileURLWithPath: $0) } ?? course.repositoryURL.appendingPathComponent(".build-grader/mutation")
        for run in runs {
            let own = report.only(run.exercise)
            try ReportFiles.write([("mutation.csv", Data(own.csv().utf8)), ("mutation.md", Data(own.markdown().utf8))],
                                  into: folder.appendingPathComponent(run.exercise))
        }
        try ReportFiles.write([("mutation.csv", Data(report.csv().utf8)), ("mutation.md", Data(report.markdown().utf8))], into: folder)
        for run in runs {
            let summary = report.summary(run)
            let perMutant = run.results.isEmpty ? 0 : run.results.reduce(0) { $0 + $1.seconds } / Double(run.results.count)
            say("\(run.exercise): \(summary.graded) graded, \(summary.notCompiling) not compiling, \(summary.killedCount) killed, "
                + "\(summary.survived) survived, \(summary.equivalent) equivalent, score \(report.percent(summary.score)), "
                + "\(String(format: "%.1f", perMutant)) s per mutant")
        }
        report.notes.forEach { say("Note: \($0)") }
        report.problems.forEach { say("Problem: \($0)") }
        say("\(runs.reduce(0) { $0 + $1.results.count }) mutants graded in \(Int(Date().timeIntervalSince(started))) s; "
            + "report in \(folder.path)/mutation.md.")
        if !report.problems.isEmpty { throw ExitCode.failure }
    }

    /// The sample size of every exercise that has one, from `--sample N` (every exercise) and
    /// `--sample E=N` (exercise E, which wins), checked.
    func sampleSizes(known: [String]) throws -> [String: Int] {
        var sizes: [String: Int] = [:], named: [String: Int] = [:]
        for given in sample {
            let pieces = given.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let count = Int(pieces.last ?? ""), count >= 1, pieces.count == 1 || !pieces[0].isEmpty else {
                throw CommandLineProblem("--sample must be a whole number of mutants, at least 1, or EXERCISE=NUMBER, got \(given)")
            }
            if pieces.count == 2 {
                guard known.contains(pieces[0]) else { throw GradingError.unknownExercise(pieces[0], known: known) }
                named[pieces[0]] = count
            } else {
                for exercise in known { sizes[exercise] = count }
            }
        }
        return sizes.merging(named) { $1 }
    }

    /// Prints every mutant of the exercises (or the sample), without building or grading anything.
    func listMutants(of exercises: [String], samples: [String: Int]) throws {
        for exercise in exercises {
            let all = try MutantGenerator.mutants(of: exercise, repository: course.repositoryURL)
            let marks = try EquivalentMutants.load(exercise: exercise, repository: course.repositoryURL)
            let chosen = samples[exercise].map { MutationSample.pick(all, count: $0, excluding: Set(marks.reasons.keys)) } ?? all
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
        case .didNotCompile: "does not compile"
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
