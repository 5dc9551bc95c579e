import Autodiff
import GradingRuntime

/// MetaObjective's hidden parts (2 points): `value` and `metaGradient`. Both check the eight
/// cases of `InnerCase.cases` (a drawn quadratic cost, start, K and η, then each changed alone,
/// and another injected step), against closed forms. The probe injects a correct step of its own,
/// so a mistake in GDStep costs nothing here, and records the step size every call received.
let metaObjectiveParts = ExerciseParts("MetaObjective", question: "Q1, the MAML objective", parts: [value, metaGradient])

/// value: meta(θ) = cost(θ_K) with exactly K steps of the injected step, each given η.
let value = Part(
    "value", points: 1, section: "Part value", summary: "the inner cost after exactly numSteps steps",
    inputs: { random in ["cases": .list(InnerCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        try judgeCases(inputs, observed) { judgement, index, inner, report in
            let value = try report.tensor("value")
            judgement.close(value.scalars, [inner.expectedValue], within: 1e-10,
                            "Case \(index + 1) (\(inner.name)): MetaObjective(innerCost:numSteps:stepSize:step:) at θ should return "
                                + "innerCost(θ_K), the cost after exactly K = \(inner.numSteps) calls of the injected step, as one number.")
        }
    })

/// metaGradient: grad of meta at θ is c (1 − η d c)^{2K} (θ − t), which needs every inner step
/// kept in the graph (second order).
let metaGradient = Part(
    "metaGradient", points: 1, section: "Part metaGradient", summary: "grad of the objective is the second-order meta-gradient",
    inputs: { random in ["cases": .list(InnerCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        try judgeCases(inputs, observed) { judgement, index, inner, report in
            judgement.close(try report.parameters("gradient"), inner.expectedGradient, within: 1e-9,
                            "Case \(index + 1) (\(inner.name)): grad of the MetaObjective at θ should be the second-order "
                                + "meta-gradient c (1 − η d c)^{2K} (θ − t), with every inner step kept in the graph (nothing detached).")
        }
    })

/// Reads the cases and the probe's reports, checks that every call of the injected step received
/// η, and runs `check` on each case.
func judgeCases(
    _ inputs: Record, _ observed: Record,
    _ check: (inout Judgement, Int, InnerCase, Record) throws -> Void
) throws -> Judgement {
    let cases = try inputs.recordList("cases").map(InnerCase.init)
    let reports = try observed.recordList("cases")
    var judgement = Judgement(inputs: "")
    judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                      expected: "\(cases.count)", actual: "\(reports.count)")
    for (index, (inner, report)) in zip(cases, reports).enumerated() {
        judgement.inputs = inner.description
        let received = try report.numbers("stepSizes")
        judgement.require(received.allSatisfy { $0 == inner.stepSize },
                          "Case \(index + 1) (\(inner.name)): every call of the injected step should receive the MetaObjective's stepSize η.",
                          expected: "η = \(Rendering.number(inner.stepSize)) in every call", actual: "step sizes \(Rendering.numbers(received))")
        try check(&judgement, index, inner, report)
    }
    return judgement
}
