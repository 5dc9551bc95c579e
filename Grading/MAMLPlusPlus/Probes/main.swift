import Autodiff
import GradingRuntime
import MAMLPlusPlus

/// A problem the probe met in the student's results before it could report them.
struct ProbeProblem: Error, CustomStringConvertible {
    /// What went wrong, in a sentence.
    let description: String
}

/// The mean squared error of f(x) = tanh(x W1 + b1) W2 + b2 on a regression set's record.
func regressionLoss(_ set: Record) throws -> Loss {
    let (inputs, targets) = (try set.tensor("inputs"), try set.tensor("targets"))
    return { p in meanSquaredError(matmul(tanh(matmul(inputs, p.require("W1")) + p.require("b1")), p.require("W2")) + p.require("b2"), targets) }
}

/// φᴷ, the last parameters of the student's trajectory.
func lastParameters(_ trajectory: [Parameters]) throws -> Parameters {
    guard let last = trajectory.last else { throw ProbeProblem(description: "adapt returned an empty trajectory") }
    return last
}

/// The order part's task: support ½ Σ s w² − Σ c w and query ½ Σ s′ φ² − Σ c′ φ over the tensor `w`.
func quadraticTask(_ record: Record) throws -> MetaTask {
    let (s, c) = (Tensor(try record.numbers("s")), Tensor(try record.numbers("c")))
    let (sQuery, cQuery) = (Tensor(try record.numbers("sQuery")), Tensor(try record.numbers("cQuery")))
    return MetaTask(supportLoss: { p in (0.5 * s * p.require("w") * p.require("w") - c * p.require("w")).sum() },
                    queryLoss: { p in (0.5 * sQuery * p.require("w") * p.require("w") - cQuery * p.require("w")).sum() })
}

/// The texts of a list value.
func texts(_ values: [Value]) throws -> [String] {
    try values.map { value in
        guard case .text(let text) = value else { throw ValueError.malformed("expected text") }
        return text
    }
}

/// MAMLPlusPlus's probes: each part's functions called on the judge's inputs, their results reported.
ProbeProgram.run([
    "rates": { inputs in
        let initial = try inputs.recordList("initial").map { record -> Value in
            .of(try initialInnerRates(for: try record.parameters("model"), steps: try record.integer("steps"), rate: try record.number("rate")))
        }
        let trajectories = try inputs.recordList("adapt").map { record -> Value in
            .of(try adapt(try record.parameters("meta"), supportLoss: try regressionLoss(try record.record("support")), steps: try record.integer("steps")))
        }
        let gradients = try inputs.recordList("gradient").map { record -> Value in
            let (support, query) = (try regressionLoss(try record.record("support")), try regressionLoss(try record.record("query")))
            let steps = try record.integer("steps")
            let outer = { (meta: Parameters) throws -> Tensor in query(try lastParameters(try adapt(meta, supportLoss: support, steps: steps))) }
            let meta = try record.parameters("meta")
            return .record(["exact": .of(try Differentiation.gradient(of: outer, at: meta)),
                            "firstOrder": .of(try withFirstOrderGradients { try Differentiation.gradient(of: outer, at: meta) })])
        }
        return ["initial": .list(initial), "adapt": .list(trajectories), "gradient": .list(gradients)]
    },
    "multiStepLoss": { inputs in
        let weights = try inputs.recordList("schedules").map { record -> Value in
            let schedule = try MultiStepLossSchedule(steps: try record.integer("steps"), annealEpochs: try record.integer("annealEpochs"),
                                                     floor: record["floor"] == nil ? nil : try record.number("floor"))
            return .list(try (0...(try record.integer("lastEpoch"))).map { .numbers(try importanceWeights(epoch: $0, schedule: schedule)) })
        }
        let losses = try inputs.recordList("losses").map { record -> Value in
            let (scales, offsets) = (try record.numbers("scales"), try record.parameterList("offsets"))
            let query = try regressionLoss(try record.record("query"))
            let stepWeights = try record.numbers("weights")
            let loss = { (theta: Parameters) throws -> Tensor in
                try multiStepLoss(trajectory: zip(scales, offsets).map { $0 * theta + $1 }, queryLoss: query, weights: stepWeights)
            }
            let (value, gradient) = try Differentiation.valueAndGradient(of: loss, at: try record.parameters("theta"))
            return .record(["value": .of(value), "gradient": .of(gradient)])
        }
        return ["weights": .list(weights), "losses": .list(losses)]
    },
    "cosine": { inputs in
        let schedules = try inputs.recordList("schedules")
        let rates = try schedules.map { record -> Value in
            let schedule = try OuterRateSchedule(initial: try record.number("initial"), minimum: try record.number("minimum"),
                                                 totalEpochs: try record.integer("totalEpochs"))
            return .numbers(try (0...(try record.integer("lastEpoch"))).map { try outerLearningRate(epoch: $0, schedule: schedule) })
        }
        // Asked last, so that whatever it does cannot change the rates reported above.
        let first = schedules[0]
        let schedule = try OuterRateSchedule(initial: try first.number("initial"), minimum: try first.number("minimum"),
                                             totalEpochs: try first.integer("totalEpochs"))
        let refused = (try? outerLearningRate(epoch: -1, schedule: schedule)) == nil
        return ["rates": .list(rates), "refusesNegativeEpoch": .flag(refused)]
    },
    "order": { inputs in
        let orders = try inputs.recordList("schedules").map { record -> Value in
            let schedule = try DerivativeOrderSchedule(firstOrderEpochs: try record.integer("firstOrderEpochs"))
            return .list(try (0...(try record.integer("lastEpoch"))).map { .text(try derivativeOrder(epoch: $0, schedule: schedule).rawValue) })
        }
        let cases = try inputs.recordList("cases").map { record -> Value in
            let rateNames = try texts(try record.list("rateNames"))
            // The objective: K inner steps φ ← φ − α_k ∇L_sup(φ) from w with the rates of Θ, then L_query(φᴷ).
            let objective: TaskObjective = { meta, task in
                var phi = meta.require("w")
                for name in rateNames {
                    let slope = grad(task.supportLoss)(["w": phi]).require("w")
                    phi = phi - meta.require(name) * slope
                }
                return task.queryLoss(["w": phi])
            }
            let result = try metaGradient(try record.parameters("meta"), tasks: try record.recordList("tasks").map(quadraticTask),
                                          epoch: try record.integer("epoch"),
                                          schedule: try DerivativeOrderSchedule(firstOrderEpochs: try record.integer("firstOrderEpochs")),
                                          objective: objective)
            return .record(["loss": .number(result.loss), "gradient": .of(result.gradient), "order": .text(result.order.rawValue)])
        }
        return ["orders": .list(orders), "cases": .list(cases)]
    },
])
