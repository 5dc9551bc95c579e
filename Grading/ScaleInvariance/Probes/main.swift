import Autodiff
import GradingRuntime
import ScaleInvariance

/// The student's Adam with a case's settings.
func optimizer(_ record: Record) throws -> Adam {
    try Adam(learningRate: try record.number("learningRate"), beta1: try record.number("beta1"),
             beta2: try record.number("beta2"), epsilon: try record.number("epsilon"))
}

/// θ₁ … θ_T of the student's `Adam.step` from `start`, with the gradient of `loss` at each iterate.
func run(_ adam: Adam, _ loss: @escaping (Parameters) -> Tensor, from start: Parameters, steps: Int) throws -> [Parameters] {
    var (theta, state, path) = (start, AdamState(zerosLike: start), [Parameters]())
    for _ in 0..<steps {
        theta = try adam.step(theta, gradient: grad(loss)(theta), state: &state)
        path.append(theta)
    }
    return path
}

/// ScaleInvariance's probes.
ProbeProgram.run([
    // Each case: the iterates of successive Adam.step calls with the drawn gradients.
    "update": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let adam = try optimizer(record.record("adam"))
            var (theta, state) = (try record.parameters("start"), AdamState(zerosLike: try record.parameters("start")))
            let iterates = try record.parameterList("gradients").map { gradient in
                theta = try adam.step(theta, gradient: gradient, state: &state)
                return theta
            }
            return .record(["iterates": .of(iterates)])
        })]
    },
    // Each case: the student's gap, then both runs replayed with the student's Adam.step.
    "demonstration": { inputs in
        ["cases": .list(try inputs.recordList("cases").map { record in
            let (s, c) = (try record.tensor("ripple"), try record.tensor("curvature"))
            // J(a, b) = ¼ Σ a⁴ − Σ s ⊙ a + Σ c ⊙ b².
            let loss = { (p: Parameters) -> Tensor in
                let (a, b) = (p.require("a"), p.require("b"))
                return 0.25 * (a * a * a * a).sum() - (s * a).sum() + (c * b * b).sum()
            }
            let (adam, start, scale, steps) = (try optimizer(record.record("adam")), try record.parameters("start"),
                                               try record.number("scale"), try record.integer("steps"))
            let gap = try largestIterateGap(loss: loss, scale: scale, start: start, optimizer: adam, steps: steps)
            return .record(["gap": .number(gap), "original": .of(try run(adam, loss, from: start, steps: steps)),
                            "scaled": .of(try run(adam, { scale * loss($0) }, from: start, steps: steps))])
        })]
    },
])
