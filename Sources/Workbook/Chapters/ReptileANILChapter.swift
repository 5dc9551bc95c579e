import Autodiff
import Foundation
import MetaLearning
import Plots
import TaskData

/// The seminar's tour of MAML's relatives: FO-MAML, Reptile and ANIL trained with the same budget
/// on the same episodes, then the feature-reuse experiment (freeze the lower blocks at test time).
public struct ReptileANILChapter: Chapter {
    /// `reptile-anil`.
    public let id = "reptile-anil"
    /// The page heading.
    public let title = "Reptile, ANIL and feature reuse"
    /// One line for the list.
    public let summary = "FO-MAML, Reptile and ANIL side by side with one budget; how much of the network needs to adapt at all."

    /// The chapter.
    public init() {}

    /// Runs the chapter.
    public func run(in book: Notebook) throws {
        let budget = ImageBudget(book: book)
        let data = try ImageData(budget: budget)
        let problem = try data.problem()

        book.section("Three relatives of MAML")
        try data.describe(in: book)
        try book.note(budget.note())
        try book.paragraph("*FO-MAML* adapts the whole network on the support set and uses the query gradient at the adapted "
            + "parameters $\\tilde{\\phi}$ as the meta-gradient. *Reptile* drops the query set from the outer loop: it runs the "
            + "same inner SGD and moves the initialization toward where each episode's adaptation ended. Batched over $n$ "
            + "episodes with adapted parameters $W_i$:")
        try book.math("\\theta \\leftarrow \\theta + \\beta \\frac{1}{n} \\sum_{i=1}^{n} (W_i - \\theta)")
        try book.paragraph("Here $\\theta - \\frac{1}{n}\\sum_i W_i$ is handed to Adam as if it were a gradient, with the same "
            + "rate as the others. *ANIL* (almost no inner loop) adapts only the output layer in the inner loop and keeps the "
            + "convolutional body shared; its meta-gradient is exact (second order), but through the small head only. "
            + "With body parameters $\\theta_{1..l-1}$ and head $\\theta_l$, one inner step is")
        try book.math("\\theta^{(m)} = \\left(\\theta_1, \\ldots, \\theta_{l-1}, \\theta_l^{(m-1)} - \\alpha \\nabla_{\\theta_l} \\mathcal{L}(\\theta^{(m-1)}, \\mathcal{D}^{\\text{sup}})\\right)")

        book.section("The same budget for each")
        try book.paragraph("Each method trains \(budget.iterations) iterations of \(budget.metaBatch) \(budget.taskName) episodes "
            + "with \(ImageBudget.count(budget.innerSteps, "inner step")) at rate 0.4, Adam at 0.001 outside, the same seed and therefore the same "
            + "episodes; validation uses the same held-out episodes and the method's own inner loop.")
        let methods: [(MetaAlgorithm, String)] = [(.fomaml, "FO-MAML"), (.reptile, "Reptile"), (.anil, "ANIL")]
        var runs: [MetaAlgorithm: ImageTrainingRun] = [:]
        var figure = Figure(title: "\(budget.taskName) \(data.shortName): validation accuracy after adaptation",
                            xLabel: "iteration", yLabel: "query accuracy")
        var rows: [[TableCell]] = []
        for (algorithm, label) in methods {
            let run = try ImageTrainingRun(budget.configuration(algorithm, seed: book.settings.seed), problem: problem,
                                           book: book, folder: "\(algorithm.rawValue)-run")
            runs[algorithm] = run
            let curve = run.validationCurve
            try figure.addLine(x: curve.map { Double($0.iteration) }, y: curve.map(\.value), label: label, width: 2.5)
            let key = algorithm.rawValue
            try book.record("\(key)_best_validation_accuracy", run.summary.bestValidation, style: .percent)
            try book.record("\(key)_final_validation_accuracy", run.finalValidation, style: .percent)
            try book.record("\(key)_seconds_per_iteration", run.secondsPerIteration, digits: 3, unit: "s")
            rows.append([.text(label), .metric("\(key)_best_validation_accuracy"), .metric("\(key)_final_validation_accuracy"),
                         .metric("\(key)_seconds_per_iteration")])
        }
        figure.addHorizontalLine(y: 1 / Double(budget.ways), label: "chance", dash: .dotted)
        figure.yLimits = 0...1
        figure.legendPlacement = .outsideRight
        figure.width = 760
        try book.table(ResultTable(header: ["method", "best validation accuracy", "final validation accuracy", "time per iteration"],
                                   rows: rows, caption: "Validation: \(budget.validationTasks) episodes of classes never trained on, "
                                    + "accuracy on their queries after \(ImageBudget.count(budget.innerSteps, "inner step"))."))
        try book.figure(figure, name: "methods", caption: "The three methods with one budget. Reptile's update ignores the "
            + "query set, and ANIL's inner loop moves only the head.")

        book.section("Rapid learning or feature reuse?")
        try featureReuseSection(book: book, budget: budget, data: data, meta: runs[.fomaml]!.summary.parameters)
    }

    /// The feature-reuse table of the FO-MAML network: blocks 1..k frozen during test-time adaptation.
    func featureReuseSection(book: Notebook, budget: ImageBudget, data: ImageData, meta: Parameters) throws {
        try book.paragraph("Raghu et al. asked whether MAML's inner loop really re-learns features for each task or mostly "
            + "reuses the ones it has. The test: take the meta-trained network and, at test time only, freeze the first $k$ "
            + "convolutional blocks, adapting the rest. If accuracy hardly moves as $k$ grows, the adaptation that matters "
            + "happens in the head. (On MiniImageNet they found a drop of under a point in 1-shot and about two points in "
            + "5-shot from freezing every block.)")
        let test = try data.problem(heldOut: .test)
        var generator = SeededGenerator(seed: book.settings.seed &+ 81)
        let tasks = try test.evaluationTasks(count: budget.evaluationEpisodes, generator: &generator)
        book.progress("feature reuse: \(test.model.blocks + 1) settings on \(tasks.count) test episodes")
        let reuse = featureReuse(meta, model: test.model, on: tasks, steps: budget.innerSteps,
                                 learningRate: ImageBudget.innerLearningRate)
        var rows: [[TableCell]] = []
        let blocks = test.model.blocks
        for row in reuse {
            let frozen = row.frozenBlocks == 0 ? "none" : (1...row.frozenBlocks).map(String.init).joined(separator: ", ")
            let adapted = row.frozenBlocks == 0 ? "everything"
                : row.frozenBlocks == blocks ? "head only"
                : row.frozenBlocks == blocks - 1 ? "block \(blocks) and head"
                : "blocks \(row.frozenBlocks + 1)–\(blocks) and head"
            try book.record("reuse_accuracy_frozen_\(row.frozenBlocks)", row.result.accuracy?.mean ?? .nan, style: .percent)
            try book.record("reuse_ci95_frozen_\(row.frozenBlocks)", row.result.accuracy?.halfWidth ?? 0, style: .points)
            rows.append([.text(frozen), .text(adapted), .metric("reuse_accuracy_frozen_\(row.frozenBlocks)"),
                         .metric("reuse_ci95_frozen_\(row.frozenBlocks)")])
        }
        try book.table(ResultTable(header: ["frozen blocks", "adapted at test time", "query accuracy", "95% interval (±)"],
                                   rows: rows, caption: "The FO-MAML network above, \(tasks.count) test episodes, "
                                    + "\(ImageBudget.count(budget.innerSteps, "inner step")) at rate 0.4 on whatever is not frozen."))
        let all = reuse.first!.result.accuracy?.mean ?? .nan
        let headOnly = reuse.last!.result.accuracy?.mean ?? .nan
        try book.record("reuse_cost_of_freezing_all", all - headOnly, style: .points)
        // The difference is noise when it lies inside the combined 95% interval of the two rows.
        let noise = hypot(reuse.first!.result.accuracy?.halfWidth ?? 0, reuse.last!.result.accuracy?.halfWidth ?? 0)
        try book.record("reuse_noise_level", noise, style: .points)
        let reading = abs(all - headOnly) <= noise
            ? "That is within the noise of this measurement (@{reuse_noise_level}): the body's features are reused as they are, "
                + "which is exactly the observation ANIL builds on. If the inner loop barely changes the body, leave the body out of it."
            : all > headOnly
                ? "That is more than the noise of this measurement (@{reuse_noise_level}): this network still gains from adapting "
                    + "its body. Raghu et al. found the body's features settle early in a long meta-training; a short run like "
                    + "this one may not be there yet, and the rows in between show how many blocks can be frozen at no cost."
                : "Freezing even *helps* here, by more than the noise (@{reuse_noise_level}): adapting the body on so few drawings "
                    + "moves it away from features that already worked, the strongest form of feature reuse."
        try book.paragraph("Freezing every block changes accuracy by @{reuse_cost_of_freezing_all} (adapting everything minus "
            + "adapting the head only). " + reading)
    }
}
