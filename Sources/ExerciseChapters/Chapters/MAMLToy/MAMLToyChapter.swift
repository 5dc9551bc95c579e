import Autodiff
import Foundation
import MAMLTraining
import Notebook

/// The first homework's MAML question on the student's own code: one gradient step and the
/// derivative through it, the meta-objective through K steps, then meta-training on random step
/// functions and the learned initialization adapting to a new one.
public struct MAMLToyChapter: Chapter {
    /// `maml-toy`.
    public let id = "maml-toy"
    /// The page heading.
    public let title = "MAML on piecewise-constant functions, with your code"
    /// One line for the list.
    public let summary = "Your gdStep, MetaObjective and trainMAML: a step and its derivative, the meta-objective, meta-training on step functions."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// c, the curvature of the quadratic costs ½c(θ − t)² of the first two sections.
    static let curvature = 4.0

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        try stepSection(book, gate)
        try objectiveSection(book, gate)
        let trained = try trainingSection(book, gate)
        try adaptationSection(book, gate, trained: trained)
    }

    /// One gradient step on ½cθ², and the derivative of the cost after it.
    func stepSection(_ book: Notebook, _ gate: ExerciseGate) throws {
        book.section("One gradient step, and its derivative")
        try book.paragraph("Everything MAML does is built from one step of gradient descent, taken with `gdStep`:")
        try book.math("\\theta' = \\theta - \\eta \\nabla \\mathrm{cost}(\\theta)")
        try book.paragraph("MAML then differentiates *through* that step. For the cost $\\frac{1}{2} c \\theta^2$ the step gives "
            + "$\\theta' = (1 - \\eta c)\\theta$, so the derivative of the cost after the step is")
        try book.math("\\frac{d}{d\\theta} \\frac{1}{2} c \\theta'^2 = c (1 - \\eta c)^2 \\theta")
        try book.paragraph("The table runs your step on $c = 4$ from $\\theta = 3$ and asks `grad` for that derivative. "
            + "A step that treats its gradient as a constant would give $c(1 - \\eta c)\\theta$ instead.")
        let c = Self.curvature
        let cost = { (p: Parameters) in 0.5 * c * (p.require("θ") * p.require("θ")).sum() }
        let rates = [0.05, 0.1, 0.15, 0.2]
        let gdStep = functions.gdStep
        guard let results = try gate.run(functions.stepChecks, doing: "stepping on ½cθ²", {
            try rates.map { eta -> (Double, Double) in
                let (_, gradient) = try valueAndGradient(throwing: { cost(try gdStep(cost, $0, eta)) }, at: ["θ": Tensor([3.0])])
                let next = try gdStep(cost, ["θ": Tensor([3.0])], eta).require("θ").scalar
                return (try finite(next, "θ' for η = \(eta)"), try finite(gradient.require("θ").scalar, "the derivative for η = \(eta)"))
            }
        }) else { return }
        var rows: [[TableCell]] = []
        for (index, (eta, result)) in zip(rates, results).enumerated() {
            try book.record("step_\(index)_theta", result.0)
            try book.record("step_\(index)_derivative", result.1)
            rows.append([.text(NumberText.short(eta)), .metric("step_\(index)_theta"), .metric("step_\(index)_derivative"),
                         .value(c * Foundation.pow(1 - eta * c, 2) * 3, digits: 3)])
        }
        try book.table(ResultTable(header: ["$\\eta$", "$\\theta'$ (your step)", "derivative through your step", "$c(1 - \\eta c)^2 \\theta$"],
                                   rows: rows, caption: "Cost $2\\theta^2$ ($c = 4$) from $\\theta = 3$."))
    }

    /// The meta-objective of a quadratic task through K = 0 … 5 steps, value and derivative.
    func objectiveSection(_ book: Notebook, _ gate: ExerciseGate) throws {
        book.section("The meta-objective through K steps")
        try book.paragraph("MAML scores a starting point by the cost *after* K inner steps:")
        try book.math("\\theta_0 = \\theta, \\quad \\theta_{k+1} = \\theta_k - \\eta \\nabla L(\\theta_k), \\quad \\mathrm{meta}(\\theta) = L(\\theta_K)")
        try book.paragraph("For $L = \\frac{1}{2} c (w - t)^2$ every step multiplies $w - t$ by $1 - \\eta c$, so "
            + "$\\mathrm{meta}(w) = \\frac{1}{2} c (1 - \\eta c)^{2K} (w - t)^2$ and its derivative is $c (1 - \\eta c)^{2K} (w - t)$: "
            + "the gradient of a gradient, which `grad` finds by differentiating your steps. Here $c = 4$, $t = 1$, $w = 2$, $\\eta = 0.1$, "
            + "your `MetaObjective` taking its steps with your `gdStep`.")
        let c = Self.curvature
        let cost = { (p: Parameters) in 0.5 * c * ((p.require("w") - 1) * (p.require("w") - 1)).sum() }
        let functions = self.functions
        guard let results = try gate.run(functions.objectiveChecks, doing: "evaluating MetaObjective", {
            try (0...5).map { steps -> (Double, Double) in
                let (value, gradient) = try valueAndGradient(throwing: { try functions.metaObjective(cost, $0, steps, 0.1, functions.gdStep) },
                                                             at: ["w": Tensor([2.0])])
                return (try finite(value.scalar, "meta(w) for K = \(steps)"), try finite(gradient.require("w").scalar, "its derivative"))
            }
        }) else { return }
        var rows: [[TableCell]] = []
        for (steps, result) in results.enumerated() {
            try book.record("meta_objective_k\(steps)", result.0)
            try book.record("meta_gradient_k\(steps)", result.1)
            rows.append([.text("\(steps)"), .metric("meta_objective_k\(steps)"), .metric("meta_gradient_k\(steps)"),
                         .value(c * Foundation.pow(1 - 0.1 * c, 2 * Double(steps)), digits: 3)])
        }
        try book.table(ResultTable(header: ["K", "meta(w), yours", "d meta / dw, yours", "$c(1 - \\eta c)^{2K}(w - t)$"], rows: rows,
                                   caption: "Each step shrinks $w - t$ by the factor 0.6, so both columns fall by 0.36 per step."))
    }
}
