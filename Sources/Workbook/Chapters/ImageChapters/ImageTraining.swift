import Foundation
import MetaLearning
import Plots

/// One meta-training run of a chapter and its validation-accuracy curve.
struct ImageTrainingRun {
    /// The trainer's summary (final parameters, log, best score).
    let summary: MetaTrainer.Summary
    /// The run's hyper-parameters.
    let configuration: TrainingConfiguration

    /// Trains `configuration` on `problem` into `<chapter folder>/<folder>`, quietly apart from a progress line.
    init(_ configuration: TrainingConfiguration, problem: ClassificationProblem, book: Notebook, folder: String) throws {
        book.progress("\(configuration.algorithm.rawValue): \(configuration.iterations) iterations of \(configuration.metaBatch) "
            + "episodes (seed \(configuration.seed))")
        summary = try MetaTrainer(configuration: configuration, problem: problem)
            .run(files: .init(folder: book.folder.appendingPathComponent(folder)), overwrite: true, showProgress: book.settings.showProgress)
        if summary.interrupted { throw ChapterInterrupted(during: "meta-training \(configuration.algorithm.rawValue)") }
        self.configuration = configuration
    }

    /// Validation accuracy after adaptation, by iteration.
    var validationCurve: [(iteration: Int, value: Double)] { summary.log.series("validation_accuracy") }

    /// The last validation accuracy.
    var finalValidation: Double { validationCurve.last?.value ?? .nan }

    /// Mean wall-clock seconds per iteration (validation included).
    var secondsPerIteration: Double { summary.seconds / Double(max(1, summary.lastIteration)) }

    /// The first validated iteration whose accuracy reached `level`, if any.
    func firstIteration(reaching level: Double) -> Int? {
        validationCurve.first { $0.value >= level }?.iteration
    }
}

/// Mean, lowest and highest of several runs' curves measured at the same iterations: the
/// line and the band of a comparison over seeds.
struct SeedSpread: Equatable {
    /// The shared iterations.
    let x: [Double]
    /// The mean over runs at each iteration.
    let mean: [Double]
    /// The lowest run at each iteration.
    let lower: [Double]
    /// The highest run at each iteration.
    let upper: [Double]

    /// The spread of `curves`; throws unless there is at least one curve and all share their iterations.
    init(curves: [[(iteration: Int, value: Double)]]) throws {
        guard let first = curves.first, !first.isEmpty else {
            throw TrainingError.invalidOption("a spread over seeds needs at least one non-empty curve")
        }
        let iterations = first.map(\.iteration)
        for (index, curve) in curves.enumerated() where curve.map(\.iteration) != iterations {
            throw TrainingError.invalidOption("curve \(index + 1) was measured at other iterations than curve 1")
        }
        x = iterations.map(Double.init)
        let columns = iterations.indices.map { point in curves.map { $0[point].value } }
        mean = columns.map { $0.reduce(0, +) / Double($0.count) }
        lower = columns.map { $0.min()! }
        upper = columns.map { $0.max()! }
    }

    /// The largest fall of the mean curve from its best value so far: how far training slid back.
    var largestSetback: Double {
        var best = -Double.infinity, setback = 0.0
        for value in mean {
            best = max(best, value)
            setback = max(setback, best - value)
        }
        return setback
    }

    /// The average width of the band (highest minus lowest run).
    var meanWidth: Double { zip(upper, lower).map { $0 - $1 }.reduce(0, +) / Double(x.count) }
}
