import Autodiff
import GradingRuntime
import LearnedInnerRate

/// The task of a case, rebuilt from its points.
func task(_ record: Record) throws -> FrequencyTask {
    FrequencyTask(frequency: try record.number("frequency"), trainInputs: try record.tensor("trainInputs"),
                  trainTargets: try record.tensor("trainTargets"), validationInputs: try record.tensor("validationInputs"),
                  validationTargets: try record.tensor("validationTargets"))
}

/// LearnedInnerRate's probes: the student's `unrolledObjective` on each case, and its `grad`
/// with its values at the points the judge chose.
ProbeProgram.run([
    "objective": { inputs in
        let reports = try inputs.recordList("cases").map { record -> Value in
            let value = try unrolledObjective(try record.parameters("meta"), task: try task(record), innerSteps: try record.integer("steps"))
            return .record(["objective": .of(value)])
        }
        return ["cases": .list(reports)]
    },
    "gradient": { inputs in
        let reports = try inputs.recordList("cases").map { record -> Value in
            let (frequencyTask, steps) = (try task(record), try record.integer("steps"))
            let objective = { (meta: Parameters) throws -> Tensor in try unrolledObjective(meta, task: frequencyTask, innerSteps: steps) }
            let gradient = try Differentiation.gradient(of: objective, at: try record.parameters("meta"))
            var values: [Tensor] = []
            for (plus, minus) in zip(try record.parameterList("plus"), try record.parameterList("minus")) {
                values += [try objective(plus), try objective(minus)]
            }
            return .record(["gradient": .of(gradient), "values": .of(values)])
        }
        return ["cases": .list(reports)]
    },
])
