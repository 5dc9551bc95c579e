import Autodiff
import GradingRuntime
import MetaObjective

/// The step sizes the injected step was called with, in call order.
final class StepLog: @unchecked Sendable {
    /// η of each call.
    var stepSizes: [Double] = []
}

/// The case's cost ½ Σ c ⊙ (θ − t)², the injected step (θ − η D ⊙ ∇cost(θ), D = 1 when the
/// inputs give none; recording each η) and the student's objective built on them.
func objective(_ record: Record, log: StepLog) throws -> MetaObjective {
    let (curvature, target) = (try record.parameters("curvature"), try record.parameters("target"))
    let preconditioner = record["preconditioner"] == nil ? nil : try record.parameters("preconditioner")
    let cost = { (p: Parameters) -> Tensor in
        let residual = p - target
        return 0.5 * total(curvature * residual * residual)
    }
    let step: GradientStep = { cost, params, stepSize in
        log.stepSizes.append(stepSize)
        let gradient = grad(cost)(params)
        return params - stepSize * (preconditioner.map { $0 * gradient } ?? gradient)
    }
    return try MetaObjective(innerCost: cost, numSteps: try record.integer("numSteps"), stepSize: try record.number("stepSize"), step: step)
}

/// Σ over every element of every tensor of `p`.
func total(_ p: Parameters) -> Tensor { p.tensors.map { $0.sum() }.reduce(Tensor(0), +) }

/// MetaObjective's probes: per case, the objective's value (part value) or its gradient (part
/// metaGradient) at θ, with the step sizes the injected step received.
ProbeProgram.run([
    "value": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let log = StepLog()
            let value = try objective(record, log: log)(try record.parameters("start"))
            return .record(["value": .of(value), "stepSizes": .numbers(log.stepSizes)])
        })]
    },
    "metaGradient": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let log = StepLog()
            let meta = try objective(record, log: log)
            let gradient = try Differentiation.gradient(of: { try meta($0) }, at: try record.parameters("start"))
            return .record(["gradient": .of(gradient), "stepSizes": .numbers(log.stepSizes)])
        })]
    },
])
