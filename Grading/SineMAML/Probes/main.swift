import Autodiff
import GradingRuntime
import SineMAML

/// A task's support and query sets, as `adaptationLoss` takes them.
func sets(_ task: Record) throws -> (support: (inputs: Tensor, targets: Tensor), query: (inputs: Tensor, targets: Tensor)) {
    ((try task.tensor("supportInputs"), try task.tensor("supportTargets")), (try task.tensor("queryInputs"), try task.tensor("queryTargets")))
}

/// Tasks stacked along a leading task axis, [T, n, 1].
func batch(_ tasks: [Record]) throws -> SineTaskBatch {
    func stacked(_ key: String) throws -> Tensor {
        let columns = try tasks.map { try $0.tensor(key) }
        return Tensor(shape: [columns.count] + columns[0].shape, scalars: columns.flatMap(\.scalars))
    }
    return try SineTaskBatch(supportInputs: try stacked("supportInputs"), supportTargets: try stacked("supportTargets"),
                             queryInputs: try stacked("queryInputs"), queryTargets: try stacked("queryTargets"))
}

/// The value and gradient of `loss` at the case's θ, as a report.
func report(_ record: Record, _ loss: @escaping (Parameters) throws -> Tensor) throws -> Value {
    let (value, gradient) = try Differentiation.valueAndGradient(of: loss, at: try record.parameters("params"))
    return .record(["value": .of(value), "gradient": .of(gradient)])
}

/// SineMAML's probes: per case, the student's loss and its gradient at θ.
ProbeProgram.run([
    "adaptation": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let (task, stepSize) = (try sets(record.record("task")), try record.number("stepSize"))
            return try report(record) { try adaptationLoss($0, support: task.support, query: task.query, stepSize: stepSize) }
        })]
    },
    "batched": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let (tasks, stepSize) = (try batch(record.recordList("tasks")), try record.number("stepSize"))
            return try report(record) { try batchedAdaptationLoss($0, tasks: tasks, stepSize: stepSize) }
        })]
    },
])
