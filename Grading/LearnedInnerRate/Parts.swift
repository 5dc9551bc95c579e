import Autodiff
import GradingRuntime

/// LearnedInnerRate's hidden parts (2 points): `objective`, the value of the unrolled
/// meta-objective on drawn cases, each a drawn case with one argument changed; and `gradient`,
/// `grad` of the student's own objective against its own central differences, so that a wrong
/// value costs only `objective`.
let learnedInnerRateParts = ExerciseParts(
    "LearnedInnerRate", question: "Unrolled SGD with a learned inner step size", parts: [objective, gradient])

/// objective: 𝒥(w, α) = L_val(w_T), w₀ = w, w_t = w_{t−1} − α ∇L_train(w_{t−1}), on seven cases:
/// a drawn one, then the same with T = 0, another T, another α, other network weights, other
/// training points or other validation points, so that ignoring or fixing any of them fails.
let objective = Part(
    "objective", points: 1, section: "Part objective",
    summary: "the validation loss after exactly T unrolled steps with α from the meta-parameters",
    inputs: { random in
        let base = UnrolledCase.draw(&random)
        var otherSteps = random.int(in: 1...4)
        while otherSteps == base.steps { otherSteps = random.int(in: 1...4) }
        let widths = base.widths
        let cases: [(String, UnrolledCase)] = [
            ("a drawn case", base),
            ("T = 0", base.with(steps: 0)),
            ("another T", base.with(steps: otherSteps)),
            ("another α", base.with(rate: UnrolledCase.drawRate(&random, not: [base.rate]))),
            ("other network weights", base.with(meta: UnrolledCase.weights(widths: widths, &random).merging([UnrolledCase.rateName: Tensor([base.rate])]))),
            ("other training points", base.withOtherTrainingPoints(&random)),
            ("other validation points", base.withOtherValidationPoints(&random)),
        ]
        return ["cases": .list(cases.map { label, unrolled in .record(unrolled.record.merging(["label": .text(label)])) })]
    },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases")
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one objective per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (record, report)) in zip(cases, reports).enumerated() {
            let unrolled = try UnrolledCase(record)
            let label = "Case \(index + 1) (\(try record.text("label")))"
            judgement.inputs = unrolled.description
            let value = try report.tensor("objective")
            guard value.scalarCount == 1 else {
                judgement.require(false, "\(label): unrolledObjective should return one number, the validation loss.",
                                  expected: "a tensor of one element", actual: Rendering.tensor(value))
                continue
            }
            // Values of a few tanh layers and T ≤ 4 steps in double precision agree to about 1e-14.
            judgement.close(value.scalars[0], Reference.objective(unrolled.meta, unrolled).scalar, within: 1e-10,
                            "\(label): unrolledObjective should return L_val(w_T) after exactly T steps w_t = w_{t−1} − α ∇L_train(w_{t−1}) "
                                + "on the training points, with α taken from the meta-parameters.")
        }
        return judgement
    })

/// gradient: on three cases (a drawn one with T ≥ 2, the same with another α, another T ≥ 2), `grad` of the student's
/// objective along α and along three random directions in w equals the central difference of
/// the same objective, and the objective moves along each.
let gradient = Part(
    "gradient", points: 1, section: "Part gradient",
    summary: "grad of the objective matches finite differences in α and in w",
    inputs: { random in
        let cases = GradientCase.drawCases(&random)
        return ["cases": .list(cases.map { .record($0.record) })]
    },
    judge: { inputs, observed in
        let cases = try inputs.recordList("cases").map(GradientCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement(inputs: "")
        judgement.require(reports.count == cases.count, "The probe should report one gradient per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (gradientCase, report)) in zip(cases, reports).enumerated() {
            gradientCase.judge(report, label: "Case \(index + 1) (\(gradientCase.label))", into: &judgement)
        }
        return judgement
    })

/// Records combined, for adding a label to a case.
extension Record {
    /// This record with the values of `other` added (replacing any of the same name).
    func merging(_ other: Record) -> Record { Record(values.merging(other.values) { _, new in new }) }
}
