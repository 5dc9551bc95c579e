import Autodiff
import Foundation
import GraphDiagrams
import Plots

/// Grad of grad: f(x) = sin(x)·x, its first and second derivatives by differentiating the
/// recorded backward pass, checked against the closed forms, and the graphs by derivative order.
public struct AutodiffChapter: Chapter {
    /// `autodiff`.
    public let id = "autodiff"
    /// The page heading.
    public let title = "Grad of grad: differentiating a derivative"
    /// One line for the list.
    public let summary = "f(x) = sin(x)·x, f′ and f″ by reverse mode run twice; the graphs of each derivative order."

    /// The chapter.
    public init() {}

    /// f(x) = sin(x)·x.
    static func f(_ x: Double) -> Double { Foundation.sin(x) * x }
    /// f′(x) = cos(x)·x + sin(x).
    static func firstDerivative(_ x: Double) -> Double { Foundation.cos(x) * x + Foundation.sin(x) }
    /// f″(x) = 2cos(x) − x·sin(x).
    static func secondDerivative(_ x: Double) -> Double { 2 * Foundation.cos(x) - x * Foundation.sin(x) }

    /// f, f′ and f″ at each point of `xs`, by autodiff: the gradient of Σf(xᵢ) is f′ at every xᵢ
    /// (each term depends on its own xᵢ only), and the gradient of Σf′(xᵢ), taken on the recorded
    /// first backward pass, is f″.
    static func derivativesByAutodiff(at xs: [Double]) -> (f: [Double], first: [Double], second: [Double]) {
        let x = Tensor(xs).variable(named: "x")
        let y = sin(x) * x
        let dy = gradients(of: y.sum(), wrt: [x], createGraph: true)[0]
        let ddy = gradients(of: dy.sum(), wrt: [x], createGraph: false)[0]
        return (y.scalars, dy.scalars, ddy.scalars)
    }

    /// How many arrows of the full graph an overview's arrows from inner step 1 into the
    /// meta-gradient's box for that step stand for.
    static func secondOrderReads(_ overview: Diagram) -> Int {
        let step = Set(overview.nodes.filter { $0.scopePath == ["inner step 1"] }.map(\.id))
        let back = Set(overview.nodes.filter { $0.name == "through\ninner step 1" }.map(\.id))
        return overview.edges.filter { step.contains($0.from) && back.contains($0.to) }.reduce(0) { $0 + $1.count }
    }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        book.section("A function, its derivative, and the derivative of that")
        try book.paragraph("Reverse mode records every operation of a computation and then walks the record backwards to get "
            + "the gradient. In our `Autodiff` module the backward pass is itself made of ordinary tensor operations, so "
            + "when it runs with recording on it leaves a second record behind: a graph that computes the derivative. "
            + "Walking *that* graph backwards gives the second derivative. This is all MAML needs: its meta-gradient "
            + "differentiates through inner gradient steps.")
        try book.paragraph("Our example is a function whose derivatives we also know by hand:")
        try book.math("f(x) = \\sin(x) \\cdot x")
        try book.math("f'(x) = \\cos(x) \\cdot x + \\sin(x)")
        try book.math("f''(x) = 2\\cos(x) - x \\sin(x)")
        book.code("""
            let x = Tensor([0.5, 1, 2]).variable(named: "x")
            let y = sin(x) * x                                                  // f, recorded
            let dy = gradients(of: y.sum(), wrt: [x], createGraph: true)[0]     // f′, and its graph
            let ddy = gradients(of: dy.sum(), wrt: [x])[0]                      // f″ from f′'s graph
            """)
        try book.paragraph("Summing before differentiating is a small trick: each term of $\\sum_i f(x_i)$ depends on its own "
            + "$x_i$ only, so one gradient gives $f'(x_i)$ at every point at once.")

        let points = [-2.0, -1, 0, 0.5, 1, 2, Double.pi]
        let computed = Self.derivativesByAutodiff(at: points)
        var rows: [[TableCell]] = []
        var firstError = 0.0, secondError = 0.0
        for (i, x) in points.enumerated() {
            firstError = max(firstError, abs(computed.first[i] - Self.firstDerivative(x)))
            secondError = max(secondError, abs(computed.second[i] - Self.secondDerivative(x)))
            rows.append([.text(i == points.count - 1 ? "$\\pi$" : NumberText.format(x, digits: 1)), .value(computed.f[i], digits: 6),
                         .value(computed.first[i], digits: 6), .value(Self.firstDerivative(x), digits: 6),
                         .value(computed.second[i], digits: 6), .value(Self.secondDerivative(x), digits: 6)])
        }
        try book.table(ResultTable(header: ["$x$", "$f(x)$", "$f'$ autodiff", "$f'$ closed form", "$f''$ autodiff", "$f''$ closed form"],
                                   rows: rows, caption: "Double precision; the closed forms are the formulas above."))
        try book.keyNumbers([("max_error_first_derivative", "largest |autodiff − closed form| for $f'$", firstError),
                             ("max_error_second_derivative", "largest |autodiff − closed form| for $f''$", secondError)], digits: 2)

        let grid = (0...240).map { -6 + 12 * Double($0) / 240 }
        let curves = Self.derivativesByAutodiff(at: grid)
        var figure = Figure(title: "f(x) = sin(x)·x and its first two derivatives (all by autodiff)", xLabel: "x", yLabel: "value")
        try figure.addLine(x: grid, y: curves.f, label: "f")
        try figure.addLine(x: grid, y: curves.first, label: "f′")
        try figure.addLine(x: grid, y: curves.second, label: "f″", dash: .dashed)
        figure.legendPlacement = .bottomLeft
        try book.figure(figure, name: "derivatives", caption: "Where $f'$ crosses zero, $f$ has a peak or a valley; where $f''$ does, $f'$ does.")

        book.section("The graph of each derivative order")
        try book.paragraph("Here is everything recorded for one point, $x = 0.5$. Operations of the function itself are "
            + "derivative order 0; those the first backward pass recorded are order 1; those of the second backward pass, "
            + "which ran over the order-1 graph, are order 2. The clusters, colours and borders follow the order.")
        let gradOfGrad = DiagramPresets.gradOfGrad()
        try book.diagram(gradOfGrad, name: "grad-of-grad", title: "f, f′ and f″ at x = 0.5, by derivative order",
                         caption: "Each box is one recorded operation and each arrow a tensor passed on. Fill and border tell the pass: "
                             + "a dashed border for the first backward pass, a heavy one for the second, so the orders stay apart in greyscale too.")
        let counts = gradOfGrad.nodeCounts()
        let orders = counts.keys.sorted()
        for order in orders { try book.record("nodes_order_\(order)", Double(counts[order]!)) }
        try book.table(ResultTable(header: ["derivative order", "recorded variables and operations"],
                                   rows: orders.map { [.text(String($0)), .metric("nodes_order_\($0)")] },
                                   caption: "The second backward pass works on a graph that already holds the first, so it is the largest."))

        book.section("MAML through the same lens")
        try book.paragraph("MAML's inner loop takes gradient steps, $\\theta_1 = \\theta_0 - \\alpha \\nabla \\mathcal{L}_{\\text{support}}(\\theta_0)$, "
            + "and its meta-gradient differentiates the query loss at $\\theta_1$ with respect to $\\theta_0$. Exactly as with "
            + "$f''$, that means a backward pass over a graph containing a backward pass. First-order MAML treats the inner "
            + "gradient as a constant, so the meta-gradient never enters the inner backward pass.")
        try book.math("\\nabla_{\\theta_0} \\mathcal{L}_{\\text{query}}(\\theta_1) = \\left(I - \\alpha \\nabla^2 \\mathcal{L}_{\\text{support}}(\\theta_0)\\right) \\nabla \\mathcal{L}_{\\text{query}}(\\theta_1)")
        var totals: [Bool: Int] = [:]
        for firstOrder in [false, true] {
            let maml = try DiagramPresets.maml(steps: 1, firstOrder: firstOrder)
            totals[firstOrder] = maml.nodeCounts().values.reduce(0, +)
            let overview = maml.titledOverview()
            if !firstOrder { try book.record("maml_second_order_reads", Double(Self.secondOrderReads(overview)), digits: 3) }
            try book.diagram(maml, name: firstOrder ? "maml-first-order" : "maml-second-order",
                             title: firstOrder ? "First-order MAML, one inner step" : "MAML (second order), one inner step",
                             caption: (firstOrder ? "The inner gradient is used as a number: no backward pass runs through it, "
                                 + "and the meta-gradient only goes back through the query loss."
                                 : "The meta-gradient runs back through the inner step's gradient: the Hessian term. "
                                 + "The arrow marked ×@{maml_second_order_reads} stands for the arrows from the inner step's operations into "
                                 + "that backward pass: what it reads of the step.")
                                 + " Each box stands for one part of the computation and says how many operations it holds.",
                             overview: overview)
        }
        try book.keyNumbers([("maml_nodes_second_order", "operations recorded, second-order MAML (1 step)", Double(totals[false]!)),
                             ("maml_nodes_first_order", "operations recorded, first-order MAML (1 step)", Double(totals[true]!))])
        try book.paragraph("The difference, @{maml_nodes_second_order} against @{maml_nodes_first_order} operations for a tiny "
            + "network and a single step, grows with every inner step; the sine-wave chapter measures what it costs in time and memory.")
    }
}
