import Autodiff
import GradingRuntime

/// rates: `initialInnerRates` gives one scalar per model parameter and step, named
/// `inner.lr.<n>.<k>`, equal to the rate, in its parameter's dtype; `adapt` gives the whole
/// trajectory φ⁰ … φᴷ, each parameter stepping with its own rate of that step; and the gradient of
/// the query loss of φᴷ reaches θ and every rate, exactly at second order, and the rates still at
/// first order (inner gradients held constant).
let rates = Part(
    "rates", points: 3, section: "Part rates",
    summary: "learned inner rates, one per parameter and step, used by a differentiable inner loop",
    inputs: { random in RatesInputs.draw(&random).record },
    judge: { inputs, observed in
        let cases = try RatesInputs(inputs)
        var judgement = Judgement(inputs: "")
        let initial = try observed.list("initial")
        judgement.require(initial.count == cases.initial.count, "The probe should report the rates of every initialInnerRates case.",
                          expected: "\(cases.initial.count)", actual: "\(initial.count)")
        for (index, (initialCase, value)) in zip(cases.initial, initial).enumerated() {
            judgeInitialRates(initialCase, try Record(["rates": value]).parameters("rates"), label: "Initial rates, case \(index + 1) (\(initialCase.label))",
                              into: &judgement)
        }
        let trajectories = try observed.list("adapt")
        judgement.require(trajectories.count == cases.adapt.count, "The probe should report a trajectory for every adapt case.",
                          expected: "\(cases.adapt.count)", actual: "\(trajectories.count)")
        for (index, (adaptCase, value)) in zip(cases.adapt, trajectories).enumerated() {
            judgeTrajectory(adaptCase, try Record(["trajectory": value]).parameterList("trajectory"),
                            label: "Trajectory, case \(index + 1) (\(adaptCase.label))", into: &judgement)
        }
        let gradients = try observed.recordList("gradient")
        judgement.require(gradients.count == cases.gradient.count, "The probe should report the outer gradients of every case.",
                          expected: "\(cases.gradient.count)", actual: "\(gradients.count)")
        for (index, (adaptCase, report)) in zip(cases.gradient, gradients).enumerated() {
            let label = "Outer-gradient case \(index + 1) (\(adaptCase.label))"
            judgement.inputs = adaptCase.description + "; query loss: mean squared error on \(adaptCase.query.description)"
            // Second-order gradients of a few tanh steps in double precision agree to about 1e-14.
            judgement.close(try report.parameters("exact"), adaptCase.exactGradient, within: 1e-9,
                            "\(label): grad of L_query(φᴷ) with φᴷ from adapt should be the exact second-order gradient, reaching θ and every rate.")
            let firstOrder = try report.parameters("firstOrder")
            let rateNames = ratesPart(adaptCase.meta).names
            judgement.close(firstOrder.selecting(rateNames), ratesPart(adaptCase.firstOrderGradient), within: 1e-9,
                            "\(label): inside withFirstOrderGradients, grad of L_query(φᴷ) should still reach every rate α_{n,k} "
                                + "(φᵏ depends on α_{n,k} even when the inner gradient is a constant), with −⟨∂L/∂φᵏₙ, ∇ₙL_sup(φᵏ⁻¹)⟩ for α_{n,k}.")
        }
        return judgement
    })

/// Checks one `initialInnerRates` result: the names, one element each, the value and the dtype.
func judgeInitialRates(_ initialCase: InitialRatesCase, _ reported: Parameters, label: String, into judgement: inout Judgement) {
    judgement.inputs = initialCase.description
    let expected = initialCase.expectedNames
    judgement.require(Set(reported.names) == Set(expected) && reported.count == expected.count,
                      "\(label): initialInnerRates should make exactly one rate inner.lr.<n>.<k> for every model parameter n and step k = 1 … K.",
                      expected: "\(expected)", actual: "\(reported.names)")
    for name in initialCase.model.names {
        let dtype = initialCase.model.require(name).dtype
        // A single-precision rate holds the nearest Float to the rate, exactly.
        let value = dtype == .float32 ? Double(Float(initialCase.rate)) : initialCase.rate
        let found = reported.filter { $0.0.hasPrefix("inner.lr.\(name).") }
        guard let wrong = found.first(where: { $0.1.scalarCount != 1 || $0.1.scalars[0] != value }) else { continue }
        judgement.require(false, "\(label): every rate of \(name) should be one number equal to the rate given.",
                          expected: Rendering.number(value), actual: "\(wrong.0) = \(Rendering.tensor(wrong.1))")
    }
    for name in initialCase.model.names {
        let dtype = initialCase.model.require(name).dtype
        guard let wrong = reported.first(where: { $0.0.hasPrefix("inner.lr.\(name).") && $0.1.dtype != dtype }) else { continue }
        judgement.require(false, "\(label): the rates of \(name) should have its dtype, so they combine with it in the inner steps.",
                          expected: "\(dtype)", actual: "\(wrong.0): \(wrong.1.dtype)")
    }
}

/// Checks one `adapt` trajectory: K + 1 sets, φ⁰ = θ, then each step against the judge's, up to
/// the first that differs (the later ones follow from it).
func judgeTrajectory(_ adaptCase: AdaptCase, _ reported: [Parameters], label: String, into judgement: inout Judgement) {
    judgement.inputs = adaptCase.description
    let expected = adaptCase.trajectory
    judgement.require(reported.count == expected.count, "\(label): adapt should return the K + 1 parameter sets φ⁰, φ¹, …, φᴷ.",
                      expected: "\(expected.count)", actual: "\(reported.count)")
    for (step, (got, want)) in zip(reported, expected).enumerated() {
        let failures = judgement.failures.count
        // A few tanh steps in double precision: the two computations agree to about 1e-15.
        judgement.close(got, want, within: 1e-10, step == 0
                        ? "\(label), φ⁰: adapt should start the trajectory at θ, the model part of Θ without the rates."
                        : "\(label), step \(step): adapt should give φ\(step) = φ\(step - 1) − α_{n,\(step)} ∇ₙ L_sup(φ\(step - 1)) "
                            + "for every parameter n, each with its own rate of step \(step), named like θ.")
        if judgement.failures.count > failures { break }
    }
}
