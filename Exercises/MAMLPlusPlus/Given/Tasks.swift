import Autodiff
import TaskData

/// A scalar loss as a function of model parameters, e.g. the support or query loss of one task.
public typealias Loss = (_ parameters: Parameters) -> Tensor

/// A classifier as a pure function of its parameters: images `[N, C, H, W]` to logits
/// `[N, ways]`. For a `ConvNet` named `net`, pass `{ net($0, $1) }`.
public typealias Classifier = (_ parameters: Parameters, _ images: Tensor) -> Tensor

/// One task of the meta-batch, seen only through its two losses: the support loss drives the
/// inner loop, the query loss judges the adapted parameters.
public struct MetaTask {
    /// L(φ, D^sup): the loss the inner loop descends.
    public let supportLoss: Loss
    /// L(φ, D^query): the loss the outer loop minimises after adaptation.
    public let queryLoss: Loss

    /// A task from its two losses.
    public init(supportLoss: @escaping Loss, queryLoss: @escaping Loss) {
        self.supportLoss = supportLoss
        self.queryLoss = queryLoss
    }

    /// A few-shot classification task: the mean cross-entropy of `model` on the episode's
    /// support images, and on its query images.
    public init(episode: Episode, model: @escaping Classifier) {
        self.init(
            supportLoss: { crossEntropy(logits: model($0, episode.supportImages), labels: episode.supportLabels) },
            queryLoss: { crossEntropy(logits: model($0, episode.queryImages), labels: episode.queryLabels) })
    }
}

/// The inner loop as the multi-step objective calls it: the trajectory φ⁰, φ¹, …, φᴷ of the
/// model parameters, adapted from the meta-parameters on one support loss.
/// Normally `{ try adapt($0, supportLoss: $1, steps: K) }`.
public typealias Adapter = (_ meta: Parameters, _ supportLoss: @escaping Loss) throws -> [Parameters]

/// One task's contribution to the meta-objective, as a differentiable function of the
/// meta-parameters (the model's parameters and the learned inner rates).
public typealias TaskObjective = (_ meta: Parameters, _ task: MetaTask) throws -> Tensor

/// The name under which the meta-parameters store α_{n,k}, the learned inner rate of model
/// parameter `name` at inner step `step` (counted from 1): `inner.lr.<name>.<step>`.
public func innerRateName(of name: String, step: Int) -> String { "inner.lr.\(name).\(step)" }

/// True for the names `innerRateName(of:step:)` makes, false for model parameters.
public func isInnerRateName(_ name: String) -> Bool { name.hasPrefix("inner.lr.") }

/// The model part of the meta-parameters: every tensor that is not a learned inner rate, in order.
public func modelParameters(of meta: Parameters) -> Parameters {
    Parameters(meta.filter { !isInnerRateName($0.0) })
}

/// The value and gradient of a throwing objective at `point`: the errors the objective throws
/// are passed on instead of being lost inside the differentiation.
public func valueAndGradient(of objective: @escaping (Parameters) throws -> Tensor, at point: Parameters) throws
    -> (value: Tensor, gradient: Parameters) {
    var failure: (any Error)?
    let result = valueAndGrad { (parameters: Parameters) -> Tensor in
        do { return try objective(parameters) } catch {
            failure = error
            return Tensor(0, dtype: parameters.tensors.first?.dtype ?? .float64)
        }
    }(point)
    if let failure { throw failure }
    return result
}
