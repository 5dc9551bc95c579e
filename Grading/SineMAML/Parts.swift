import Autodiff
import GradingRuntime

/// SineMAML's hidden parts (2 points): `adaptation` and `batched`. The probe reports the value
/// and the `grad` of the student's loss at θ; the judge computes both with its own one-task
/// reference (`Reference`), never with the student's other function.
let sineMAMLParts = ExerciseParts("SineMAML", question: "Sine-wave MAML, one-step adaptation", parts: [adaptation, batched])

/// adaptation: ℓ(θ) = L_Q(θ − α ∇L_S(θ)) and its second-order gradient, for a drawn case and
/// that case with θ, the support set, the query set or α changed alone.
let adaptation = Part(
    "adaptation", points: 1, section: "Part adaptation", summary: "the query loss after one support step, with its second-order meta-gradient",
    inputs: { random in
        let (params, stepSize) = (drawNetwork(&random), drawStepSize(&random))
        let task = SineTask.draw(supportSize: random.int(in: 4...10), querySize: random.int(in: 4...10), &random)
        let other = SineTask.draw(supportSize: random.int(in: 4...10), querySize: random.int(in: 4...10), &random)
        let cases: [(String, Parameters, SineTask, Double)] = [
            ("a drawn case", params, task, stepSize),
            ("another θ", drawNetwork(&random), task, stepSize),
            ("another support set", params, SineTask(amplitude: other.amplitude, phase: other.phase, support: other.support, query: task.query), stepSize),
            ("another query set", params, SineTask(amplitude: other.amplitude, phase: other.phase, support: task.support, query: other.query), stepSize),
            ("another step size α", params, task, drawnAgain(stepSize) { drawStepSize(&random) }),
        ]
        return ["cases": .list(cases.map { label, params, task, stepSize in
            .record(["label": .text(label), "params": .of(params), "task": .record(task.record), "stepSize": .number(stepSize)])
        })]
    },
    judge: { inputs, observed in
        try judgeCases(inputs, observed, function: "adaptationLoss") { record in
            let (params, task, stepSize) = (try record.parameters("params"), try SineTask(record.record("task")), try record.number("stepSize"))
            return ("\(describe(params)); \(task.description); α = \(Rendering.number(stepSize))",
                    Reference.meanLoss(params, [task], stepSize), "L_Q(θ − α ∇L_S(θ))")
        }
    })

/// batched: the mean of ℓ_t over a batch and its gradient, for T = 1, a drawn T from 3 to 5, and
/// that batch with α, the tasks or θ changed alone.
let batched = Part(
    "batched", points: 1, section: "Part batched", summary: "the vectorized loss over a task axis equals the mean of the per-task losses",
    inputs: { random in
        let (params, stepSize) = (drawNetwork(&random), drawStepSize(&random))
        let (supportSize, querySize, count) = (random.int(in: 4...8), random.int(in: 4...8), random.int(in: 3...5))
        let batch = { (count: Int, random: inout SeededGenerator) in
            (0..<count).map { _ in SineTask.draw(supportSize: supportSize, querySize: querySize, &random) }
        }
        let tasks = batch(count, &random)
        let cases: [(String, Parameters, [SineTask], Double)] = [
            ("T = 1", params, batch(1, &random), stepSize),
            ("T = \(count), a drawn batch", params, tasks, stepSize),
            ("T = \(count), another step size α", params, tasks, drawnAgain(stepSize) { drawStepSize(&random) }),
            ("T = \(count), other tasks", params, batch(count, &random), stepSize),
            ("T = \(count), another θ", drawNetwork(&random), tasks, stepSize),
        ]
        return ["cases": .list(cases.map { label, params, tasks, stepSize in
            .record(["label": .text(label), "params": .of(params), "tasks": .list(tasks.map { .record($0.record) }), "stepSize": .number(stepSize)])
        })]
    },
    judge: { inputs, observed in
        try judgeCases(inputs, observed, function: "batchedAdaptationLoss") { record in
            let (params, tasks, stepSize) = (try record.parameters("params"), try record.recordList("tasks").map(SineTask.init), try record.number("stepSize"))
            let listed = tasks.enumerated().map { "task \($0.offset + 1): \($0.element.description)" }.joined(separator: "; ")
            return ("\(describe(params)); \(listed); α = \(Rendering.number(stepSize))", Reference.meanLoss(params, tasks, stepSize),
                    "(1/T) Σ_t L_Q,t(θ − α ∇L_S,t(θ)), each task stepping with its own gradient")
        }
    })

/// Checks each case's reported value and gradient against `expected`, which returns the case in
/// words, the reference value and gradient, and the formula in words.
func judgeCases(_ inputs: Record, _ observed: Record, function: String,
                _ expected: (Record) throws -> (String, (value: Double, gradient: Parameters), String)) throws -> Judgement {
    let cases = try inputs.recordList("cases"), reports = try observed.recordList("cases")
    var judgement = Judgement(inputs: "")
    judgement.require(reports.count == cases.count, "The probe should report one result per case.",
                      expected: "\(cases.count)", actual: "\(reports.count)")
    for (index, (record, report)) in zip(cases, reports).enumerated() {
        let (words, reference, formula) = try expected(record)
        let name = "Case \(index + 1) (\(try record.text("label")))"
        judgement.inputs = words
        judgement.close(try report.tensor("value").scalars, [reference.value], within: 1e-9,
                        "\(name): \(function) should return \(formula), as one number.")
        judgement.close(try report.parameters("gradient"), reference.gradient, within: 1e-9,
                        "\(name): grad of \(function) should be the second-order meta-gradient of \(formula), the inner gradient kept in the graph.")
    }
    return judgement
}
