import Autodiff
import GradingRuntime

/// GDStep's hidden parts (2 points): `update` and `differentiable`. Each is checked on four
/// cases: a drawn quadratic cost and start, then the same with the start, the step size or the
/// cost changed alone, so a step that ignores any of its arguments fails.
let gdStepParts = ExerciseParts("GDStep", question: "Q1, gradient-descent step", parts: [update, differentiable])

/// update: θ' = θ − η ∇cost(θ) exactly, per named tensor, and the input left as it was.
let update = Part(
    "update", points: 1, section: "Part update", summary: "one step θ − η∇cost(θ), new parameters, input untouched",
    inputs: { random in ["cases": .list(QuadraticCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(QuadraticCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (quadratic, report)) in zip(cases, reports).enumerated() {
            let label = "Case \(index + 1) (\(["a drawn start", "another start", "another step size", "another cost"][index]))"
            judgement.inputs = quadratic.description
            // a' = a − η c ⊙ a, b' = b − η d.
            let a = quadratic.start.require("a"), b = quadratic.start.require("b")
            let expected: Parameters = ["a": a - quadratic.stepSize * (quadratic.curvature * a),
                                        "b": b - quadratic.stepSize * quadratic.slope]
            judgement.close(try report.parameters("next"), expected, within: 1e-10,
                            "\(label): gdStep should return θ − η ∇cost(θ), the tensors named and ordered as in θ.")
            judgement.close(try report.parameters("inputAfter"), quadratic.start, within: 0,
                            "\(label): gdStep should leave the parameters it was given unchanged.")
        }
        return judgement
    })

/// differentiable: an outer `grad` sees through the step. With a' = (1 − η c) a, the outer
/// cost ½ Σ c a'² + Σ d b' has d/da = c (1 − η c)² a and d/db = d.
let differentiable = Part(
    "differentiable", points: 1, section: "Part differentiable", summary: "an outer grad differentiates through the step (second order)",
    inputs: { random in ["cases": .list(QuadraticCase.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(QuadraticCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (quadratic, report)) in zip(cases, reports).enumerated() {
            let label = "Case \(index + 1)"
            judgement.inputs = quadratic.description
            let a = quadratic.start.require("a"), c = quadratic.curvature
            let shrink = 1 - quadratic.stepSize * c
            let expected: Parameters = ["a": c * shrink * shrink * a, "b": quadratic.slope]
            judgement.close(try report.parameters("outerGradient"), expected, within: 1e-9,
                            "\(label): grad of θ ↦ cost(gdStep(cost, θ, η)) should be the second-order derivative through the step, "
                                + "c (1 − η c)² a for a (the gradient inside the step must be recorded, not detached).")
        }
        return judgement
    })
