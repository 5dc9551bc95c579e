import Autodiff
import Foundation
import Notebook
import Plots

/// The first homework's Adam questions on the student's code: their Adam beside RMSprop and
/// momentum on one bowl, their settings that turn Adam into each of the two, and their
/// demonstration that Adam with ε = 0 ignores the scale of the loss.
public struct AdamChapter: Chapter {
    /// `adam`.
    public let id = "adam"
    /// The page heading.
    public let title = "Adam, RMSprop and momentum, with your code"
    /// One line for the list.
    public let summary = "Your Adam on a 2-D bowl beside RMSprop and momentum; your settings that make Adam each of them; your scale test."
    /// The exercise functions the chapter runs.
    let functions: Functions

    /// The chapter, running `functions`.
    public init(functions: Functions) { self.functions = functions }

    /// The start of every path on the bowl.
    static let start = [-4.0, 3.0]
    /// The eigenvalues of the bowl's matrix and the angle of its long axis.
    static let eigenvalues = (1.0, 10.0), angle = Double.pi / 6

    /// A = R diag(λ₁, λ₂) Rᵀ, row by row: a bowl whose long axis is tilted by 30°.
    static var matrix: [[Double]] {
        let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
        let (a, b) = eigenvalues
        return [[a * c * c + b * s * s, (a - b) * c * s], [(a - b) * c * s, a * s * s + b * c * c]]
    }

    /// J(θ) = ½ θᵀAθ of the parameter "θ".
    static func bowl(_ p: Parameters) -> Tensor {
        let theta = p.require("θ").reshaped([1, 2])
        return 0.5 * (matmul(theta, Tensor(rows: matrix)) * theta).sum()
    }

    /// J at a point given as numbers.
    static func bowlValue(_ theta: [Double]) -> Double {
        let a = matrix
        return 0.5 * (theta[0] * (a[0][0] * theta[0] + a[0][1] * theta[1]) + theta[1] * (a[1][0] * theta[0] + a[1][1] * theta[1]))
    }

    /// A figure of the bowl's level sets, ready for paths.
    static func bowlFigure(title: String) throws -> Figure {
        var figure = Figure(title: title, xLabel: "θ₁", yLabel: "θ₂", width: 820, height: 540)
        let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
        for level in [0.5, 2, 8, 20] {
            let (r1, r2) = ((2 * level / eigenvalues.0).squareRoot(), (2 * level / eigenvalues.1).squareRoot())
            let t = (0...120).map { 2 * Double.pi * Double($0) / 120 }
            let (u, v) = (t.map { r1 * Foundation.cos($0) }, t.map { r2 * Foundation.sin($0) })
            try figure.addLine(x: zip(u, v).map { c * $0 - s * $1 }, y: zip(u, v).map { s * $0 + c * $1 },
                               label: level == 0.5 ? "level sets of J" : nil, color: .lightGray, width: 1)
        }
        figure.legendPlacement = .outsideRight
        (figure.xLimits, figure.yLimits) = (-6...6, -6...6)
        return figure
    }

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let gate = ExerciseGate(book: book)
        let steps = book.pick("steps on the bowl", full: 150, quick: 150, test: 20)
        try rulesSection(book, gate, steps: steps)
        try rmspropSection(book, gate, steps: steps)
        try momentumSection(book, gate, steps: steps)
        try scaleSection(book, gate, steps: steps)
    }

    /// The three update rules, and the student's Adam on the bowl beside the library's RMSprop and momentum.
    func rulesSection(_ book: Notebook, _ gate: ExerciseGate, steps: Int) throws {
        book.section("Three update rules on one bowl")
        try book.paragraph("Each method reads the gradient $g_t = \\nabla J(\\theta_{t-1})$ and differs in what it remembers; every "
            + "operation is element by element. Adam, without bias correction, keeps two running averages:")
        try book.math("m_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t, \\quad v_t = \\beta_2 v_{t-1} + (1 - \\beta_2) g_t^2, \\quad \\theta_t = \\theta_{t-1} - \\alpha_A \\frac{m_t}{\\sqrt{v_t} + \\epsilon_A}")
        try book.paragraph("RMSprop scales the raw gradient by a running root mean square, and momentum keeps a velocity:")
        try book.math("v_t = \\gamma v_{t-1} + (1 - \\gamma) g_t^2, \\quad \\theta_t = \\theta_{t-1} - \\alpha_R \\frac{g_t}{\\sqrt{v_t} + \\epsilon_R}; \\qquad p_t = \\mu p_{t-1} - (1 - \\mu) g_t, \\quad \\theta_t = \\theta_{t-1} + \\alpha_S p_t")
        try book.paragraph("The bowl is $J(\\theta) = \\frac{1}{2} \\theta^{\\top} A \\theta$ with eigenvalues 1 and 10, its long axis "
            + "tilted by 30°; every path starts at $(-4, 3)$ and takes \(steps) steps. Your `Adam.step` draws the Adam path; "
            + "RMSprop and momentum are the library's.")
        let functions = self.functions
        guard let yours = try gate.run([ScaleInvarianceChecks.step(functions.adamStep)], doing: "running your Adam on the bowl", {
            try yourAdamPath(functions.adamStep, learningRate: 0.1, epsilon: 1e-8, scale: 1, steps: steps)
        }) else { return }
        let paths = [("your Adam (α = 0.1, β₁ = 0.9, β₂ = 0.999)", "adam", yours)] + Self.libraryPaths(steps: steps)
        var figure = try Self.bowlFigure(title: "Trajectories on J(θ) = ½ θᵀAθ")
        var rows: [[TableCell]] = []
        for (label, key, path) in paths {
            try figure.addLine(x: path.map { $0[0] }, y: path.map { $0[1] }, label: label, width: 1.8)
            try book.record("final_loss_\(key)", try finite(Self.bowlValue(path.last!), "J at the end of the \(key) path"), digits: 3)
            rows.append([.text(label), .metric("final_loss_\(key)")])
        }
        try book.figure(figure, name: "trajectories", caption: "Adam and RMSprop move each coordinate by steps of about the "
            + "same length, so they start out diagonally; momentum follows the gradient and swings across the steep direction.")
        try book.table(ResultTable(header: ["method", "$J(\\theta_{\(steps)})$"], rows: rows))
    }
}
