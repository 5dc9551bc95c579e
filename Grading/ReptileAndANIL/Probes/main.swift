import Autodiff
import GradingRuntime
import ReptileAndANIL

/// The probe's own gradient step θ − η ∇cost(θ), standing in for the student's `gdStep`.
func referenceStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    params - eta * grad(cost)(params)
}

/// The first point at which a cost was evaluated, as the student's code called it.
final class FirstEvaluation {
    /// The point, once the cost has been called.
    var point: Parameters?
}

/// The quadratic cost ½ Σ c ⊙ (θ − t)² of a task record, noting its first evaluation in `seen`.
func quadraticCost(_ task: Record, _ seen: FirstEvaluation) throws -> (Parameters) -> Tensor {
    let (curvature, target) = (try task.parameters("curvature"), try task.parameters("target"))
    return { theta in
        if seen.point == nil { seen.point = theta.detached() }
        return curvature.names.map { name in
            let residual = theta.require(name) - target.require(name)
            return 0.5 * (curvature.require(name) * residual * residual).sum()
        }.reduce(Tensor(0), +)
    }
}

/// Runs a Reptile update on one case through `update` and reports it with each task's first evaluation.
func reptileReport(_ record: Record, _ update: (Parameters, [(Parameters) -> Tensor], InnerLoop, Double) throws -> Parameters) throws -> Value {
    let tasks = try record.recordList("tasks")
    let seen = tasks.map { _ in FirstEvaluation() }
    let costs = try zip(tasks, seen).map { try quadraticCost($0, $1) }
    let inner = try InnerLoop(steps: try record.integer("steps"), stepSize: try record.number("stepSize"), step: referenceStep)
    let updated = try update(try record.parameters("start"), costs, inner, try record.number("outerStepSize"))
    return .record(["updated": .of(updated), "starts": .list(seen.map { $0.point.map(Value.of) ?? .text("never") })])
}

/// f(x) = tanh(x W1 + b1) W2 + b2 and its mean squared error on (inputs, targets).
func networkLoss(_ inputs: Tensor, _ targets: Tensor) -> (Parameters) -> Tensor {
    { p in meanSquaredError(matmul(tanh(matmul(inputs, p.require("W1")) + p.require("b1")), p.require("W2")) + p.require("b2"), targets) }
}

/// ReptileAndANIL's probes: each case's update, the adapted parameters and the meta-gradient
/// through `anilAdapt`, computed by the student's functions with the probe's inner step.
ProbeProgram.run([
    "serial": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            try reptileReport(record) { phi, costs, inner, epsilon in try reptileStep(phi, taskCost: costs[0], inner: inner, outerStepSize: epsilon) }
        })]
    },
    "batched": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            try reptileReport(record) { phi, costs, inner, beta in try reptileBatchedStep(phi, taskCosts: costs, inner: inner, outerStepSize: beta) }
        })]
    },
    "anil": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record -> Value in
            let headNames = try record.list("headNames").map { value -> String in
                guard case .text(let name) = value else { throw ValueError.malformed("a head name is not text") }
                return name
            }
            let support = networkLoss(try record.tensor("supportInputs"), try record.tensor("supportTargets"))
            let query = networkLoss(try record.tensor("queryInputs"), try record.tensor("queryTargets"))
            let inner = try InnerLoop(steps: try record.integer("steps"), stepSize: try record.number("stepSize"), step: referenceStep)
            let params = try record.parameters("params")
            let adapted = try anilAdapt(params, headNames: headNames, cost: support, inner: inner)
            let metaGradient = try Differentiation.gradient(of: { query(try anilAdapt($0, headNames: headNames, cost: support, inner: inner)) }, at: params)
            return .record(["adapted": .of(adapted), "metaGradient": .of(metaGradient)])
        })]
    },
])
