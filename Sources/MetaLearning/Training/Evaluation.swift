import Autodiff
import Foundation

/// The mean of a metric over evaluation tasks with its 95% confidence interval.
public struct MeanWithInterval: Codable, Sendable, CustomStringConvertible {
    /// The mean over tasks.
    public let mean: Double
    /// Half-width of the 95% confidence interval: 1.96 · s / √n (normal approximation).
    public let halfWidth: Double
    /// The number of tasks.
    public let count: Int

    /// Mean and interval of `values`.
    public init(_ values: [Double]) {
        let n = Double(values.count)
        let average = values.isEmpty ? .nan : values.reduce(0, +) / n
        let variance = values.map { ($0 - average) * ($0 - average) }.reduce(0, +) / (n - 1)
        count = values.count
        mean = average
        halfWidth = values.count > 1 ? 1.96 * variance.squareRoot() / n.squareRoot() : .nan
    }

    /// "0.8123 ± 0.0101 (n = 100)".
    public var description: String {
        String(format: "%.4f ± %.4f (n = %d)", mean, halfWidth, count)
    }
}

/// What adaptation achieves on held-out tasks.
public struct EvaluationResult: Codable, Sendable {
    /// Query loss after adaptation.
    public let loss: MeanWithInterval
    /// Query accuracy after adaptation (classification only).
    public let accuracy: MeanWithInterval?
}

/// Adapts to each task with `innerLoop` (first order: evaluation needs no meta-gradient) and
/// measures the query set: the post-adaptation numbers every paper reports.
public func evaluate(_ meta: Parameters, on tasks: [EvaluationTask], innerLoop: InnerLoop) -> EvaluationResult {
    var losses: [Double] = [], accuracies: [Double] = []
    for task in tasks {
        let adapted = withFirstOrderGradients { innerLoop.adapt(meta.detached(), supportLoss: task.supportLoss) }
        let (loss, accuracy) = InnerStep.$current.withValue(innerLoop.steps) { withoutRecording { task.measure(adapted.detached()) } }
        losses.append(loss)
        if let accuracy { accuracies.append(accuracy) }
    }
    return EvaluationResult(loss: MeanWithInterval(losses),
                            accuracy: accuracies.isEmpty ? nil : MeanWithInterval(accuracies))
}
