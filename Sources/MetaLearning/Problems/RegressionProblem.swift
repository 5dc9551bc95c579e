import Autodiff
import NeuralNetworks
import TaskData

/// Few-shot regression: each task is a function from a `TaskFamily`, fitted by an MLP from
/// `shots` support points and judged by the MSE on `queries` query points.
///
/// A meta-batch runs as one vectorized task: the MLP takes tiled parameters `[T, in, out]` and
/// inputs `[T, n, 1]`, so T tasks cost a handful of batched matrix products.
public struct RegressionProblem: MetaProblem {
    /// The task distribution.
    public let family: any TaskFamily
    /// The model (the MAML paper's 1-40-40-1 ReLU network by default).
    public let model: MLP
    /// Support points per task (K).
    public let shots: Int
    /// Query points per task.
    public let queries: Int
    /// Element type of the tensors.
    public let dtype: DType
    /// A short name for reports.
    public let name: String

    /// A regression problem.
    public init(name: String, family: any TaskFamily, model: MLP = MLP(sizes: [1, 40, 40, 1], activation: .relu),
                shots: Int = 10, queries: Int = 10, dtype: DType = .float32) {
        self.name = name
        self.family = family
        self.model = model
        self.shots = shots
        self.queries = queries
        self.dtype = dtype
    }

    /// Regression reports MSE.
    public var isClassification: Bool { false }
    /// The last layer.
    public var headNames: [String] { model.headNames }

    /// Fresh MLP parameters.
    public func initialParameters(generator: inout SeededGenerator) -> Parameters {
        model.initialize(generator: &generator, dtype: dtype)
    }

    /// T tasks as one vectorized task: support loss Σₜ MSEₜ, query loss (1/T) Σₜ MSEₜ.
    public func trainingBatch(size: Int, generator: inout SeededGenerator) throws -> MetaBatch {
        let batch = family.sampleBatch(tasks: size, support: shots, query: queries, generator: &generator, dtype: dtype)
        let model = self.model
        let vectorized = vectorizedTask(supportX: batch.supportX, supportY: batch.supportY, queryX: batch.queryX, queryY: batch.queryY)
        return .vectorized(vectorized, count: size, separate: { Self.separate(batch, model: model) })
    }

    /// T tasks' data `[T, n, 1]` as one vectorized task: support loss Σₜ MSEₜ, query loss (1/T) Σₜ MSEₜ.
    public func vectorizedTask(supportX: Tensor, supportY: Tensor, queryX: Tensor, queryY: Tensor) -> MetaTask {
        let model = self.model
        return MetaTask(supportLoss: { (model($0, supportX) - supportY).squared.mean(axes: [1, 2]).sum() },
                        queryLoss: { (model($0, queryX) - queryY).squared.mean() })
    }

    /// The tasks of a batch one by one, on untiled parameters.
    static func separate(_ batch: RegressionBatch, model: MLP) -> [MetaTask] {
        (0..<batch.tasks.count).map { t in
            let task = { (x: Tensor) in x.sliced(axis: 0, t..<t + 1).reshaped([x.shape[1], x.shape[2]]) }
            let (sx, sy, qx, qy) = (task(batch.supportX), task(batch.supportY), task(batch.queryX), task(batch.queryY))
            return MetaTask(supportLoss: { meanSquaredError(model($0, sx), sy) },
                            queryLoss: { meanSquaredError(model($0, qx), qy) })
        }
    }

    /// Held-out tasks: adapt on `shots` points, report the MSE on `queries` points.
    public func evaluationTasks(count: Int, generator: inout SeededGenerator) throws -> [EvaluationTask] {
        let batch = family.sampleBatch(tasks: count, support: shots, query: queries, generator: &generator, dtype: dtype)
        return Self.separate(batch, model: model).map { task in
            EvaluationTask(supportLoss: task.supportLoss, measure: { (task.queryLoss($0).scalar, nil) })
        }
    }
}
