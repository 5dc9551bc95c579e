import Autodiff
import GradingRuntime

/// ReptileAndANIL's hidden parts (3 points): `serial`, `batched` and `anil`. The probe hands the
/// student's functions an inner loop built on its own gradient step, so a mistake in `gdStep`
/// costs nothing here, and records where each task's cost was first evaluated.
let reptileAndANILParts = ExerciseParts("ReptileAndANIL", question: "Reptile (serial and batched) and ANIL", parts: [serial, batched, anil])

/// serial: φ + ε (U^k(φ) − φ) on quadratic tasks, for a drawn case and copies changing φ, k, α, ε
/// or the task alone.
let serial = Part(
    "serial", points: 1, section: "Part serial", summary: "φ + ε(φ̃ − φ) after k inner steps",
    inputs: { random in ["cases": .list(ReptileCase.serialCases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        try judgeReptile(inputs, observed, function: "reptileStep", outerName: "ε",
                         update: "φ + ε (U^k(φ) − φ), a step towards the adapted parameters")
    })

/// batched: φ + β (1/n) Σᵢ (U^k_i(φ) − φ), every task adapted from φ, for a drawn case and copies
/// changing φ, k, α, β or the tasks alone.
let batched = Part(
    "batched", points: 1, section: "Part batched", summary: "φ + β·mean(W_i − φ), each task adapted from φ",
    inputs: { random in ["cases": .list(ReptileCase.batchedCases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        try judgeReptile(inputs, observed, function: "reptileBatchedStep", outerName: "β",
                         update: "φ + β (1/n) Σᵢ (W_i − φ) with W_i = U^k_i(φ), the mean of the tasks' moves")
    })

/// Decides `serial` or `batched`: the update in closed form, and each task's inner loop starting at φ.
func judgeReptile(_ inputs: Record, _ observed: Record, function: String, outerName: String, update: String) throws -> Judgement {
    let cases = try inputs.recordList("cases").map(ReptileCase.init)
    let reports = try observed.recordList("cases")
    var judgement = Judgement(inputs: "")
    judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                      expected: "\(cases.count)", actual: "\(reports.count)")
    for (index, (reptile, report)) in zip(cases, reports).enumerated() {
        let label = "Case \(index + 1) (\(reptile.label))"
        judgement.inputs = reptile.description(outerName: outerName)
        // U^k in closed form against k steps taken in double precision: about 1e-15 apart.
        judgement.close(try report.parameters("updated"), reptile.expected, within: 1e-10,
                        "\(label): \(function) should return \(update), named and ordered as φ.")
        let starts = try report.list("starts")
        judgement.require(starts.count == reptile.tasks.count, "\(label): the probe should report where each task's inner loop started.",
                          expected: "\(reptile.tasks.count)", actual: "\(starts.count)")
        for (task, start) in starts.enumerated() where task < reptile.tasks.count {
            let which = reptile.tasks.count == 1 ? "the task's" : "task \(task + 1)'s"
            guard case .parameters = start, let point = try? Record(["start": start]).parameters("start") else {
                judgement.require(false, "\(label): \(function) should run the inner loop on \(which) cost.",
                                  expected: "the cost evaluated, first at φ", actual: "the cost never evaluated")
                continue
            }
            judgement.close(point, reptile.start, within: 1e-12,
                            "\(label): \(function) should start \(which) inner loop from φ itself (the first point its cost is evaluated at).")
        }
    }
    return judgement
}

/// anil: only the head moves, by exactly k steps on the support cost with the body as given; the
/// body keeps its values; the names keep θ's order; and the gradient of a query loss through
/// `anilAdapt` is the second-order one. Seven cases: a drawn one and copies changing k, α, θ,
/// the support set or the head's names alone.
let anil = Part(
    "anil", points: 1, section: "Part anil", summary: "only the head adapts, and the meta-gradient is second order",
    inputs: { random in ["cases": .list(ANILCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(ANILCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (anilCase, report)) in zip(cases, reports).enumerated() {
            let label = "Case \(index + 1) (\(anilCase.label))"
            judgement.inputs = anilCase.description
            let adapted = try report.parameters("adapted")
            let body = anilCase.params.names.filter { !anilCase.headNames.contains($0) }
            if adapted.names == anilCase.params.names {
                judgement.close(adapted.selecting(body), anilCase.params.selecting(body), within: 0,
                                "\(label): anilAdapt should leave the body (\(body.joined(separator: ", "))) exactly as it was.")
            }
            // k steps of a small tanh network in double precision: the two computations agree to about 1e-15.
            judgement.close(adapted, anilCase.adapt(anilCase.params), within: 1e-10,
                            "\(label): anilAdapt should return θ with only the head moved, by exactly k steps headₘ = headₘ₋₁ − α ∇_head L(body, headₘ₋₁), "
                                + "names in θ's order.")
            judgement.close(try report.parameters("metaGradient"), anilCase.metaGradient, within: 1e-9,
                            "\(label): grad of the query loss at anilAdapt(θ) should be the second-order meta-gradient, "
                                + "flowing into the body through the head's recorded steps.")
        }
        return judgement
    })
