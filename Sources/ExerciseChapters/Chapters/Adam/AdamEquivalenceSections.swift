import AdamEquivalences
import Autodiff
import NeuralNetworks
import Notebook
import Plots

extension AdamChapter {
    /// The library's RMSprop (α = 0.1, γ = 0.9) and momentum (α = 0.3, μ = 0.9) paths on the bowl, with their labels and keys.
    static func libraryPaths(steps: Int) -> [(String, String, [[Double]])] {
        [("RMSprop (α = 0.1, γ = 0.9)", "rmsprop", path(RMSprop(learningRate: 0.1, decay: 0.9), on: bowl, steps: steps, start: start)),
         ("momentum (α = 0.3, μ = 0.9)", "momentum", path(MomentumSGD(learningRate: 0.3, momentum: 0.9), on: bowl, steps: steps, start: start))]
    }

    /// The student's Adam settings for RMSprop, run in the library's Adam beside RMSprop.
    func rmspropSection(_ book: Notebook, _ gate: ExerciseGate, steps: Int) throws {
        book.section("Adam that takes RMSprop's steps")
        try book.paragraph("Part (a) asks for Adam settings $(\\alpha_A, \\beta_1, \\beta_2, \\epsilon_A)$ under which Adam takes exactly "
            + "the steps of RMSprop $(\\alpha_R, \\gamma, \\epsilon_R)$. Compare the two update rules above term by term. The library's "
            + "Adam runs your settings here, and the table gives the largest coordinate gap to RMSprop over \(steps) steps.")
        let answer = functions.adamEquivalentToRMSprop
        let cases = [RMSpropHyperParameters(learningRate: 0.1, decay: 0.9, epsilon: 1e-8),
                     RMSpropHyperParameters(learningRate: 0.05, decay: 0.99, epsilon: 1e-6)]
        guard let results = try gate.run([AdamEquivalencesChecks.rmsprop(answer)], doing: "running Adam with your RMSprop settings", {
            try cases.map { rmsprop -> (AdamHyperParameters, Double) in
                let settings = try answer(rmsprop)
                let rmspropPath = path(RMSprop(learningRate: rmsprop.learningRate, decay: rmsprop.decay, epsilon: rmsprop.epsilon),
                                       on: Self.bowl, steps: steps, start: Self.start)
                return (settings, try finite(largestGap(path(try libraryAdam(settings), on: Self.bowl, steps: steps, start: Self.start), rmspropPath),
                                             "the gap to RMSprop"))
            }
        }) else { return }
        var rows: [[TableCell]] = []
        for (index, (rmsprop, result)) in zip(cases, results).enumerated() {
            try book.record("rmsprop_gap_\(index)", result.1, digits: 3)
            rows.append([.text("(\(shown(rmsprop.learningRate)), \(shown(rmsprop.decay)), \(shown(rmsprop.epsilon)))"),
                         .text(AdamEquivalencesChecks.describe(result.0)), .metric("rmsprop_gap_\(index)")])
        }
        try book.table(ResultTable(header: ["RMSprop $(\\alpha_R, \\gamma, \\epsilon_R)$", "your Adam settings", "largest gap"],
                                   rows: rows, caption: "A gap of 0 (or rounding) means the two methods visit the same points."))
    }

    /// The student's Adam settings for momentum, run in the library's Adam beside momentum.
    func momentumSection(_ book: Notebook, _ gate: ExerciseGate, steps: Int) throws {
        book.section("Adam that follows momentum")
        try book.paragraph("Part (b) asks for Adam settings that follow momentum SGD $(\\alpha_S, \\mu)$. Momentum's velocity is an "
            + "average of past gradients, as Adam's $m_t$ is; what stands in the way is the division by $\\sqrt{v_t} + \\epsilon_A$. "
            + "The figure overlays the library's Adam with your settings on momentum's path for $(\\alpha_S, \\mu) = (0.3, 0.9)$.")
        let answer = functions.adamApproximatingMomentum
        let cases = [MomentumHyperParameters(learningRate: 0.3, momentum: 0.9), MomentumHyperParameters(learningRate: 0.05, momentum: 0.5)]
        guard let results = try gate.run([AdamEquivalencesChecks.momentum(answer)], doing: "running Adam with your momentum settings", {
            try cases.map { momentum -> (AdamHyperParameters, [[Double]], [[Double]]) in
                let settings = try answer(momentum)
                return (settings, path(try libraryAdam(settings), on: Self.bowl, steps: steps, start: Self.start),
                        path(MomentumSGD(learningRate: momentum.learningRate, momentum: momentum.momentum), on: Self.bowl, steps: steps, start: Self.start))
            }
        }) else { return }
        var rows: [[TableCell]] = []
        for (index, (momentum, result)) in zip(cases, results).enumerated() {
            try book.record("momentum_gap_\(index)", try finite(largestGap(result.1, result.2), "the gap to momentum"), digits: 3)
            rows.append([.text("(\(shown(momentum.learningRate)), \(shown(momentum.momentum)))"), .text(AdamEquivalencesChecks.describe(result.0)),
                         .metric("momentum_gap_\(index)")])
        }
        try book.table(ResultTable(header: ["momentum $(\\alpha_S, \\mu)$", "your Adam settings", "largest gap"], rows: rows,
                                   caption: "Largest coordinate gap between the two paths over \(steps) steps."))
        var figure = try Self.bowlFigure(title: "Momentum and Adam with your settings")
        try figure.addLine(x: results[0].2.map { $0[0] }, y: results[0].2.map { $0[1] }, label: "momentum (α = 0.3, μ = 0.9)", width: 4)
        try figure.addLine(x: results[0].1.map { $0[0] }, y: results[0].1.map { $0[1] }, label: "Adam with your settings", width: 1.6, dash: .dashed)
        try book.figure(figure, name: "momentum", caption: "Where the dashed path lies on the thick one, Adam takes momentum's steps.")
    }
}
