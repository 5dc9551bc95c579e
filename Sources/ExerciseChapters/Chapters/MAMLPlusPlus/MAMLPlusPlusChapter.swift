import Autodiff
import MAMLPlusPlus
import Notebook
import Plots

/// The MAML++ extra credit on the student's code: the schedules they wrote, then a short run of
/// MAML++ against first-order MAML, both built from their pieces, over a few seeds.
public struct MAMLPlusPlusChapter: Chapter {
    /// `maml-plus-plus`.
    public let id = "maml-plus-plus"
    /// The page heading.
    public let title = "MAML++, with your code"
    /// One line for the list.
    public let summary = "Your importance weights, cosine rate and order schedule; MAML++ against first-order MAML over seeds, from your pieces."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let budget = StabilityBudget(book)
        book.section("Four changes to MAML")
        try book.paragraph("MAML++ keeps MAML's inner and outer loops and changes four things. *Learned rates*: each parameter tensor "
            + "$n$ gets its own inner step size at each step, learned with $\\theta$:")
        try book.math("\\phi^k_n = \\phi^{k-1}_n - \\alpha_{n,k} \\nabla_n \\mathcal{L}(\\phi^{k-1}, \\mathcal{D}^{\\text{sup}})")
        try book.paragraph("*The multi-step loss* scores the query set after every inner step, with weights that move onto the last "
            + "step over $E$ epochs:")
        try book.math("\\mathcal{L}_{\\text{msl}} = \\sum_{k=1}^{K} w_k(e) \\, \\mathcal{L}(\\phi^k, \\mathcal{D}^{\\text{query}})")
        try book.math("v(e) = \\max\\left(\\frac{1}{K} - \\frac{e}{K E}, \\text{floor}\\right), \\qquad w_k(e) = v(e) \\quad (k < K), \\qquad w_K(e) = 1 - (K - 1) \\, v(e)")
        try book.paragraph("*A cosine outer rate* falls from $\\beta_0$ to $\\beta_{\\min}$ over $T$ epochs, and *derivative-order "
            + "annealing* uses first-order meta-gradients for the first epochs and exact ones after:")
        try book.math("\\beta(e) = \\beta_{\\min} + (\\beta_0 - \\beta_{\\min}) \\frac{1 + \\cos(\\pi \\min(e, T) / T)}{2}")
        try scheduleSection(book, gate, epochs: budget.iterations)
        try stabilitySection(book, gate, budget: budget)
    }

    /// The student's three schedules over a run of `epochs` epochs.
    func scheduleSection(_ book: Notebook, _ gate: ExerciseGate, epochs: Int) throws {
        book.section("Your schedules")
        let schedules = try StabilityBudget.schedules(epochs: epochs, steps: 5)
        try book.paragraph("For a run of T = \(epochs) epochs with K = 5 inner steps: the weights anneal over E = "
            + "\(schedules.multiStepLoss.annealEpochs) epochs, the outer rate falls from \(schedules.outerRate.initial) to "
            + "\(schedules.outerRate.minimum), and the first \(schedules.order.firstOrderEpochs) epochs are first order.")
        let functions = self.functions
        guard let curves = try gate.run(functions.scheduleChecks, doing: "evaluating your schedules", { () -> ([[Double]], [Double], Int) in
            let epochsShown = Array(0...epochs)
            let weights = try epochsShown.map { try functions.importanceWeights($0, schedules.multiStepLoss) }
            let rates = try epochsShown.map { try finite(try functions.outerLearningRate($0, schedules.outerRate), "β at epoch \($0)") }
            let switchEpoch = try epochsShown.first { try functions.derivativeOrder($0, schedules.order) == .second } ?? epochs + 1
            return (weights, rates, switchEpoch)
        }) else { return }
        let x = (0...epochs).map(Double.init)
        var weightFigure = Figure(title: "Importance weights wₖ(e)", xLabel: "epoch", yLabel: "weight", width: 420)
        for k in 0..<5 { try weightFigure.addLine(x: x, y: curves.0.map { $0[k] }, label: "k = \(k + 1)") }
        var rateFigure = Figure(title: "Outer rate β(e)", xLabel: "epoch", yLabel: "β", width: 420)
        try rateFigure.addLine(x: x, y: curves.1, label: "β")
        rateFigure.addVerticalLine(x: Double(curves.2), label: "second order from here")
        (weightFigure.legendPlacement, rateFigure.legendPlacement) = (.topLeft, .topRight)
        try book.figure(FigureGrid(columns: 2, title: "Your schedules", figures: [weightFigure, rateFigure]), name: "schedules",
                        caption: "Left: the non-final weights fall to the floor while the last one rises to nearly 1. Right: the cosine "
                            + "rate, and the epoch where your `derivativeOrder` switches to second order.")
        try book.keyNumbers([("second_order_from_epoch", "first epoch your `derivativeOrder` makes second order", Double(curves.2))], digits: 4)
    }
}
