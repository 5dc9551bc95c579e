import Autodiff
import Foundation
import GradingRuntime

/// cosine: β(e) = β_min + (β₀ − β_min)(1 + cos(π min(e, T)/T))/2 at every epoch from 0 to T + 3 of
/// drawn schedules, and a negative epoch refused.
let cosine = Part(
    "cosine", points: 1, section: "Part cosine",
    summary: "the outer learning rate annealed along half a cosine from β₀ to β_min",
    inputs: { random in ["schedules": .list(RateSchedule.cases(&random).map { .record($0.record) })] },
    judge: { inputs, observed in
        var judgement = Judgement(inputs: "")
        let schedules = try inputs.recordList("schedules").map(RateSchedule.init)
        let rates = try observed.list("rates")
        judgement.require(rates.count == schedules.count, "The probe should report the rates of every schedule.",
                          expected: "\(schedules.count)", actual: "\(rates.count)")
        for (index, (schedule, value)) in zip(schedules, rates).enumerated() {
            let label = "Schedule \(index + 1) (\(schedule.label))"
            judgement.inputs = schedule.description
            let reported = try Record(["rates": value]).numbers("rates")
            judgement.require(reported.count == schedule.lastEpoch + 1, "\(label): the probe should report the rates of epochs 0 to \(schedule.lastEpoch).",
                              expected: "\(schedule.lastEpoch + 1)", actual: "\(reported.count)")
            for (epoch, rate) in reported.prefix(schedule.lastEpoch + 1).enumerated() {
                let failures = judgement.failures.count
                // One cosine and a few operations: equal formulas (a squared cosine of half the angle, say) agree to about 1e-16.
                judgement.close(rate, schedule.rate(epoch: epoch), within: 1e-12,
                                "\(label), epoch \(epoch): outerLearningRate should be β_min + (β₀ − β_min)(1 + cos(π min(e, T)/T))/2.")
                if judgement.failures.count > failures { break }
            }
        }
        judgement.inputs = schedules.first?.description ?? ""
        judgement.require((try? observed.flag("refusesNegativeEpoch")) == true,
                          "Epoch −1: outerLearningRate should throw for a negative epoch instead of returning a rate.")
        return judgement
    })

/// An outer-rate schedule (β₀, β_min, T), checked at every epoch from 0 to T + 3.
struct RateSchedule {
    /// What the case changes, for feedback.
    let label: String
    /// β₀.
    let initial: Double
    /// β_min.
    let minimum: Double
    /// T.
    let totalEpochs: Int

    /// The last epoch checked: three past T.
    var lastEpoch: Int { totalEpochs + 3 }

    /// Five schedules: a drawn one (β₀ in [0.01, 0.5], β_min a fraction up to 0.3 of it, T from 3 to
    /// 16), then another β₀, another β_min (0 included), another T, and T = 1.
    static func cases(_ random: inout SeededGenerator) -> [RateSchedule] {
        let initial = random.rounded(0.01, 0.5, digits: 4)
        let minimum = (initial * random.rounded(0.01, 0.3, digits: 2) * 1e4).rounded() / 1e4
        let total = random.int(in: 3...16)
        var otherInitial = random.rounded(0.01, 0.5, digits: 4)
        while otherInitial <= minimum || otherInitial == initial { otherInitial = random.rounded(0.01, 0.5, digits: 4) }
        var otherTotal = random.int(in: 3...16)
        while otherTotal == total { otherTotal = random.int(in: 3...16) }
        return [
            RateSchedule(label: "a drawn schedule", initial: initial, minimum: minimum, totalEpochs: total),
            RateSchedule(label: "another β₀", initial: otherInitial, minimum: minimum, totalEpochs: total),
            RateSchedule(label: "β_min = 0", initial: initial, minimum: 0, totalEpochs: total),
            RateSchedule(label: "another T", initial: initial, minimum: minimum, totalEpochs: otherTotal),
            RateSchedule(label: "T = 1", initial: initial, minimum: minimum, totalEpochs: 1),
        ]
    }

    /// β(e).
    func rate(epoch: Int) -> Double {
        minimum + (initial - minimum) * (1 + cos(Double.pi * Double(min(epoch, totalEpochs)) / Double(totalEpochs))) / 2
    }

    /// The schedule in words.
    var description: String { "β₀ = \(Rendering.number(initial)), β_min = \(Rendering.number(minimum)), T = \(totalEpochs)" }

    /// The schedule as the probe receives it.
    var record: Record {
        ["label": .text(label), "initial": .number(initial), "minimum": .number(minimum), "totalEpochs": .integer(totalEpochs),
         "lastEpoch": .integer(lastEpoch)]
    }

    /// The schedule read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), initial: try record.number("initial"), minimum: try record.number("minimum"),
                  totalEpochs: try record.integer("totalEpochs"))
    }

    /// A schedule from its parts.
    init(label: String, initial: Double, minimum: Double, totalEpochs: Int) {
        (self.label, self.initial, self.minimum, self.totalEpochs) = (label, initial, minimum, totalEpochs)
    }
}
