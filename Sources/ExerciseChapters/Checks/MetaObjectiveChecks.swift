import Autodiff
import Foundation

/// A task's meta-objective as a chapter calls it (exercise MetaObjective): cost(θ_K) after K
/// applications of `step` from θ, that is `MetaObjective(innerCost:numSteps:stepSize:step:)(θ)`.
public typealias MetaObjectiveFunction = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ steps: Int, _ stepSize: Double,
    _ step: @escaping GradientStepFunction
) throws -> Tensor

/// Known-answer checks of `MetaObjective`, with a step whose result is known in closed form,
/// θ ↦ (1 − η)θ, so that they do not depend on the student's `gdStep`.
enum MetaObjectiveChecks {
    /// The step of the checks: it shrinks θ by the factor 1 − η whatever the cost.
    static var shrink: GradientStepFunction { { _, params, stepSize in (1 - stepSize) * params } }

    /// On cost w² from w = 1 with η = 0.5, K steps of the shrinking step land on 0.5ᴷ, so the
    /// objective is 0.25ᴷ: 1, 0.25 and 0.015625 for K = 0, 1 and 3.
    static func value(_ metaObjective: @escaping MetaObjectiveFunction) -> SanityCheck {
        SanityCheck("MetaObjective", "MetaObjective") {
            for steps in [0, 1, 3] {
                let value = try metaObjective({ ($0.require("w") * $0.require("w")).sum() }, ["w": Tensor([1.0])], steps, 0.5, shrink).scalar
                let expected = Foundation.pow(0.25, Double(steps))
                if !close(value, expected) {
                    return "MetaObjective with K = \(steps) steps of the step θ ↦ (1 − η)θ on cost w², from w = 1 with η = 0.5, "
                        + "gave \(shown(value)); cost(0.5^K) = \(shown(expected)) was expected (one step too many or too few?)"
                }
            }
            return nil
        }
    }

    /// The derivative through K = 3 shrinking steps: d/dw cost((1 − η)³w) = 2(1 − η)⁶w = 0.03125
    /// at w = 1, η = 0.5; an objective that detaches between steps gives 0.
    static func gradient(_ metaObjective: @escaping MetaObjectiveFunction) -> SanityCheck {
        SanityCheck("MetaObjective", "MetaObjective") {
            let cost = { (p: Parameters) in (p.require("w") * p.require("w")).sum() }
            let (_, gradient) = try valueAndGradient(throwing: { try metaObjective(cost, $0, 3, 0.5, shrink) }, at: ["w": Tensor([1.0])])
            let derivative = gradient.require("w").scalar
            return close(derivative, 0.03125) ? nil
                : "the derivative of MetaObjective (K = 3 steps of θ ↦ (1 − η)θ, cost w², w = 1, η = 0.5) was \(shown(derivative)); "
                    + "2(1 − η)⁶w = 0.03125 was expected (keep the steps differentiable: no detached() between them)"
        }
    }
}
