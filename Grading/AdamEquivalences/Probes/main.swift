import AdamEquivalences
import GradingRuntime

/// Adam's hyper-parameters as a report.
func report(_ adam: AdamHyperParameters) -> Value {
    .record(["learningRate": .number(adam.learningRate), "beta1": .number(adam.beta1),
             "beta2": .number(adam.beta2), "epsilon": .number(adam.epsilon)])
}

/// AdamEquivalences' probes: the hyper-parameters each function returns for each setting.
ProbeProgram.run([
    "rmsprop": { inputs in
        ["answers": .list(try inputs.recordList("cases").map { setting in
            report(try adamEquivalentToRMSprop(RMSpropHyperParameters(
                learningRate: try setting.number("learningRate"), decay: try setting.number("decay"), epsilon: try setting.number("epsilon"))))
        })]
    },
    "momentum": { inputs in
        ["answers": .list(try inputs.recordList("cases").map { setting in
            report(try adamApproximatingMomentum(MomentumHyperParameters(
                learningRate: try setting.number("learningRate"), momentum: try setting.number("momentum"))))
        })]
    },
])
