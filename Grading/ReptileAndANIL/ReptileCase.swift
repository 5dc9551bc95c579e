import Autodiff
import GradingRuntime

/// One input of `reptileStep` or `reptileBatchedStep`: φ, the tasks (one for the serial step),
/// the inner loop (k steps of size α) and the outer step size (ε or β).
struct ReptileCase {
    /// What the case changes, for feedback.
    let label: String
    /// φ, the initialisation.
    let start: Parameters
    /// The tasks, in the order they are passed.
    let tasks: [QuadraticTask]
    /// k.
    let steps: Int
    /// α.
    let stepSize: Double
    /// ε (serial) or β (batched).
    let outerStepSize: Double

    /// The serial cases: a drawn one (k from 1 to 4, ε in [0.1, 0.9]), then the same with another
    /// φ, k, α, ε or task, one at a time.
    static func serialCases(_ random: inout SeededGenerator) -> [ReptileCase] {
        let start = drawStart(&random)
        let inner = drawInnerLoop(&random, steps: 1...4)
        let base = ReptileCase(label: "a drawn case", start: start, tasks: [QuadraticTask.draw(like: start, &random)],
                               steps: inner.steps, stepSize: inner.stepSize, outerStepSize: random.rounded(0.1, 0.9, digits: 2))
        return base.changingEachArgument(&random, outer: { $0.rounded(0.1, 0.9, digits: 2) }, taskChange: "another task") { cases, random in
            [QuadraticTask.draw(like: cases.start, &random)]
        }
    }

    /// The batched cases: a drawn one (2 to 4 tasks, k from 1 to 3, β in [0.2, 1]), then the same
    /// with another φ, k, α, β, one task replaced, and one task more.
    static func batchedCases(_ random: inout SeededGenerator) -> [ReptileCase] {
        let start = drawStart(&random)
        let inner = drawInnerLoop(&random, steps: 1...3)
        let tasks = (0..<random.int(in: 2...4)).map { _ in QuadraticTask.draw(like: start, &random) }
        let base = ReptileCase(label: "a drawn case", start: start, tasks: tasks, steps: inner.steps, stepSize: inner.stepSize,
                               outerStepSize: random.rounded(0.2, 1, digits: 2))
        var cases = base.changingEachArgument(&random, outer: { $0.rounded(0.2, 1, digits: 2) }, taskChange: "one task replaced") { base, random in
            var tasks = base.tasks
            tasks[random.int(below: tasks.count)] = QuadraticTask.draw(like: base.start, &random)
            return tasks
        }
        cases.append(base.with(label: "one task more", tasks: base.tasks + [QuadraticTask.draw(like: start, &random)]))
        return cases
    }

    /// This case, then copies with another φ, k, α, outer step size and tasks (one change each).
    func changingEachArgument(_ random: inout SeededGenerator, outer: (inout SeededGenerator) -> Double, taskChange: String,
                              tasks newTasks: (ReptileCase, inout SeededGenerator) -> [QuadraticTask]) -> [ReptileCase] {
        var otherSteps = random.int(in: 1...4)
        while otherSteps == steps { otherSteps = random.int(in: 1...4) }
        var otherStepSize = random.rounded(0.05, 0.3)
        while otherStepSize == stepSize { otherStepSize = random.rounded(0.05, 0.3) }
        var otherOuter = outer(&random)
        while otherOuter == outerStepSize { otherOuter = outer(&random) }
        let moved = start.map { tensor in tensor + Tensor.zeros(tensor.shape).redrawn { random.rounded(0.5, 1.5, digits: 2) } }
        return [self,
                with(label: "another φ", start: moved),
                with(label: "another k", steps: otherSteps),
                with(label: "another α", stepSize: otherStepSize),
                with(label: "another outer step size", outerStepSize: otherOuter),
                with(label: taskChange, tasks: newTasks(self, &random))]
    }

    /// A copy with the given fields replaced.
    func with(label: String, start: Parameters? = nil, tasks: [QuadraticTask]? = nil, steps: Int? = nil, stepSize: Double? = nil,
              outerStepSize: Double? = nil) -> ReptileCase {
        ReptileCase(label: label, start: start ?? self.start, tasks: tasks ?? self.tasks, steps: steps ?? self.steps,
                    stepSize: stepSize ?? self.stepSize, outerStepSize: outerStepSize ?? self.outerStepSize)
    }

    /// W_i = U^k_i(φ) for every task, in closed form.
    var adapted: [Parameters] { tasks.map { $0.adapted(start, steps: steps, stepSize: stepSize) } }

    /// φ + s · (1/n) Σᵢ (W_i − φ) with s the outer step size (the serial update when n = 1), element by element.
    var expected: Parameters {
        let adapted = self.adapted
        return Parameters(start.names.map { name in
            let phi = start.require(name).scalars
            let moves = phi.indices.map { index in adapted.reduce(0) { $0 + ($1.require(name).scalars[index] - phi[index]) } }
            return (name, Tensor(shape: start.require(name).shape,
                                 scalars: zip(phi, moves).map { $0 + outerStepSize * $1 / Double(tasks.count) }))
        })
    }

    /// The case as the probe receives it.
    var record: Record {
        ["label": .text(label), "start": .of(start), "tasks": .list(tasks.map { .record($0.record) }), "steps": .integer(steps),
         "stepSize": .number(stepSize), "outerStepSize": .number(outerStepSize)]
    }

    /// The case read back.
    init(_ record: Record) throws {
        self.init(label: try record.text("label"), start: try record.parameters("start"),
                  tasks: try record.recordList("tasks").map(QuadraticTask.init), steps: try record.integer("steps"),
                  stepSize: try record.number("stepSize"), outerStepSize: try record.number("outerStepSize"))
    }

    /// A case from its parts.
    init(label: String, start: Parameters, tasks: [QuadraticTask], steps: Int, stepSize: Double, outerStepSize: Double) {
        (self.label, self.start, self.tasks, self.steps, self.stepSize, self.outerStepSize) = (label, start, tasks, steps, stepSize, outerStepSize)
    }

    /// The case in words, `outerName` naming the outer step size (ε or β).
    func description(outerName: String) -> String {
        let tasks = self.tasks.enumerated().map { index, task in self.tasks.count == 1 ? task.description : "task \(index + 1): \(task.description)" }
        return "φ: \(describe(start)); k = \(steps), α = \(Rendering.number(stepSize)), \(outerName) = \(Rendering.number(outerStepSize)); "
            + tasks.joined(separator: "; ")
    }
}
