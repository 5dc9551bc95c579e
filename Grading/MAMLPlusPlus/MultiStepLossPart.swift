import Autodiff
import GradingRuntime

/// multiStepLoss: the importance weights over every epoch of drawn schedules, and the weighted sum
/// of the query losses of φ¹ … φᴷ for trajectories the judge chooses, with its gradient.
let multiStepLoss = Part(
    "multiStepLoss", points: 3, section: "Part multiStepLoss",
    summary: "importance weights annealed toward the last step, and the weighted sum of the query losses after every step",
    inputs: { random in
        ["schedules": .list(WeightSchedule.cases(&random).map { .record($0.record) }),
         "losses": .list(LossCase.cases(&random).map { .record($0.record) })]
    },
    judge: { inputs, observed in
        var judgement = Judgement(inputs: "")
        let schedules = try inputs.recordList("schedules").map(WeightSchedule.init)
        let weights = try observed.list("weights")
        judgement.require(weights.count == schedules.count, "The probe should report the weights of every schedule.",
                          expected: "\(schedules.count)", actual: "\(weights.count)")
        for (index, (schedule, value)) in zip(schedules, weights).enumerated() {
            let reported = try Record(["weights": value]).list("weights").map { try Record(["epoch": $0]).numbers("epoch") }
            schedule.judge(reported, label: "Schedule \(index + 1) (\(schedule.label))", into: &judgement)
        }
        let cases = try inputs.recordList("losses").map(LossCase.init)
        let reports = try observed.recordList("losses")
        judgement.require(reports.count == cases.count, "The probe should report the loss of every case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (lossCase, report)) in zip(cases, reports).enumerated() {
            lossCase.judge(report, label: "Loss case \(index + 1) (\(lossCase.label))", into: &judgement)
        }
        return judgement
    })

/// A schedule of the importance weights: K, E and the floor (nil: the schedule's default 0.03/K),
/// checked at every epoch from 0 to E + 3.
struct WeightSchedule {
    /// What the case changes, for feedback.
    let label: String
    /// K.
    let steps: Int
    /// E.
    let annealEpochs: Int
    /// The floor given to the schedule, or nil for its default.
    let floor: Double?

    /// The last epoch checked: three past the end of the annealing.
    var lastEpoch: Int { annealEpochs + 3 }

    /// Five schedules: a drawn one (K from 2 to 6, E from 2 to 8, the default floor), then another
    /// K, another E, an explicit floor, and K = 1.
    static func cases(_ random: inout SeededGenerator) -> [WeightSchedule] {
        let (steps, anneal) = (random.int(in: 2...6), random.int(in: 2...8))
        var otherSteps = random.int(in: 2...6)
        while otherSteps == steps { otherSteps = random.int(in: 2...6) }
        var otherAnneal = random.int(in: 2...8)
        while otherAnneal == anneal { otherAnneal = random.int(in: 2...8) }
        let base = WeightSchedule(label: "K = \(steps), E = \(anneal), default floor", steps: steps, annealEpochs: anneal, floor: nil)
        return [
            base,
            WeightSchedule(label: "another K: K = \(otherSteps), E = \(anneal), default floor", steps: otherSteps, annealEpochs: anneal, floor: nil),
            WeightSchedule(label: "another E: K = \(steps), E = \(otherAnneal), default floor", steps: steps, annealEpochs: otherAnneal, floor: nil),
            // A floor between 0.05/K and 0.6/K, so the weights reach it before epoch E.
            WeightSchedule(label: "an explicit floor", steps: steps, annealEpochs: anneal,
                           floor: random.rounded(0.05 / Double(steps), 0.6 / Double(steps), digits: 4)),
            WeightSchedule(label: "K = 1", steps: 1, annealEpochs: anneal, floor: nil),
        ]
    }

    /// w(e): v = max(1/K − e/(K E), floor) for the first K − 1 steps, 1 − (K − 1) v for the last.
    func weights(epoch: Int) -> [Double] {
        let k = Double(steps)
        let v = Swift.max(1 / k - Double(epoch) / (k * Double(annealEpochs)), floor ?? 0.03 / k)
        return Array(repeating: v, count: steps - 1) + [1 - (k - 1) * v]
    }

    /// Checks the weights of every epoch 0 … E + 3, reporting the first epoch that differs.
    func judge(_ reported: [[Double]], label: String, into judgement: inout Judgement) {
        judgement.inputs = "K = \(steps), E = \(annealEpochs), floor " + (floor.map { Rendering.number($0) } ?? "not given (the default 0.03/K)")
        judgement.require(reported.count == lastEpoch + 1, "\(label): the probe should report the weights of epochs 0 to \(lastEpoch).",
                          expected: "\(lastEpoch + 1)", actual: "\(reported.count)")
        for (epoch, got) in reported.prefix(lastEpoch + 1).enumerated() {
            let failures = judgement.failures.count
            // A handful of operations on numbers near 1: different but equal formulas agree to about 1e-16.
            judgement.close(got, weights(epoch: epoch), within: 1e-12,
                            "\(label), epoch \(epoch): importanceWeights should give v = max(1/K − e/(K E), floor) to steps 1 … K − 1 "
                                + "and 1 − (K − 1) v to step K.")
            if judgement.failures.count > failures { break }
        }
    }

    /// The schedule as the probe receives it.
    var record: Record {
        var record: Record = ["label": .text(label), "steps": .integer(steps), "annealEpochs": .integer(annealEpochs), "lastEpoch": .integer(lastEpoch)]
        if let floor { record["floor"] = .number(floor) }
        return record
    }

    /// The schedule read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), steps: try record.integer("steps"), annealEpochs: try record.integer("annealEpochs"),
                  floor: record["floor"] == nil ? nil : try record.number("floor"))
    }

    /// A schedule from its parts.
    init(label: String, steps: Int, annealEpochs: Int, floor: Double?) {
        (self.label, self.steps, self.annealEpochs, self.floor) = (label, steps, annealEpochs, floor)
    }
}

/// A case of `multiStepLoss`: a trajectory that is a function of θ, φᵏ(θ) = aₖ θ + dₖ (a₀ = 1,
/// d₀ = 0, so φ⁰ = θ), the query loss of the regression network on a query set, and K weights.
struct LossCase {
    /// What the case changes, for feedback.
    let label: String
    /// θ, the point at which the loss and its gradient are taken.
    let theta: Parameters
    /// a₀ … a_K.
    let scales: [Double]
    /// d₀ … d_K, shaped like θ.
    let offsets: [Parameters]
    /// The query set.
    let query: RegressionSet
    /// w₁ … w_K.
    let weights: [Double]

    /// Five cases: a drawn one (K from 2 to 4, weights in [0.05, 1] not summing to 1), then other
    /// weights, another trajectory, another query set, and K = 1.
    static func cases(_ random: inout SeededGenerator) -> [LossCase] {
        let theta = Network.draw(hidden: random.int(in: 2...3), &random)
        let steps = random.int(in: 2...4)
        let (amplitude, phase) = (random.rounded(0.5, 2), random.rounded(0, 3))
        let query = RegressionSet.draw(random.int(in: 3...5), amplitude: amplitude, phase: phase, &random)
        /// `count` weights in [0.05, 1], rounded to 2 digits.
        func weights(_ count: Int) -> [Double] { (0..<count).map { _ in random.rounded(0.05, 1, digits: 2) } }
        /// a₀ = 1, d₀ = 0, then `count` scales in [0.5, 1.5] and offsets in [−0.3, 0.3].
        func path(_ count: Int) -> (scales: [Double], offsets: [Parameters]) {
            let scales = [1] + (0..<count).map { _ in random.rounded(0.5, 1.5, digits: 2) }
            let offsets = [theta.map { $0.zerosLike() }] + (0..<count).map { _ in
                theta.map { tensor in Tensor(shape: tensor.shape, scalars: tensor.scalars.map { _ in random.rounded(-0.3, 0.3, digits: 2) }) }
            }
            return (scales, offsets)
        }
        let trajectory = path(steps)
        let base = LossCase(label: "a drawn case", theta: theta, scales: trajectory.scales, offsets: trajectory.offsets, query: query, weights: weights(steps))
        let other = path(steps)
        let single = path(1)
        return [
            base,
            base.with(label: "other weights", weights: weights(steps)),
            base.with(label: "another trajectory", scales: other.scales, offsets: other.offsets),
            base.with(label: "another query set", query: RegressionSet.draw(query.inputs.shape[0], amplitude: amplitude, phase: phase, &random)),
            base.with(label: "K = 1", scales: single.scales, offsets: single.offsets, weights: weights(1)),
        ]
    }

    /// φᵏ(θ) for k = 0 … K.
    func trajectory(_ theta: Parameters) -> [Parameters] { zip(scales, offsets).map { scale, offset in scale * theta + offset } }

    /// Σₖ₌₁ᴷ wₖ L_query(φᵏ(θ)) and its gradient in θ, by the judge's own code.
    var expected: (value: Tensor, gradient: Parameters) {
        valueAndGrad { (theta: Parameters) in
            let path = trajectory(theta)
            return (1...weights.count).map { weights[$0 - 1] * Network.loss(path[$0], query) }.reduce(Tensor(0), +)
        }(theta)
    }

    /// Checks the reported loss and gradient.
    func judge(_ report: Record, label: String, into judgement: inout Judgement) {
        judgement.inputs = "θ = " + theta.map { "\($0.0) = \(Rendering.numbers($0.1.scalars))" }.joined(separator: ", ")
            + "; trajectory φᵏ = aₖ θ + dₖ with a = \(Rendering.numbers(scales)) (φ⁰ = θ); weights \(Rendering.numbers(weights)); "
            + "query loss: mean squared error of tanh(x W1 + b1) W2 + b2 on \(query.description)"
        let (value, gradient) = expected
        guard let reported = try? report.tensor("value"), reported.scalarCount == 1 else {
            judgement.require(false, "\(label): multiStepLoss should return one number.", expected: Rendering.tensor(value), actual: "something else")
            return
        }
        // A weighted sum of a few losses in double precision: about 1e-15 apart.
        judgement.close(reported.scalars[0], value.scalar, within: 1e-10,
                        "\(label): multiStepLoss should be Σₖ₌₁ᴷ wₖ L_query(φᵏ), scoring φ¹ … φᴷ and not φ⁰.")
        judgement.close((try? report.parameters("gradient")) ?? Parameters(), gradient, within: 1e-9,
                        "\(label): the gradient of multiStepLoss in θ should flow through every scored φᵏ of the trajectory.")
    }

    /// A copy with the given fields replaced.
    func with(label: String, scales: [Double]? = nil, offsets: [Parameters]? = nil, query: RegressionSet? = nil, weights: [Double]? = nil) -> LossCase {
        LossCase(label: label, theta: theta, scales: scales ?? self.scales, offsets: offsets ?? self.offsets, query: query ?? self.query,
                 weights: weights ?? self.weights)
    }

    /// The case as the probe receives it.
    var record: Record {
        ["label": .text(label), "theta": .of(theta), "scales": .numbers(scales), "offsets": .of(offsets), "query": .record(query.record),
         "weights": .numbers(weights)]
    }

    /// The case read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), theta: try record.parameters("theta"), scales: try record.numbers("scales"),
                  offsets: try record.parameterList("offsets"), query: try RegressionSet(try record.record("query")), weights: try record.numbers("weights"))
    }

    /// A case from its parts.
    init(label: String, theta: Parameters, scales: [Double], offsets: [Parameters], query: RegressionSet, weights: [Double]) {
        (self.label, self.theta, self.scales, self.offsets, self.query, self.weights) = (label, theta, scales, offsets, query, weights)
    }
}
