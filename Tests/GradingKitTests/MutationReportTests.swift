import Foundation
import GradingKit
import Testing

/// The ten mutants of a small file.
private let sampleMutants: [Mutant] = MutantGenerator.mutants(
    of: "func f(a: Double, b: Double) -> Double {\n    let c = a + b\n    let d = c * 2\n    return d > 1 ? d : 0\n}\n",
    file: "F.swift", exercise: "E")

/// A part of exercise E.
private func part(_ id: String) -> GradingManifest.Part { .init(id: id, points: 1, section: "Part \(id)", summary: id) }

@Test func anOutcomeSaysHowTheMutantWasKilled() {
    let failed = PartResult(exercise: "E", part: part("b"), status: .failed)
    let crashed = PartResult(exercise: "E", part: part("a"), status: .didNotFinish, problem: "Your code ended the program before it could report its results.")
    let stopped = PartResult(exercise: "E", part: part("a"), status: .didNotFinish, problem: "Your code was stopped after 60 s without finishing.")
    let passed = PartResult(exercise: "E", part: part("a"), status: .passed)
    #expect(MutantOutcome(results: [passed, PartResult(exercise: "E", part: part("b"), status: .passed)]) == .survived)
    #expect(MutantOutcome(results: [crashed, failed]) == .killed(.failedCheck, part: "b"), "a failed check is the ordinary kill")
    #expect(MutantOutcome(results: [passed, crashed]) == .killed(.crash, part: "a"))
    #expect(MutantOutcome(results: [stopped]) == .killed(.timeOut, part: "a"))
    #expect(MutantOutcome(results: [PartResult(exercise: "E", part: part("a"), status: .notRun)]) == .killed(.timeOut, part: "a"))
    #expect(MutantOutcome(results: [PartResult(exercise: "E", part: part("a"), status: .compileError)]) == .didNotCompile)
}

@Test func theReportCountsKilledSurvivedEquivalentAndNotCompilingMutants() throws {
    #expect(sampleMutants.count >= 6)
    let outcomes: [MutantOutcome] = [.killed(.failedCheck, part: "a"), .didNotCompile, .killed(.crash, part: "b"),
                                      .killed(.timeOut, part: "b"), .survived, .survived] + Array(repeating: .killed(.failedCheck, part: "a"), count: sampleMutants.count - 6)
    let results = zip(sampleMutants, outcomes).map { MutantResult(mutant: $0, outcome: $1, seconds: 3) }
    let equivalent = results[5].mutant, survivor = results[4].mutant
    let marks = EquivalentMutants(reasons: [equivalent.id: "The value is never used.", results[0].mutant.id: "Wrongly marked."])
    let run = ExerciseMutationRun(exercise: "E", referenceSeconds: 1, results: results, generated: sampleMutants.map(\.id) + ["000000000000"])
    let report = MutationReport(runs: [run], equivalents: ["E": marks], seed: 7, minimumScore: 0.95)
    let summary = report.summary(run)
    #expect(summary.graded == sampleMutants.count && summary.generated == sampleMutants.count + 1)
    #expect(summary.killed == [.failedCheck: sampleMutants.count - 5, .crash: 1, .timeOut: 1])
    #expect(summary.survived == 1 && summary.equivalent == 1 && summary.notCompiling == 1)
    #expect(summary.score == Double(sampleMutants.count - 3) / Double(sampleMutants.count - 2),
            "the equivalent mutant and the one that does not compile are left out")
    #expect(report.survivors(run).map(\.mutant) == [survivor])
    // One unexplained survivor fails the run, and so does the score, below 95%.
    #expect(report.problems.count == 2 && report.problems.contains { $0.contains(survivor.id) && $0.contains("not marked equivalent") })
    #expect(report.notes.count == 1 && report.notes[0].contains("marked equivalent but was killed"))

    let markdown = report.markdown()
    #expect(markdown.contains("| E | \(sampleMutants.count + 1) | \(sampleMutants.count) | 1 | \(sampleMutants.count - 3) | \(sampleMutants.count - 5) | 1 | 1 | 1 | 1 | "))
    #expect(markdown.contains("- E/F.swift:\(survivor.line), `\(survivor.id)`"))
    #expect(markdown.contains("  - reference: `\(survivor.original)`") && markdown.contains("  - mutant: `\(survivor.mutated)`"))
    #expect(markdown.contains("  - why it is equivalent: The value is never used."))
    #expect(!markdown.contains("2026") && !markdown.contains(" s)"), "no date or time in the Markdown")

    let rows = report.csv().split(separator: "\n")
    #expect(rows.count == sampleMutants.count + 1)
    #expect(rows.contains { $0.hasPrefix("E,\(equivalent.id),F.swift,") && $0.contains(",equivalent,") && $0.hasSuffix("The value is never used.") })
    #expect(rows.contains { $0.hasPrefix("E,\(results[2].mutant.id),") && $0.contains(",killed,crash,b,3,") })
    #expect(rows.contains { $0.hasPrefix("E,\(results[1].mutant.id),") && $0.contains(",not compiling,,,3,") })
}

@Test func aReportWithEveryMutantKilledOrExplainedPasses() {
    let results = sampleMutants.enumerated().map { index, mutant in
        MutantResult(mutant: mutant, outcome: index == 0 ? .survived : .killed(.failedCheck, part: "a"), seconds: 1)
    }
    let marks = EquivalentMutants(reasons: [sampleMutants[0].id: "Equivalent."])
    let report = MutationReport(runs: [ExerciseMutationRun(exercise: "E", referenceSeconds: 1, results: results)], equivalents: ["E": marks],
                                seed: 1, samples: ["E": 3], minimumScore: 0.95)
    #expect(report.problems.isEmpty && report.notes.isEmpty)
    #expect(report.summary(report.runs[0]).score == 1)
    #expect(report.markdown().contains("None: every mutant was killed or is marked equivalent."))
    #expect(report.markdown().contains("a fixed sample for E (`--sample E=3`)"))
}

@Test func equivalentMarksNeedAnIdAndAReason() throws {
    let marks = try EquivalentMutants(parsing: "# id reason\n\n3f09c12e4a7b  Multiplying by one changes nothing.\n", file: "e.txt")
    #expect(marks.reasons == ["3f09c12e4a7b": "Multiplying by one changes nothing."])
    #expect(throws: GradingError.invalidManifest("line 1 of e.txt marks mutant 3f09c12e4a7b as equivalent without saying why")) {
        try EquivalentMutants(parsing: "3f09c12e4a7b\n", file: "e.txt")
    }
    #expect(throws: GradingError.self) { try EquivalentMutants(parsing: "GDStep.swift:16 because\n", file: "e.txt") }
    #expect(throws: GradingError.self) { try EquivalentMutants(parsing: "3f09c12e4a7b a\n3f09c12e4a7b b\n", file: "e.txt") }
}

@Test func theSampleIsFixedSpreadOverTheFilesAndSkipsEquivalentMutants() {
    let files = ["A.swift": "func a(x: Double) -> Double {\n    return x * 2 + 1 - x\n}\n",
                 "B.swift": "func b(x: Double) -> Double {\n    return x / 3 - 1\n}\n"]
    let mutants = files.keys.sorted().flatMap { MutantGenerator.mutants(of: files[$0]!, file: $0, exercise: "E") }
    let sample = MutationSample.pick(mutants, count: 4)
    #expect(sample == MutationSample.pick(mutants, count: 4), "the same mutants every time")
    #expect(sample.count == 4 && sample.filter { $0.file == "A.swift" }.count == 2)
    #expect(sample == mutants.filter { sample.contains($0) }, "in text order")
    let skipped = MutationSample.pick(mutants, count: 4, excluding: [sample[0].id])
    #expect(!skipped.contains(sample[0]) && skipped.count == 4)
    #expect(MutationSample.pick(mutants, count: 1000).count == mutants.count)
}

@Test func eachExerciseHasAReportOfItsOwn() {
    let killed = sampleMutants.map { MutantResult(mutant: $0, outcome: .killed(.failedCheck, part: "a"), seconds: 1) }
    let survivor = MutantResult(mutant: sampleMutants[0], outcome: .survived, seconds: 1)
    let runs = [ExerciseMutationRun(exercise: "E", referenceSeconds: 1, results: killed),
                ExerciseMutationRun(exercise: "F", referenceSeconds: 1, results: [survivor] + killed.dropFirst())]
    let report = MutationReport(runs: runs, equivalents: [:], seed: 1, samples: ["F": 4], minimumScore: 0.95)
    #expect(report.markdown().contains("| **all** |"))
    let own = report.only("E")
    #expect(own.runs.map(\.exercise) == ["E"] && own.problems.isEmpty && own.samples.isEmpty)
    #expect(!own.markdown().contains("| F |") && !own.markdown().contains("| **all** |"))
    #expect(report.only("F").problems.contains { $0.contains(sampleMutants[0].id) }, "the survivor is F's, not E's")
    #expect(own.csv().split(separator: "\n").count == sampleMutants.count + 1)
}
