import ArgumentParser
import Autodiff
import GraphDiagrams

/// What `workbook graph` was asked to draw: a preset or a formula, and at which level of detail.
struct GraphFigure {
    /// The figures the command knows.
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case gradOfGrad = "grad-of-grad", maml, adamStep = "adam-step", expr, custom
    }

    /// How much of the graph to draw.
    enum View: String, ExpressibleByArgument, CaseIterable {
        /// Every operation, or the overview when a slide is asked for and the full graph is not legible on it.
        case auto
        /// Every operation.
        case full
        /// One box per scope and derivative order (for MAML, per part of each inner step).
        case overview
    }

    let preset: Preset
    let expression: String?
    let steps: Int
    let firstOrder: Bool
    let step: Int?
    let order: Int
    let values: [String]
    let view: View
    let options: DiagramOptions

    var isExpression: Bool { preset == .expr || preset == .custom }

    /// Checks that every flag given belongs to the figure; each error names the flag and the value.
    func validate() throws {
        if isExpression {
            guard let expression, !expression.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("\(preset.rawValue) needs a formula, for example: workbook graph expr \"sin(x)*exp(x)\" --order 2 --out d.svg")
            }
        } else if let expression {
            throw ValidationError("\(preset.rawValue) takes no formula (got \"\(expression)\"); use: workbook graph expr \"\(expression)\"")
        }
        if preset != .maml {
            if steps != 1 { throw ValidationError("--steps is for the maml figure, not \(preset.rawValue)") }
            if firstOrder { throw ValidationError("--first-order is for the maml figure, not \(preset.rawValue)") }
            if step != nil { throw ValidationError("--step is for the maml figure, not \(preset.rawValue)") }
        }
        if !isExpression {
            if order != 1 { throw ValidationError("--order is for expr, not \(preset.rawValue)") }
            if !values.isEmpty { throw ValidationError("--at is for expr, not \(preset.rawValue)") }
        }
        if preset == .maml, !(1...5).contains(steps) { throw ValidationError("--steps must be 1 to 5, got \(steps)") }
        if let step, !(1...steps).contains(step) {
            throw ValidationError("--step must be one of the inner steps 1 to \(steps), got \(step)")
        }
        if step != nil, view == .overview { throw ValidationError("--step draws one inner step in full; leave out --view overview") }
        if isExpression, !(0...5).contains(order) { throw ValidationError("--order must be 0 to 5, got \(order)") }
    }

    /// Whether the figure is one inner step of MAML in full.
    var isStepDetail: Bool { preset == .maml && step != nil }

    /// The full diagram, or the one inner step asked for.
    func fullDiagram() throws -> Diagram {
        switch preset {
        case .gradOfGrad:
            return DiagramPresets.gradOfGrad(options: options)
        case .adamStep:
            return DiagramPresets.adamStep(options: options)
        case .maml:
            if let step { return try DiagramPresets.mamlStep(step, of: steps, firstOrder: firstOrder, options: options) }
            return try DiagramPresets.maml(steps: steps, firstOrder: firstOrder, options: options)
        case .expr, .custom:
            var assigned: [String: Tensor] = [:]
            for text in values {
                let (name, value) = try DiagramPresets.assignment(text)
                assigned[name] = value
            }
            return try DiagramPresets.expression(expression ?? "", order: order, at: assigned, options: options)
        }
    }

    /// Whether the overview splits the backward passes by the step they run back through (MAML).
    var splitsBackwardPasses: Bool { preset == .maml }

    /// The overview: MAML's per-step view, or one box per scope and pass for the others.
    func overviewDiagram() throws -> Diagram {
        let full = try fullDiagram()
        return options.title == nil ? full.titledOverview(splitBackwardPasses: splitsBackwardPasses)
            : full.overview(splitBackwardPasses: splitsBackwardPasses)
    }
}
