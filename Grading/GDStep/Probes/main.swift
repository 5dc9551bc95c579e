import Autodiff
import GDStep
import GradingRuntime

/// GDStep's probes: each case's quadratic cost, rebuilt from the inputs, stepped by the student's `gdStep`.
ProbeProgram.run([
    "update": { inputs in
        let reports = try inputs.recordList("cases").map { record -> Value in
            let (curvature, slope, start) = (try record.tensor("curvature"), try record.tensor("slope"), try record.parameters("start"))
            let cost = { (p: Parameters) in 0.5 * (curvature * p.require("a") * p.require("a")).sum() + (slope * p.require("b")).sum() }
            let next = try gdStep(cost, start, stepSize: try record.number("stepSize"))
            return .record(["next": .of(next), "inputAfter": .of(start)])
        }
        return ["cases": .list(reports)]
    },
    "differentiable": { inputs in
        let reports = try inputs.recordList("cases").map { record -> Value in
            let (curvature, slope, start) = (try record.tensor("curvature"), try record.tensor("slope"), try record.parameters("start"))
            let stepSize = try record.number("stepSize")
            let cost = { (p: Parameters) in 0.5 * (curvature * p.require("a") * p.require("a")).sum() + (slope * p.require("b")).sum() }
            let outer = try Differentiation.gradient(of: { cost(try gdStep(cost, $0, stepSize: stepSize)) }, at: start)
            return .record(["outerGradient": .of(outer)])
        }
        return ["cases": .list(reports)]
    },
])
