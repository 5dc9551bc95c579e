import Autodiff

/// A family of tasks a meta-learner trains on, with the model that solves them.
///
/// A problem owns its data and its model: it makes the initial parameters, samples meta-batches
/// of training tasks, and builds held-out evaluation tasks that report a loss (and an accuracy
/// for classification) after adaptation.
public protocol MetaProblem {
    /// A short name for reports ("sine", "omniglot 5-way 5-shot", ...).
    var name: String { get }
    /// Whether tasks are classification (accuracy is reported) or regression (MSE is reported).
    var isClassification: Bool { get }
    /// The names of the head parameters (the only ones ANIL adapts).
    var headNames: [String] { get }
    /// Fresh model parameters.
    func initialParameters(generator: inout SeededGenerator) -> Parameters
    /// A meta-batch of `size` training tasks.
    func trainingBatch(size: Int, generator: inout SeededGenerator) throws -> MetaBatch
    /// `count` held-out tasks for validation (or test) after adaptation.
    func evaluationTasks(count: Int, generator: inout SeededGenerator) throws -> [EvaluationTask]
}

/// A meta-batch: tasks one by one, or all at once as one vectorized task on tiled parameters.
public enum MetaBatch {
    /// Separate tasks, each with its own losses.
    case tasks([MetaTask])
    /// `count` tasks whose losses take parameters with a leading task axis (see
    /// `MAML.vectorizedMetaObjective`); `separate` gives the same tasks one by one for algorithms
    /// that need them individually (Reptile).
    case vectorized(MetaTask, count: Int, separate: () -> [MetaTask])

    /// The number of tasks in the batch.
    public var count: Int {
        switch self {
        case .tasks(let tasks): tasks.count
        case .vectorized(_, let count, _): count
        }
    }

    /// The tasks one by one.
    public var separateTasks: [MetaTask] {
        switch self {
        case .tasks(let tasks): tasks
        case .vectorized(_, _, let separate): separate()
        }
    }
}

/// A held-out task: adapt on its support loss, then measure on its query set.
public struct EvaluationTask {
    /// The support loss the inner loop adapts on.
    public let supportLoss: (Parameters) -> Tensor
    /// The query loss and, for classification, the query accuracy of adapted parameters.
    public let measure: (Parameters) -> (loss: Double, accuracy: Double?)

    /// An evaluation task from its support loss and query measurement.
    public init(supportLoss: @escaping (Parameters) -> Tensor,
                measure: @escaping (Parameters) -> (loss: Double, accuracy: Double?)) {
        self.supportLoss = supportLoss
        self.measure = measure
    }
}
