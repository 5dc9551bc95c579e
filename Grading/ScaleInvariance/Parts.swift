import Autodiff
import GradingRuntime

/// ScaleInvariance's hidden parts (2 points): `update` (Adam.step against the handout's recursion)
/// and `demonstration` (largestIterateGap against the largest gap of the two runs, which the probe
/// replays with the student's own Adam.step, so a mistake in Adam costs only part update).
let scaleInvarianceParts = ExerciseParts("ScaleInvariance", question: "Q2 (c)", parts: [update, demonstration])

/// update: every iterate θ₁ … θ_T of successive `Adam.step` calls, for each case of `UpdateCase.cases`.
let update = Part(
    "update", points: 1, section: "Part update", summary: "the Adam update as the handout writes it",
    inputs: { random in ["cases": .list(UpdateCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(UpdateCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (adamCase, report)) in zip(cases, reports).enumerated() {
            judgement.inputs = adamCase.description
            let iterates = try report.parameterList("iterates")
            let expected = adamCase.expectedIterates
            judgement.require(iterates.count == expected.count, "Case \(index + 1) (\(adamCase.label)): the probe should see one iterate per call.",
                              expected: "\(expected.count)", actual: "\(iterates.count)")
            for (t, (got, want)) in zip(iterates, expected).enumerated() {
                judgement.close(got, want, within: 1e-10,
                                "Case \(index + 1) (\(adamCase.label)), step \(t + 1): Adam.step should return θₜ = θₜ₋₁ − α mₜ / (√vₜ + ε), "
                                    + "with m and v carried in the state from the earlier calls and no bias correction.")
            }
        }
        return judgement
    })

/// demonstration: largestIterateGap is the largest |θₜ,ᵢ − θ̃ₜ,ᵢ| over every t = 1 … T and every
/// coordinate i of the runs on J and on C·J, as the probe's replay with the same Adam gives them
/// (with ε = 0, where the runs differ by rounding only, any gap of the replay's order).
let demonstration = Part(
    "demonstration", points: 1, section: "Part demonstration", summary: "the iterate gap under loss scaling, zero up to rounding when ε = 0",
    inputs: { random in ["cases": .list(GapCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(GapCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (gapCase, report)) in zip(cases, reports).enumerated() {
            let original = try report.parameterList("original").map(flat), scaled = try report.parameterList("scaled").map(flat)
            // The gap of each step of the replay, then the largest over the whole run.
            let gaps = zip(original, scaled).map { pair in zip(pair.0, pair.1).map { abs($0 - $1) }.max() ?? 0 }
            let largest = gaps.max() ?? 0
            let peak = gaps.firstIndex(of: largest).map { "at step \($0 + 1) of \(gaps.count); the last step's gap is \(Rendering.number(gaps.last!))" }
            judgement.inputs = gapCase.description + "; your Adam.step, run by the grader on J and on C·J, gives the largest gap "
                + "\(Rendering.number(largest)) \(peak ?? "(no steps)")"
            judgement.require(original.count == gapCase.steps && scaled.count == gapCase.steps,
                              "Case \(index + 1) (\(gapCase.label)): replaying your Adam.step should give T iterates of each run.",
                              expected: "\(gapCase.steps) and \(gapCase.steps)", actual: "\(original.count) and \(scaled.count)")
            let gap = try report.number("gap")
            let statement = "Case \(index + 1) (\(gapCase.label)): largestIterateGap should return the largest |θₜ,ᵢ − θ̃ₜ,ᵢ| over every "
                + "iterate t = 1 … T and coordinate i of Adam on the loss and on C times the loss, from the same start."
            if gapCase.adam.epsilon == 0 {
                // With ε = 0 the two runs agree in exact arithmetic: the gap is rounding, and its size depends on how the
                // scaled run's gradient is formed (∇(C·J) or C·∇J, both right) and grows over the T steps. Any gap of
                // that size is the right answer; the cases with ε > 0 decide whether the gap is measured correctly.
                let roundingLevel = max(1e-6, 10 * largest)
                judgement.require(gap.isFinite && gap >= 0 && gap <= roundingLevel, statement + " With ε = 0 that gap is rounding only.",
                                  expected: "at most \(Rendering.number(roundingLevel))", actual: Rendering.number(gap))
            } else {
                judgement.close(gap, largest, within: 1e-9, statement)
            }
        }
        return judgement
    })
