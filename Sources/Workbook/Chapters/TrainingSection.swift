import Foundation
import MetaLearning
import Plots

/// The meta-training part shared by the regression chapters: train, then show the training
/// loss and the validation curve and record the best validation MSE.
struct TrainingSection {
    /// The run's hyper-parameters.
    let configuration: TrainingConfiguration
    /// The tasks and model.
    let problem: RegressionProblem

    /// Trains into `<chapter folder>/<folder>` and adds the curves figure and key numbers.
    func run(in book: Notebook, folder: String) throws -> MetaTrainer.Summary {
        book.progress("meta-training \(configuration.iterations) iterations of \(configuration.metaBatch) tasks")
        let summary = try MetaTrainer(configuration: configuration, problem: problem)
            .run(files: .init(folder: book.folder.appendingPathComponent(folder)), overwrite: true, showProgress: book.settings.showProgress)
        if summary.interrupted { throw ChapterInterrupted(during: "meta-training on \(problem.name) tasks") }
        let train = summary.log.series("train_loss")
        let validation = summary.log.series("validation_loss")
        var figure = Figure(title: "Meta-training on \(problem.name) tasks", xLabel: "iteration",
                            yLabel: "query MSE after \(configuration.innerSteps) inner step\(configuration.innerSteps == 1 ? "" : "s")")
        try figure.addLine(x: train.map { Double($0.iteration) }, y: train.map(\.value), label: "meta-batch loss", width: 1)
        let window = max(1, train.count / 20)
        try figure.addLine(x: train.map { Double($0.iteration) }, y: movingAverage(train.map(\.value), window: window),
                           label: "moving average (\(window))", width: 2.5)
        try figure.addLine(x: validation.map { Double($0.iteration) }, y: validation.map(\.value),
                           label: "validation (\(configuration.validationTasks) new tasks)", width: 2.5, dash: .dashed)
        try book.figure(figure, name: "training", caption: "The meta-objective per iteration and on held-out tasks. "
            + "Each point is the loss *after* adaptation, which is what MAML minimizes.")
        let steps = "\(configuration.evaluationInnerSteps) step\(configuration.evaluationInnerSteps == 1 ? "" : "s")"
        try book.keyNumbers([
            ("best_validation_mse", "best validation MSE: \(configuration.validationTasks) held-out tasks, "
                + "\(problem.queries) query points each, after \(steps)", summary.bestValidation, .significant(3), ""),
            ("best_iteration", "iteration of the best validation", Double(summary.bestIteration), .count, ""),
            ("training_seconds", "meta-training time", summary.seconds, .significant(3), "s"),
        ])
        return summary
    }
}
