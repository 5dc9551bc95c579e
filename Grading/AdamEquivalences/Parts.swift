import Autodiff
import GradingRuntime

/// AdamEquivalences' hidden parts (1 + 2 points): `rmsprop` (a) and `momentum` (b). The probe
/// only reports the hyper-parameters the student's functions return; the judge runs Adam with
/// them and the other optimizer itself on a drawn curved problem and compares every iterate.
/// Each part checks a drawn setting and that setting with one hyper-parameter changed at a time,
/// so an answer that ignores or fixes any of them fails.
let adamEquivalencesParts = ExerciseParts("AdamEquivalences", question: "Q2 (a) and (b)", parts: [rmsprop, momentum])

/// rmsprop (a): Adam with the answer visits RMSprop's θ₁ … θ_T to 10⁻⁹.
let rmsprop = Part(
    "rmsprop", points: 1, section: "Part (a)", summary: "Adam hyper-parameters reproducing RMSprop",
    inputs: { random in
        let problem = CurvedProblem.draw(&random)
        // ε_R from 0.01 up, so that it visibly changes the steps (a tiny ε would hide a fixed one).
        let (rate, decay, epsilon) = (random.rounded(0.005, 0.1), random.rounded(0.5, 0.99), random.rounded(0.01, 0.5))
        let settings = [("a drawn setting", rate, decay, epsilon),
                        ("another learning rate α_R", drawnAgain(rate) { random.rounded(0.005, 0.1) }, decay, epsilon),
                        ("another decay γ", rate, drawnAgain(decay) { random.rounded(0.5, 0.99) }, epsilon),
                        ("another damping ε_R", rate, decay, drawnAgain(epsilon) { random.rounded(0.01, 0.5) })]
        return ["problem": .record(problem.record), "cases": .list(settings.map { label, rate, decay, epsilon in
            .record(["label": .text(label), "learningRate": .number(rate), "decay": .number(decay), "epsilon": .number(epsilon)])
        })]
    },
    judge: { inputs, observed in
        let problem = try CurvedProblem(inputs.record("problem"))
        return try judgeCases(inputs, observed) { judgement, index, setting, answer in
            let (rate, decay, epsilon) = (try setting.number("learningRate"), try setting.number("decay"), try setting.number("epsilon"))
            judgement.inputs = "\(problem.description); RMSprop α_R = \(Rendering.number(rate)), γ = \(Rendering.number(decay)), "
                + "ε_R = \(Rendering.number(epsilon)); \(answer.description)"
            judgement.samePath(problem.adamPath(answer), problem.rmspropPath(learningRate: rate, decay: decay, epsilon: epsilon), within: 1e-9,
                               "Case \(index + 1) (\(try setting.text("label"))): Adam with the hyper-parameters adamEquivalentToRMSprop "
                                   + "returns should visit RMSprop's iterates θ₁ … θ_T, each to 10⁻⁹.")
        }
    })

/// momentum (b): Adam with the answer visits momentum SGD's θ₁ … θ_T to 10⁻⁶.
let momentum = Part(
    "momentum", points: 2, section: "Part (b)", summary: "Adam hyper-parameters reproducing momentum SGD",
    inputs: { random in
        let problem = CurvedProblem.draw(&random)
        let (rate, momentum) = (random.rounded(0.01, 0.1), random.rounded(0.5, 0.95))
        let settings = [("a drawn setting", rate, momentum),
                        ("another learning rate α_S", drawnAgain(rate) { random.rounded(0.01, 0.1) }, momentum),
                        ("another momentum μ", rate, drawnAgain(momentum) { random.rounded(0.5, 0.95) })]
        return ["problem": .record(problem.record), "cases": .list(settings.map { label, rate, momentum in
            .record(["label": .text(label), "learningRate": .number(rate), "momentum": .number(momentum)])
        })]
    },
    judge: { inputs, observed in
        let problem = try CurvedProblem(inputs.record("problem"))
        return try judgeCases(inputs, observed) { judgement, index, setting, answer in
            let (rate, momentum) = (try setting.number("learningRate"), try setting.number("momentum"))
            judgement.inputs = "\(problem.description); momentum SGD α_S = \(Rendering.number(rate)), μ = \(Rendering.number(momentum)); "
                + answer.description
            judgement.samePath(problem.adamPath(answer), problem.momentumPath(learningRate: rate, momentum: momentum), within: 1e-6,
                               "Case \(index + 1) (\(try setting.text("label"))): Adam with the hyper-parameters adamApproximatingMomentum "
                                   + "returns should visit momentum SGD's iterates θ₁ … θ_T, each to 10⁻⁶.")
        }
    })

/// Reads the settings and the answers the probe reported, one per setting, and runs `check` on each.
func judgeCases(_ inputs: Record, _ observed: Record, _ check: (inout Judgement, Int, Record, AdamSettings) throws -> Void) throws -> Judgement {
    let settings = try inputs.recordList("cases")
    let answers = try observed.recordList("answers")
    var judgement = Judgement(inputs: "")
    judgement.require(answers.count == settings.count, "The probe should report one answer per setting.",
                      expected: "\(settings.count)", actual: "\(answers.count)")
    for (index, (setting, answer)) in zip(settings, answers).enumerated() {
        try check(&judgement, index, setting, try AdamSettings(answer))
    }
    return judgement
}
