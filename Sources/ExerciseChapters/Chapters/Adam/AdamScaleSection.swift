import Autodiff
import Notebook
import Plots
import ScaleInvariance

extension AdamChapter {
    /// θ₀ … θ_T of the student's Adam (α, β₁ = 0.9, β₂ = 0.999, ε) on `scale` · J from the start.
    func yourAdamPath(_ adamStep: @escaping AdamStepFunction, learningRate: Double, epsilon: Double, scale: Double, steps: Int) throws -> [[Double]] {
        let adam = try Adam(learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: epsilon)
        var theta: Parameters = ["θ": Tensor(Self.start)]
        var state = AdamState(zerosLike: theta)
        var points = [Self.start]
        for _ in 0..<steps {
            theta = try adamStep(adam, theta, grad { scale * Self.bowl($0) }(theta), &state).detached()
            points.append(theta.require("θ").scalars)
        }
        return points
    }

    /// The student's iterate gap between Adam on J and on C·J, over scales and dampings.
    func scaleSection(_ book: Notebook, _ gate: ExerciseGate, steps: Int) throws {
        book.section("Scaling the loss")
        try book.paragraph("Multiply the loss by $C > 0$. Gradient descent would take steps $C$ times as long; Adam with "
            + "$\\epsilon_A = 0$ visits exactly the same points (proving it is the written part of the exercise). With "
            + "$\\epsilon_A > 0$ the invariance breaks where $C\\sqrt{v_t}$ is not large against $\\epsilon_A$. Your "
            + "`largestIterateGap`, with your Adam, measures")
        try book.math("\\max_{t \\le T, \\, i} \\left| \\theta_{t,i} - \\tilde\\theta_{t,i} \\right|, \\qquad \\theta: \\text{Adam on } J, \\quad \\tilde\\theta: \\text{Adam on } C J")
        let functions = self.functions
        let scales = [1e-4, 1e-2, 1e2], epsilons = [0.0, 1e-8, 1e-4]
        let checks = [ScaleInvarianceChecks.step(functions.adamStep), ScaleInvarianceChecks.gap(functions.largestIterateGap)]
        guard let measured = try gate.run(checks, doing: "measuring iterate gaps", { () -> ([[Double]], [[[Double]]]) in
            let gaps = try scales.map { scale in
                try epsilons.map { epsilon in
                    let adam = try Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: epsilon)
                    return try finite(try functions.largestIterateGap(Self.bowl, scale, ["θ": Tensor(Self.start)], adam, steps),
                                      "the gap for C = \(scale), ε = \(epsilon)")
                }
            }
            let paths = try [(1.0, 0.0), (1e-4, 0.0), (1e-4, 1e-4)].map { scale, epsilon in
                try yourAdamPath(functions.adamStep, learningRate: 0.1, epsilon: epsilon, scale: scale, steps: steps)
            }
            return (gaps, paths)
        }) else { return }
        var rows: [[TableCell]] = []
        for (i, scale) in scales.enumerated() {
            var row: [TableCell] = [.text(NumberText.format(scale, digits: 1))]
            for j in epsilons.indices {
                try book.record("scale_gap_c\(i)_eps\(j)", measured.0[i][j], digits: 3)
                row.append(.metric("scale_gap_c\(i)_eps\(j)"))
            }
            rows.append(row)
        }
        try book.table(ResultTable(header: ["$C$"] + epsilons.map { "$\\epsilon_A = $ " + NumberText.format($0, digits: 1) }, rows: rows,
                                   caption: "Your `largestIterateGap` with your Adam (α = 0.1, β₁ = 0.9, β₂ = 0.999), \(steps) steps from (−4, 3)."))
        var figure = try Self.bowlFigure(title: "Your Adam on J and on 10⁻⁴·J")
        for ((label, width, dash), path) in zip([("J, ε = 0", 4.0, LineDash.solid), ("10⁻⁴·J, ε = 0", 1.6, .dashed),
                                                 ("10⁻⁴·J, ε = 10⁻⁴", 1.6, .solid)], measured.1) {
            try figure.addLine(x: path.map { $0[0] }, y: path.map { $0[1] }, label: label, width: width, dash: dash)
        }
        try book.figure(figure, name: "scale-invariance", caption: "With ε = 0 the dashed path should lie on the thick one; with "
            + "ε = 10⁻⁴ the scaled run creeps, since ε is as large as its gradients.")
    }
}
