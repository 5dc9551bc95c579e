import Autodiff
import Foundation
import NeuralNetworks
import Plots

/// The first homework's Adam question: Adam beside RMSprop and momentum on one 2-D loss, the
/// settings that make Adam equal (or nearly equal) to each, and its invariance to loss scale.
public struct AdamChapter: Chapter {
    /// `adam`.
    public let id = "adam"
    /// The page heading.
    public let title = "Adam, RMSprop and momentum"
    /// One line for the list.
    public let summary = "Trajectories on one 2-D bowl; Adam as RMSprop (β₁ = 0) and as momentum (large ε); scale invariance when ε = 0."

    /// The chapter.
    public init() {}

    /// The loss J(θ) = ½ θᵀAθ with A = R diag(λ₁, λ₂) Rᵀ: a bowl whose long axis is tilted by `angle`.
    struct Bowl {
        let eigenvalues = (1.0, 10.0)
        let angle = Double.pi / 6
        var scale = 1.0

        /// A = R diag(λ₁, λ₂) Rᵀ, row by row.
        var matrix: [[Double]] {
            let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
            let (a, b) = eigenvalues
            return [[a * c * c + b * s * s, (a - b) * c * s], [(a - b) * c * s, a * s * s + b * c * c]]
        }

        /// C · ½ θᵀAθ as a tensor function of the parameter "θ".
        func loss(_ p: Parameters) -> Tensor {
            let theta = p.require("θ").reshaped([1, 2])
            let a = Tensor(rows: matrix)
            return scale * 0.5 * (matmul(theta, a) * theta).sum()
        }

        /// The level set J = level as a closed curve (for drawing contours).
        func contour(level: Double) -> (x: [Double], y: [Double]) {
            let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
            let (r1, r2) = ((2 * level / eigenvalues.0).squareRoot(), (2 * level / eigenvalues.1).squareRoot())
            let t = (0...120).map { 2 * Double.pi * Double($0) / 120 }
            let u = t.map { r1 * Foundation.cos($0) }, v = t.map { r2 * Foundation.sin($0) }
            return (zip(u, v).map { c * $0 - s * $1 }, zip(u, v).map { s * $0 + c * $1 })
        }
    }

    static let start = [-4.0, 3.0]

    /// θ₀, θ₁, ..., θ_T of `optimizer` on `bowl` from `start`.
    static func iterates<O: Optimizer>(_ optimizer: O, on bowl: Bowl, steps: Int) -> [[Double]] {
        var theta: Parameters = ["θ": Tensor(start)]
        var state = optimizer.initialState(for: theta)
        var path = [theta.require("θ").scalars]
        for _ in 0..<steps {
            let g = grad(bowl.loss)(theta)
            (theta, state) = optimizer.step(theta, g, state)
            theta = theta.detached()
            path.append(theta.require("θ").scalars)
        }
        return path
    }

    /// The largest coordinate difference between two paths.
    static func maxDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let steps = 150
        let bowl = Bowl()
        book.section("Three optimizers on one bowl")
        try book.paragraph("All three methods below use the gradient $g_t = \\nabla J(\\theta_{t-1})$ and differ in what they "
            + "remember. Every operation is element-wise. Adam, in the simplified form without bias correction:")
        try book.math("m_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t, \\quad v_t = \\beta_2 v_{t-1} + (1 - \\beta_2) g_t^2, \\quad \\theta_t = \\theta_{t-1} - \\alpha_A \\frac{m_t}{\\sqrt{v_t} + \\epsilon_A}")
        try book.paragraph("RMSprop divides the raw gradient by a running root mean square:")
        try book.math("v_t = \\gamma v_{t-1} + (1 - \\gamma) g_t^2, \\quad \\theta_t = \\theta_{t-1} - \\alpha_R \\frac{g_t}{\\sqrt{v_t} + \\epsilon_R}")
        try book.paragraph("Momentum keeps a velocity that averages the negative gradient:")
        try book.math("p_t = \\mu p_{t-1} - (1 - \\mu) g_t, \\quad \\theta_t = \\theta_{t-1} + \\alpha_S p_t")
        let a = bowl.matrix
        try book.paragraph("The loss is a tilted bowl, $J(\\theta) = \\frac{1}{2} \\theta^{\\top} A \\theta$ with eigenvalues 1 and 10, "
            + String(format: "so $A = ((%.3f, %.3f), (%.3f, %.3f))$", a[0][0], a[0][1], a[1][0], a[1][1])
            + ". Every method starts at $\\theta_0 = (-4, 3)$ and takes \(steps) steps.")

        let adam = Adam(learningRate: 0.1)
        let rmsprop = RMSprop(learningRate: 0.1, decay: 0.9)
        let momentum = MomentumSGD(learningRate: 0.3, momentum: 0.9)
        let paths = [("Adam (α = 0.1, β₁ = 0.9, β₂ = 0.999)", Self.iterates(adam, on: bowl, steps: steps)),
                     ("RMSprop (α = 0.1, γ = 0.9)", Self.iterates(rmsprop, on: bowl, steps: steps)),
                     ("momentum (α = 0.3, μ = 0.9)", Self.iterates(momentum, on: bowl, steps: steps))]
        var figure = Figure(title: "Trajectories on J(θ) = ½ θᵀAθ", xLabel: "θ₁", yLabel: "θ₂", width: 640, height: 480)
        for level in [0.5, 2, 8, 20] {
            let curve = bowl.contour(level: level)
            try figure.addLine(x: curve.x, y: curve.y, label: level == 0.5 ? "level sets of J" : nil, color: .lightGray, width: 1)
        }
        for (label, path) in paths {
            try figure.addLine(x: path.map { $0[0] }, y: path.map { $0[1] }, label: label, width: 1.8)
        }
        figure.legendPlacement = .outsideRight
        (figure.width, figure.height, figure.xLimits, figure.yLimits) = (860, 560, -6...6, -6...6)
        try book.figure(figure, name: "trajectories", caption: "Adam and RMSprop take steps of nearly fixed length in each "
            + "coordinate, so they head diagonally at first; momentum follows the gradient and overshoots along the steep axis.")
        for (index, key) in ["adam", "rmsprop", "momentum"].enumerated() {
            let last = paths[index].1.last!
            try book.record("final_loss_\(key)", 0.5 * (last[0] * (a[0][0] * last[0] + a[0][1] * last[1]) + last[1] * (a[1][0] * last[0] + a[1][1] * last[1])), digits: 3)
        }
        try book.table(ResultTable(header: ["method", "$J(\\theta_{\(steps)})$"],
                                   rows: [[.text("Adam"), .metric("final_loss_adam")], [.text("RMSprop"), .metric("final_loss_rmsprop")],
                                          [.text("momentum"), .metric("final_loss_momentum")]]))

        book.section("Adam with β₁ = 0 is RMSprop")
        try book.paragraph("With $\\beta_1 = 0$ the first moment forgets everything but the current gradient, $m_t = g_t$, and "
            + "Adam's update becomes RMSprop's. So $(\\alpha_A, \\beta_1, \\beta_2, \\epsilon_A) = (\\alpha_R, 0, \\gamma, \\epsilon_R)$.")
        let asRMSprop = Self.iterates(adamTakingRMSpropSteps(learningRate: 0.1, decay: 0.9, epsilon: 1e-8), on: bowl, steps: steps)
        try book.keyNumbers([("adam_as_rmsprop_max_difference",
                              "largest coordinate difference between Adam(α, 0, γ, ε) and RMSprop(α, γ, ε) over \(steps) steps",
                              Self.maxDifference(asRMSprop, paths[1].1))], digits: 3)

        book.section("Adam with a large ε is nearly momentum")
        try book.paragraph("Momentum's velocity is Adam's first moment with the sign flipped: with $\\beta_1 = \\mu$, $p_t = -m_t$. "
            + "What remains is the division by $\\sqrt{v_t} + \\epsilon_A$. When $\\epsilon_A$ is much larger than $\\sqrt{v_t}$ the "
            + "denominator is almost the constant $\\epsilon_A$, so choosing $\\alpha_A = \\alpha_S \\epsilon_A$ gives")
        try book.math("\\alpha_A \\frac{m_t}{\\sqrt{v_t} + \\epsilon_A} \\approx \\alpha_S m_t = -\\alpha_S p_t, \\quad (\\alpha_A, \\beta_1, \\beta_2, \\epsilon_A) = (\\alpha_S \\epsilon_A, \\mu, \\text{any}, \\epsilon_A \\gg \\sqrt{v_t})")
        var rows: [[TableCell]] = []
        var approach = Figure(title: "Adam → momentum as ε grows", xLabel: "ε_A", yLabel: "largest |θ_Adam − θ_momentum|")
        approach.xScale = .log10
        approach.yScale = .log10
        var xs: [Double] = [], ys: [Double] = []
        for (index, epsilon) in [1.0, 10, 100, 1000, 10000].enumerated() {
            let path = Self.iterates(Adam(learningRate: 0.3 * epsilon, beta1: 0.9, beta2: 0.999, epsilon: epsilon), on: bowl, steps: steps)
            let difference = Self.maxDifference(path, paths[2].1)
            try book.record("adam_as_momentum_difference_\(index)", difference, digits: 3)
            rows.append([.text(NumberText.format(epsilon, digits: 1)), .text(NumberText.format(0.3 * epsilon, digits: 2)),
                         .metric("adam_as_momentum_difference_\(index)")])
            xs.append(epsilon)
            ys.append(difference)
        }
        try book.table(ResultTable(header: ["$\\epsilon_A$", "$\\alpha_A = \\alpha_S \\epsilon_A$", "largest coordinate difference"],
                                   rows: rows, caption: "Against momentum with $\\alpha_S = 0.3$, $\\mu = 0.9$, over \(steps) steps."))
        try approach.addLine(x: xs, y: ys, label: "Adam(α_S ε, μ, 0.999, ε) vs momentum(α_S, μ)")
        try approach.addScatter(x: xs, y: ys)
        try book.figure(approach, name: "momentum-limit", caption: "The gap shrinks in proportion to $1/\\epsilon_A$: "
            + "the equivalence is only approximate, and exact in the limit.")

        book.section("Scaling the loss")
        try book.paragraph("Multiply the loss by a constant $C > 0$. With $\\epsilon_A = 0$, Adam passes through exactly the same "
            + "iterates. By induction on $t$: if $\\tilde\\theta_{t-1} = \\theta_{t-1}$ then")
        try book.math("\\tilde g_t = C g_t, \\quad \\tilde m_t = C m_t, \\quad \\tilde v_t = C^2 v_t, \\quad \\frac{\\tilde m_t}{\\sqrt{\\tilde v_t}} = \\frac{C m_t}{C \\sqrt{v_t}} = \\frac{m_t}{\\sqrt{v_t}}")
        try book.paragraph("so the step, and hence $\\tilde\\theta_t$, is the same. With $\\epsilon_A > 0$ the denominator "
            + "$C\\sqrt{v_t} + \\epsilon_A$ no longer scales with $C$: a small $C$ makes $\\epsilon_A$ dominate and the steps shrink.")
        let scales = [1e-4, 1e-2, 1e2]
        let epsilons = [0.0, 1e-8, 1e-4]
        var scaleRows: [[TableCell]] = []
        var worstExact = 0.0, worstDamped = 0.0
        for (i, scale) in scales.enumerated() {
            var row: [TableCell] = [.text(NumberText.format(scale, digits: 1))]
            for (j, epsilon) in epsilons.enumerated() {
                // max over t ≤ T and i of |θₜ,ᵢ − θ̃ₜ,ᵢ|, Adam on J against Adam on C·J from the same start.
                let difference = largestIterateGap(bowl.loss, scale: scale, start: ["θ": Tensor(Self.start)],
                                                   adam: Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: epsilon), steps: steps)
                if epsilon == 0 { worstExact = max(worstExact, difference) } else { worstDamped = max(worstDamped, difference) }
                try book.record("scale_difference_c\(i)_eps\(j)", difference, digits: 3)
                row.append(.metric("scale_difference_c\(i)_eps\(j)"))
            }
            scaleRows.append(row)
        }
        try book.table(ResultTable(header: ["$C$"] + epsilons.map { "$\\epsilon_A = $ " + NumberText.format($0, digits: 1) },
                                   rows: scaleRows, caption: "Largest coordinate difference between Adam on $J$ and on $C J$ "
                                       + "(α = 0.1, β₁ = 0.9, β₂ = 0.999, \(steps) steps)."))
        try book.keyNumbers([("scale_invariance_max_difference_eps0", "worst difference with $\\epsilon_A = 0$ (rounding only)", worstExact),
                             ("scale_invariance_max_difference_eps_positive", "worst difference with $\\epsilon_A > 0$", worstDamped)], digits: 3)

        var scaledBowl = bowl
        scaledBowl.scale = 1e-4
        var comparison = Figure(title: "Adam on J and on 10⁻⁴·J, ε = 10⁻⁴", xLabel: "θ₁", yLabel: "θ₂", width: 640, height: 480)
        for level in [0.5, 2, 8, 20] {
            let curve = bowl.contour(level: level)
            try comparison.addLine(x: curve.x, y: curve.y, label: level == 0.5 ? "level sets of J" : nil, color: .lightGray, width: 1)
        }
        for (label, loss, epsilon) in [("J, ε = 0", bowl, 0.0), ("10⁻⁴·J, ε = 0", scaledBowl, 0.0), ("10⁻⁴·J, ε = 10⁻⁴", scaledBowl, 1e-4)] {
            let path = Self.iterates(Adam(learningRate: 0.1, epsilon: epsilon), on: loss, steps: steps)
            try comparison.addLine(x: path.map { $0[0] }, y: path.map { $0[1] }, label: label, width: label.hasPrefix("J") ? 4 : 1.6,
                                   dash: label.hasPrefix("10⁻⁴·J, ε = 0") ? .dashed : .solid)
        }
        comparison.legendPlacement = .outsideRight
        (comparison.width, comparison.height, comparison.xLimits, comparison.yLimits) = (800, 520, -6...6, -6...6)
        try book.figure(comparison, name: "scale-invariance", caption: "With ε = 0 the dashed path lies exactly on the thick one; "
            + "with ε = 10⁻⁴ the scaled run creeps, because ε is as large as its gradients.")
    }
}
