import Autodiff

/// A distribution over regression tasks, with the distribution of inputs each task is observed at.
///
/// Sampling order is fixed so the same generator state always gives the same data: for each task,
/// first its parameters, then its support inputs, then its query inputs, then any observation noise.
public protocol TaskFamily: Sendable {
    /// The interval inputs are drawn from (uniformly).
    var inputRange: ClosedRange<Double> { get }
    /// Draws one task's parameters.
    func sampleTask(generator: inout SeededGenerator) -> RegressionTask
    /// The target observed at `x` for `task` (the true value plus any noise the family adds).
    func observe(_ task: RegressionTask, at x: Double, generator: inout SeededGenerator) -> Double
}

extension TaskFamily {
    /// Noise-free observations by default: y = f(x).
    public func observe(_ task: RegressionTask, at x: Double, generator: inout SeededGenerator) -> Double {
        task(x)
    }

    /// `count` inputs drawn uniformly from `inputRange`.
    public func sampleInputs(count: Int, generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in generator.uniform(inputRange.lowerBound, inputRange.upperBound) }
    }

    /// A data set of `count` points of `task`, as `[count, 1]` tensors.
    public func sampleData(for task: RegressionTask, count: Int, generator: inout SeededGenerator,
                           dtype: DType = .float64) -> (x: Tensor, y: Tensor) {
        let xs = sampleInputs(count: count, generator: &generator)
        let ys = xs.map { observe(task, at: $0, generator: &generator) }
        return (Tensor(shape: [count, 1], scalars: xs, dtype: dtype), Tensor(shape: [count, 1], scalars: ys, dtype: dtype))
    }

    /// A meta-batch of `tasks` tasks, each with `support` and `query` points, as `[tasks, n, 1]` tensors.
    public func sampleBatch(tasks: Int, support: Int, query: Int, generator: inout SeededGenerator,
                            dtype: DType = .float64) -> RegressionBatch {
        check(tasks > 0 && support >= 0 && query >= 0,
              "sampleBatch: need tasks > 0 and non-negative support/query counts, got \(tasks), \(support), \(query)")
        var drawn: [RegressionTask] = []
        var supportX: [Double] = [], supportY: [Double] = [], queryX: [Double] = [], queryY: [Double] = []
        for _ in 0..<tasks {
            let task = sampleTask(generator: &generator)
            drawn.append(task)
            let sx = sampleInputs(count: support, generator: &generator)
            let qx = sampleInputs(count: query, generator: &generator)
            supportX += sx
            queryX += qx
            supportY += sx.map { observe(task, at: $0, generator: &generator) }
            queryY += qx.map { observe(task, at: $0, generator: &generator) }
        }
        return RegressionBatch(
            tasks: drawn,
            supportX: Tensor(shape: [tasks, support, 1], scalars: supportX, dtype: dtype),
            supportY: Tensor(shape: [tasks, support, 1], scalars: supportY, dtype: dtype),
            queryX: Tensor(shape: [tasks, query, 1], scalars: queryX, dtype: dtype),
            queryY: Tensor(shape: [tasks, query, 1], scalars: queryY, dtype: dtype))
    }
}

/// A meta-batch of regression tasks: support and query sets stacked along the first axis.
public struct RegressionBatch: Sendable {
    /// The tasks drawn, in batch order (for plotting the truth).
    public let tasks: [RegressionTask]
    /// Support inputs, `[T, support, 1]`.
    public let supportX: Tensor
    /// Support targets, `[T, support, 1]`.
    public let supportY: Tensor
    /// Query inputs, `[T, query, 1]`.
    public let queryX: Tensor
    /// Query targets, `[T, query, 1]`.
    public let queryY: Tensor

    /// A batch from its parts (shapes are the caller's responsibility).
    public init(tasks: [RegressionTask], supportX: Tensor, supportY: Tensor, queryX: Tensor, queryY: Tensor) {
        self.tasks = tasks
        self.supportX = supportX
        self.supportY = supportY
        self.queryX = queryX
        self.queryY = queryY
    }
}
