import Autodiff
import MetaLearning

/// One batched Reptile update on n tasks: W_i = k steps of size α on task i's cost from φ,
/// φ ← φ + β (1/n) Σᵢ (W_i − φ).
public typealias ReptileStepFunction = (
    _ phi: Parameters, _ taskCosts: [(Parameters) -> Tensor], _ steps: Int, _ stepSize: Double, _ outerStepSize: Double
) throws -> Parameters

/// ANIL's inner loop: k steps of size α on `cost` moving only the tensors named `headNames`;
/// the body enters unchanged, so an outer gradient reaches it directly and through the steps.
public typealias ANILAdaptFunction = (
    _ params: Parameters, _ headNames: [String], _ cost: @escaping (Parameters) -> Tensor, _ steps: Int, _ stepSize: Double
) throws -> Parameters

extension ExerciseAgreement {
    /// The library's batched Reptile step (`Reptile.batchedStep`).
    public static var libraryReptileStep: ReptileStepFunction { { phi, costs, steps, stepSize, outerStepSize in
        guard !costs.isEmpty else { throw ExerciseCodeError.badInput("a Reptile step needs at least one task") }
        let reptile = Reptile(innerSteps: steps, innerLearningRate: stepSize, outerStepSize: outerStepSize)
        return reptile.batchedStep(phi, tasks: costs.map { MetaTask(supportLoss: $0, queryLoss: $0) })
    } }

    /// The library's ANIL adaptation (`InnerLoop` adapting only the head).
    public static var libraryANILAdapt: ANILAdaptFunction { { params, headNames, cost, steps, stepSize in
        if let missing = headNames.first(where: { params[$0] == nil }) {
            throw ExerciseCodeError.badInput("the head parameter \(missing) is not among \(params.names)")
        }
        return InnerLoop(steps: steps, learningRate: .fixed(stepSize), adaptedNames: headNames).adapt(params, supportLoss: cost)
    } }

    /// `reptileBatchedStep`: three steps on two tasks, β = 0.5.
    public static func reptileStep(_ step: @escaping ReptileStepFunction) throws -> String? {
        let other = { (p: Parameters) in (p.require("w") - Tensor([1.0, 0.5])).squared.sum() * p.require("b").squared.sum() }
        let expected = try libraryReptileStep(tinyStart, [tinyCost, other], 3, 0.1, 0.5)
        let result = try step(tinyStart, [tinyCost, other], 3, 0.1, 0.5)
        guard let gap = largestDifference(result, expected) else {
            return "the new parameters are named \(result.names), expected \(expected.names)"
        }
        return gap <= tolerance ? nil : "one batched step on two tasks differs from the library's by \(gap)"
    }

    /// `anilAdapt`: the adapted parameters and the gradient through them, head `b` only, two steps.
    public static func anilAdapt(_ adapt: @escaping ANILAdaptFunction) throws -> String? {
        try compare({ tinyCost(try adapt($0, ["b"], tinyCost, 2, 0.1)) }, with: { tinyCost(try libraryANILAdapt($0, ["b"], tinyCost, 2, 0.1)) },
                    at: tinyStart, what: "the cost after two head-only steps")
    }
}

extension ExerciseSlot where Function == ReptileStepFunction {
    /// `reptileBatchedStep` from exercise ReptileAndANIL.
    public static var reptileStep: Self {
        Self(entry: \.reptileStep, exercise: "ReptileAndANIL", library: ExerciseAgreement.libraryReptileStep,
             check: ExerciseAgreement.reptileStep)
    }
}

extension ExerciseSlot where Function == ANILAdaptFunction {
    /// `anilAdapt` from exercise ReptileAndANIL.
    public static var anilAdapt: Self {
        Self(entry: \.anilAdapt, exercise: "ReptileAndANIL", library: ExerciseAgreement.libraryANILAdapt, check: ExerciseAgreement.anilAdapt)
    }
}
