import Autodiff
import GradingRuntime

/// order: `derivativeOrder` over whole schedules, and `metaGradient` on quadratic tasks whose first-
/// and second-order meta-gradients differ in closed form: first order before epoch E, exact from E
/// on, averaged over the tasks, and the learned rates getting their gradient in both phases.
let order = Part(
    "order", points: 3, section: "Part order",
    summary: "first-order meta-gradients before epoch E, second order from E on",
    inputs: { random in
        let (schedules, cases) = drawOrderInputs(&random)
        return ["schedules": .list(schedules.map { .record(["firstOrderEpochs": .integer($0), "lastEpoch": .integer($0 + 3)]) }),
                "cases": .list(cases.map { .record($0.record) })]
    },
    judge: { inputs, observed in
        var judgement = Judgement(inputs: "")
        let schedules = try inputs.recordList("schedules")
        let orders = try observed.list("orders")
        judgement.require(orders.count == schedules.count, "The probe should report the orders of every schedule.",
                          expected: "\(schedules.count)", actual: "\(orders.count)")
        for (schedule, value) in zip(schedules, orders) {
            let switchEpoch = try schedule.integer("firstOrderEpochs")
            judgement.inputs = "E = \(switchEpoch)"
            let reported = try Record(["orders": value]).list("orders").map { value -> String in
                guard case .text(let text) = value else { throw ValueError.malformed("an order is not text") }
                return text
            }
            let expected = (0...(switchEpoch + 3)).map { $0 < switchEpoch ? "first" : "second" }
            let wrong = zip(reported, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            judgement.require(reported.count == expected.count && wrong == nil,
                              "E = \(switchEpoch)\(wrong.map { ", epoch \($0)" } ?? ""): derivativeOrder should be first for epochs 0 … E − 1 and second from epoch E on.",
                              expected: "\(expected)", actual: "\(reported)")
        }
        let cases = try inputs.recordList("cases").map(OrderCase.init)
        let reports = try observed.recordList("cases")
        judgement.require(reports.count == cases.count, "The probe should report a meta-gradient for every case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (orderCase, report)) in zip(cases, reports).enumerated() {
            judgeMetaGradient(orderCase, report, label: "Case \(index + 1) (\(orderCase.label))", into: &judgement)
        }
        return judgement
    })

/// The switch epochs whose `derivativeOrder` is checked over epochs 0 … E + 3 (a drawn E from 2 to
/// 5, another, and 0), and the `metaGradient` cases: with that E, epochs 0, E − 1, E and later;
/// E = 0 at epoch 0; another Θ, other tasks (each at a first- and a second-order epoch); and an
/// objective of one inner step instead of two. Drawn again until every case separates the orders.
func drawOrderInputs(_ random: inout SeededGenerator) -> (schedules: [Int], cases: [OrderCase]) {
    while true {
        let switchEpoch = random.int(in: 2...5)
        var otherSwitch = random.int(in: 1...6)
        while otherSwitch == switchEpoch { otherSwitch = random.int(in: 1...6) }
        let entries = random.int(in: 1...3)
        /// w, normal, rounded to 2 digits.
        func drawW() -> [Double] { (0..<entries).map { _ in (random.normal() * 100).rounded() / 100 } }
        /// `count` rates in [0.05, 0.4], rounded to 2 digits.
        func drawRates(_ count: Int) -> [Double] { (0..<count).map { _ in random.rounded(0.05, 0.4, digits: 2) } }
        /// 2 to 4 tasks over the same number of entries.
        func drawTasks() -> [QuadraticTask] { (0..<random.int(in: 2...4)).map { _ in QuadraticTask.draw(entries: entries, &random) } }
        let base = OrderCase(label: "epoch 0 of E = \(switchEpoch): first order", w: drawW(), rates: drawRates(2), tasks: drawTasks(),
                             epoch: 0, firstOrderEpochs: switchEpoch)
        let (otherW, otherRates, otherTasks) = (drawW(), drawRates(2), drawTasks())
        let later = switchEpoch + random.int(in: 1...5)
        let cases = [
            base,
            base.with(label: "epoch E − 1 = \(switchEpoch - 1): the last first-order epoch", epoch: switchEpoch - 1),
            base.with(label: "epoch E = \(switchEpoch): the first second-order epoch", epoch: switchEpoch),
            base.with(label: "epoch \(later), after E = \(switchEpoch): second order", epoch: later),
            base.with(label: "E = 0, epoch 0: second order from the start", firstOrderEpochs: 0),
            base.with(label: "another Θ, epoch 0: first order", w: otherW, rates: otherRates),
            base.with(label: "another Θ, epoch E: second order", w: otherW, rates: otherRates, epoch: switchEpoch),
            base.with(label: "other tasks, epoch 0: first order", tasks: otherTasks),
            base.with(label: "other tasks, epoch E: second order", tasks: otherTasks, epoch: switchEpoch),
            base.with(label: "an objective of one inner step, epoch 0: first order", rates: [base.rates[0]]),
            base.with(label: "an objective of one inner step, epoch E: second order", rates: [base.rates[0]], epoch: switchEpoch),
        ]
        if cases.allSatisfy(\.separatesOrders) { return ([switchEpoch, otherSwitch, 0], cases) }
    }
}

/// Checks one `metaGradient` result: the order it reports, the mean loss, and the mean gradient of
/// w and of every rate against the closed form of the epoch's order.
func judgeMetaGradient(_ orderCase: OrderCase, _ report: Record, label: String, into judgement: inout Judgement) {
    judgement.inputs = orderCase.description
    let expected = orderCase.expected
    let orderName = orderCase.secondOrder ? "second" : "first"
    let reportedOrder = try? report.text("order")
    judgement.require(reportedOrder == orderName, "\(label): metaGradient should report the \(orderName) order it used at this epoch.",
                      expected: orderName, actual: reportedOrder ?? "nothing")
    // Closed forms against a few autodiff operations in double precision: about 1e-15 apart.
    judgement.close((try? report.number("loss")) ?? .nan, expected.loss, within: 1e-10,
                    "\(label): metaGradient's loss should be the mean over the tasks of the objective.")
    let gradient = (try? report.parameters("gradient")) ?? Parameters()
    judgement.require(gradient.names == orderCase.meta.names, "\(label): metaGradient's gradient should hold one tensor per meta-parameter, named like Θ.",
                      expected: "\(orderCase.meta.names)", actual: "\(gradient.names)")
    guard gradient.names == orderCase.meta.names, gradient.require("w").scalarCount == orderCase.w.count,
          gradient.tensors.dropFirst().allSatisfy({ $0.scalarCount == 1 }) else { return }
    judgement.close(gradient.require("w").scalars, expected.w, within: 1e-10, orderCase.secondOrder
                    ? "\(label): the gradient of w should be the mean over the tasks of the exact meta-gradient, through the inner gradients (q ⊙ Πₖ(1 − αₖ s))."
                    : "\(label): the gradient of w should be the mean over the tasks of the first-order meta-gradient, the inner gradients held constant (q).")
    judgement.close(gradient.tensors.dropFirst().map { $0.scalars[0] }, expected.rates, within: 1e-10, orderCase.secondOrder
                    ? "\(label): every learned rate should get the mean over the tasks of its exact gradient."
                    : "\(label): every learned rate should get the mean over the tasks of its gradient in this first-order epoch too, "
                        + "−⟨∂L/∂φᵏ, ∇L_sup(φᵏ⁻¹)⟩ with the inner gradients held constant (not zero).")
}
