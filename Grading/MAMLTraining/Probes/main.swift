import Autodiff
import GradingRuntime
import MAMLTraining

/// What the injected inner loop was called with, call by call.
final class AdaptLog: @unchecked Sendable {
    /// Per call: the parameters, K, the step size and the cost's value at those parameters.
    var calls: [Value] = []
}

/// The inner loop the probe injects: K steps θ − η ∇cost(θ), differentiable, noting each call.
func recordingAdapt(_ log: AdaptLog) -> InnerAdaptation {
    { cost, params, numSteps, stepSize in
        log.calls.append(.record(["params": .of(params), "numSteps": .integer(numSteps), "stepSize": .number(stepSize),
                                  "cost": .numbers(cost(params).scalars)]))
        var adapted = params
        for _ in 0..<numSteps { adapted = adapted - stepSize * grad(cost)(adapted) }
        return adapted
    }
}

/// The numbers each call of `HandingOutTasks.sample` took from the generator it was handed.
final class DrawLog: @unchecked Sendable {
    /// One number per call.
    var draws: [Double] = []
}

/// A task family that gives out the judge's tasks in order, one per call, and takes one number
/// from the generator it is handed (noted, so the judge sees which generator each call used).
struct HandingOutTasks: RegressionTaskFamily {
    /// The tasks, in the order they are handed out.
    let tasks: [RegressionTask]
    /// The calls so far.
    let log: DrawLog

    /// The next task; after the last one, the last one again.
    func sample(using generator: inout SeededGenerator) -> RegressionTask {
        log.draws.append(generator.nextUniform())
        return tasks[min(log.draws.count, tasks.count) - 1]
    }
}

/// A task from its record.
func task(_ record: Record) throws -> RegressionTask {
    try RegressionTask(supportInputs: try record.tensor("supportInputs"), supportTargets: try record.tensor("supportTargets"),
                       queryInputs: try record.tensor("queryInputs"), queryTargets: try record.tensor("queryTargets"))
}

/// Training settings from their record.
func settings(_ record: Record) throws -> TrainingSettings {
    try TrainingSettings(numSteps: try record.integer("numSteps"), innerStepSize: try record.number("innerStepSize"),
                         metaStepSize: try record.number("metaStepSize"), iterations: try record.integer("iterations"))
}

/// MAMLTraining's probe: each meta-step case, then each training run.
ProbeProgram.run([
    "training": { inputs in
        let steps = try inputs.recordList("steps").map { record -> Value in
            let log = AdaptLog()
            let (next, loss) = try metaTrainingStep(try record.parameters("params"), on: try task(record.record("task")),
                                                    settings: try settings(record.record("settings")), adapt: recordingAdapt(log))
            return .record(["params": .of(next), "metaLoss": .number(loss), "adaptCalls": .list(log.calls)])
        }
        let runs = try inputs.recordList("runs").map { run -> Value in
            let (adaptLog, drawLog) = (AdaptLog(), DrawLog())
            var generator = SeededGenerator(seed: UInt64(try run.integer("seed")))
            let family = HandingOutTasks(tasks: try run.recordList("tasks").map(task), log: drawLog)
            let trained = try trainMAML(from: try run.parameters("params"), tasks: family, settings: try settings(run.record("settings")),
                                        adapt: recordingAdapt(adaptLog), using: &generator)
            return .record(["params": .of(trained.params), "metaLosses": .numbers(trained.metaLosses),
                            "draws": .numbers(drawLog.draws), "adaptCalls": .list(adaptLog.calls)])
        }
        return ["steps": .list(steps), "runs": .list(runs)]
    },
])
