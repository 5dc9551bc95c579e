import Autodiff
import GradingRuntime

/// MAMLTraining's hidden part (1 point): `training`. The probe injects a correct inner loop of its
/// own (`adapt`, so mistakes in GDStep or MetaObjective cost nothing here) that notes every call,
/// and hands `trainMAML` a task family that gives out the judge's tasks in order and notes every
/// draw; the judge replays the whole run with its own MAML (`Reference`).
let mamlTrainingParts = ExerciseParts("MAMLTraining", question: "Q1, the MAML training loop", parts: [training])

/// training: single meta steps (a drawn case, then θ, the task, K, η or β changed alone), and two
/// short training runs (the second with another number of iterations) checked at every iteration:
/// the task drawn, the parameters handed to the inner loop, the loss recorded, and the final parameters.
let training = Part(
    "training", points: 1, section: "Part training",
    summary: "one meta step on the support-adapted query cost, and a short training run that learns",
    inputs: { random in
        let steps = drawStepCases(&random), runs = drawRuns(&random)
        return ["steps": .list(steps.map { label, params, task, settings in
            .record(["label": .text(label), "params": .of(params), "task": .record(task.record), "settings": .record(settings.record)])
        }), "runs": .list(runs)]
    },
    judge: { inputs, observed in
        var judgement = Judgement(inputs: "")
        let steps = try inputs.recordList("steps"), reports = try observed.recordList("steps")
        judgement.require(reports.count == steps.count, "The probe should report one result per meta-step case.",
                          expected: "\(steps.count)", actual: "\(reports.count)")
        for (index, (step, report)) in zip(steps, reports).enumerated() {
            try judgeStep(&judgement, name: "Step case \(index + 1) (\(try step.text("label")))", step, report)
        }
        let runs = try inputs.recordList("runs"), runReports = try observed.recordList("runs")
        judgement.require(runReports.count == runs.count, "The probe should report one result per training run.",
                          expected: "\(runs.count)", actual: "\(runReports.count)")
        for (index, (run, report)) in zip(runs, runReports).enumerated() {
            try judgeRun(&judgement, name: "Run \(index + 1)", run, report)
        }
        return judgement
    })

/// The single meta-step cases: a drawn case, then θ, the task, K, η or β changed alone; drawn
/// again until every case's step stays tame (`Reference.isTame`), so that the comparison is of
/// arithmetic, not of rounding blown up by a diverging inner loop.
func drawStepCases(_ random: inout SeededGenerator) -> [(String, Parameters, Task, Settings)] {
    for _ in 0..<1000 {
        let (params, task, settings) = (drawNetwork(&random), Task.draw(&random), Settings.draw(&random))
        var (otherK, otherInner, otherMeta) = (settings, settings, settings)
        otherK.numSteps = drawnAgain(settings.numSteps) { random.int(in: 1...3) }
        otherInner.innerStepSize = drawnAgain(settings.innerStepSize) { Settings.drawInnerStepSize(&random) }
        otherMeta.metaStepSize = drawnAgain(settings.metaStepSize) { Settings.drawMetaStepSize(&random) }
        let moved = params.map { tensor in
            Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 + (random.normal(standardDeviation: 0.3) * 100).rounded() / 100 })
        }
        let cases: [(String, Parameters, Task, Settings)] = [
            ("a drawn case", params, task, settings), ("another θ", moved, task, settings), ("another task", params, Task.draw(&random), settings),
            ("another K", params, task, otherK), ("another η", params, task, otherInner), ("another β", params, task, otherMeta),
        ]
        if cases.allSatisfy({ Reference.isTame(from: $0.1, on: [$0.2], $0.3) }) { return cases }
    }
    fatalError("no tame meta-step cases in 1000 draws")
}

/// Two training runs from one start, seed and pool of tasks: N from 4 to 6 iterations, then
/// another N from 2 to 6; drawn again until the longer run stays tame.
func drawRuns(_ random: inout SeededGenerator) -> [Value] {
    for _ in 0..<1000 {
        let (start, settings, seed) = (drawNetwork(&random), Settings.draw(&random), random.int(in: 0...999_999))
        let pool = (0..<6).map { _ in Task.draw(&random) }
        let first = random.int(in: 4...6)
        let counts = [first, drawnAgain(first) { random.int(in: 2...6) }]
        guard Reference.isTame(from: start, on: Array(pool.prefix(counts.max()!)), settings) else { continue }
        return counts.map { count in
            var run = settings
            run.iterations = count
            return .record(["params": .of(start), "settings": .record(run.record), "seed": .integer(seed),
                            "tasks": .list(pool.prefix(count).map { .record($0.record) })])
        }
    }
    fatalError("no tame training run in 1000 draws")
}

/// One call of `metaTrainingStep`: the new parameters, the loss, and the calls of `adapt` it made.
func judgeStep(_ judgement: inout Judgement, name: String, _ step: Record, _ report: Record) throws {
    let (params, task, settings) = (try step.parameters("params"), try Task(step.record("task")), try Settings(step.record("settings")))
    judgement.inputs = "\(widths(params)); θ: \(Rendering.numbers(flat(params))); \(task.description); \(settings.description)"
    let expected = Reference.metaStep(params, task, settings)
    judgement.close(try report.parameters("params"), expected.params, within: 1e-9,
                    "\(name): metaTrainingStep should return θ − β ∇meta(θ), with meta(θ) = L_Q(adapt(L_S, θ, K, η)) and β the meta step size.")
    judgement.close(try report.number("metaLoss"), expected.loss, within: 1e-9,
                    "\(name): metaTrainingStep should return meta(θ) at the parameters it was given, before the update.")
    try judgeAdaptCalls(&judgement, name: name, function: "metaTrainingStep", try report.recordList("adaptCalls"),
                        iterates: [params, expected.params], tasks: [task], settings: settings)
}

/// One call of `trainMAML` on the judge's tasks: the draws, the losses, the inner loops and the result.
func judgeRun(_ judgement: inout Judgement, name runName: String, _ run: Record, _ report: Record) throws {
    let (start, settings, seed) = (try run.parameters("params"), try Settings(run.record("settings")), try run.integer("seed"))
    let tasks = try run.recordList("tasks").map(Task.init)
    let count = settings.iterations
    let name = "\(runName) (N = \(count) iterations)"
    judgement.inputs = "trainMAML from \(widths(start)) θ₀ = \(Rendering.numbers(flat(start))); \(settings.description); "
        + "\(count) iterations; a generator seeded with \(seed); the grader's task family hands out tasks 1 to \(count) in order, "
        + tasks.enumerated().map { "task \($0.offset + 1): \($0.element.description)" }.joined(separator: "; ")
    // Each call of the grader's family takes one number from the generator it is handed.
    var generator = SeededGenerator(seed: UInt64(seed))
    let fresh = (0..<count).map { _ in generator.nextUniform() }
    let draws = try report.numbers("draws")
    judgement.require(draws == fresh,
                      "\(name): trainMAML should call tasks.sample(using:) once per iteration, each time with the generator it was given, "
                          + "as the earlier calls left it, so that every iteration gets a new task.",
                      expected: "\(count) calls drawing \(Rendering.numbers(fresh))", actual: "\(draws.count) call\(draws.count == 1 ? "" : "s") drawing \(Rendering.numbers(draws))")
    // The reference run: θₖ₊₁ = θₖ − β ∇meta_k(θₖ) on task k.
    var iterates = [start], losses: [Double] = []
    for task in tasks {
        let (next, loss) = Reference.metaStep(iterates[iterates.count - 1], task, settings)
        iterates.append(next)
        losses.append(loss)
    }
    judgement.close(try report.numbers("metaLosses"), losses, within: 1e-9,
                    "\(name): trainMAML's metaLosses should hold, for every iteration, meta(θ) on that iteration's task before its update.")
    try judgeAdaptCalls(&judgement, name: name, function: "trainMAML", try report.recordList("adaptCalls"),
                        iterates: iterates, tasks: tasks, settings: settings)
    judgement.close(try report.parameters("params"), iterates[count], within: 1e-9,
                    "\(name): trainMAML should return θ after N meta steps, each θ − β ∇meta(θ) on the task drawn for its iteration.")
}

/// The calls of `adapt` seen during one meta step or one run. `iterates` are θ₀ … θ_N (the
/// parameters before each of the N iterations, and after the last). Every call must receive K
/// and η; the parameters handed over must be θ₀, θ₁, … θ_{N−1} in turn (more calls on an
/// iteration's parameters, or on the final ones, are fine: reading a loss again changes nothing);
/// the cost handed over must be the support loss of a task handed out so far, never a query loss.
func judgeAdaptCalls(_ judgement: inout Judgement, name: String, function: String, _ calls: [Record],
                     iterates: [Parameters], tasks: [Task], settings: Settings) throws {
    let received = try calls.map { (try $0.integer("numSteps"), try $0.number("stepSize")) }
    judgement.require(!calls.isEmpty && received.allSatisfy { $0.0 == settings.numSteps && $0.1 == settings.innerStepSize },
                      "\(name): every call of adapt from \(function) should receive K and the inner step size η (β is for the outer step).",
                      expected: "K = \(settings.numSteps), η = \(Rendering.number(settings.innerStepSize)) in every call",
                      actual: calls.isEmpty ? "no call" : received.map { "(K = \($0.0), step size \(Rendering.number($0.1)))" }.joined(separator: ", "))
    let handed = try calls.map { try $0.parameters("params") }, costs = try calls.map { try $0.numbers("cost") }
    // The iterate each call was handed, if any.
    let matched = handed.map { params in
        iterates.firstIndex { theta in
            theta.names == params.names && zip(flat(params), flat(theta)).allSatisfy { Judgement.isClose($0, $1, 1e-9) }
        }
    }
    let indices = matched.compactMap { $0 }
    let inTurn = indices.count == calls.count && zip(indices, indices.dropFirst()).allSatisfy { $0 <= $1 }
        && Set(indices).isSuperset(of: 0..<tasks.count)
    let order = tasks.count == 1 ? "the parameters \(function) was given" : "θ₀ to θ\(tasks.count - 1), the parameters of each iteration in turn"
    var shown: [[Double]] = []
    for params in handed.map(flat) where shown.last != params { shown.append(params) }
    judgement.require(inTurn, "\(name): adapt should be called from \(order).",
                      expected: iterates.prefix(tasks.count).map { Rendering.numbers(flat($0)) }.joined(separator: "; "),
                      actual: shown.isEmpty ? "no call" : shown.map { Rendering.numbers($0) }.joined(separator: "; "))
    guard inTurn else { return }
    // Call c at iterate k: the support loss at θ_k of task j ≤ k.
    let supportOnly = zip(indices, costs).allSatisfy { k, cost in
        cost.count == 1 && tasks.prefix(k + 1).contains { Judgement.isClose(cost[0], $0.supportCost(iterates[k]), 1e-9) }
    }
    judgement.require(supportOnly, "\(name): the cost handed to adapt should be the support loss L_S of the iteration's task; "
                          + "the query set only judges the adapted network.",
                      expected: "L_S at the parameters handed over: \(Rendering.numbers(zip(indices, costs).map { k, _ in tasks[min(k, tasks.count - 1)].supportCost(iterates[k]) }))",
                      actual: "the cost handed over, there: \(Rendering.numbers(costs.map { $0.first ?? .nan }))")
}
