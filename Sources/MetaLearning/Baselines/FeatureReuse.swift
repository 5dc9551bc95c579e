import Autodiff
import NeuralNetworks

/// Feature reuse in a meta-learned network (Raghu et al., "Rapid learning or feature reuse?"):
/// adapt to held-out tasks with the first k conv blocks frozen, for k = 0 ... blocks, and see how
/// little accuracy is lost when only the top of the network adapts.
public struct FeatureReuseRow: Sendable, Codable {
    /// Blocks frozen during adaptation (0 adapts everything; `blocks` adapts only the head).
    public let frozenBlocks: Int
    /// The parameter names that adapted.
    public let adaptedNames: [String]
    /// Post-adaptation results.
    public let result: EvaluationResult
}

/// Evaluates `parameters` on `tasks` once per number of frozen blocks, with `steps` inner SGD
/// steps at rate `learningRate` on the remaining parameters.
public func featureReuse(_ parameters: Parameters, model: ConvNet, on tasks: [EvaluationTask],
                         steps: Int, learningRate: Double) -> [FeatureReuseRow] {
    (0...model.blocks).map { frozen in
        let adapted = model.trainableNames(freezingBlocks: frozen)
        let loop = InnerLoop(steps: steps, learningRate: .fixed(learningRate), adaptedNames: adapted)
        return FeatureReuseRow(frozenBlocks: frozen, adaptedNames: adapted,
                               result: evaluate(parameters, on: tasks, innerLoop: loop))
    }
}
