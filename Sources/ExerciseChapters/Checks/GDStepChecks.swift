import Autodiff

/// One gradient step as a chapter calls it (exercise GDStep's `gdStep`): θ' = θ − η ∇cost(θ),
/// differentiable again when an outer `grad` runs through it.
public typealias GradientStepFunction = (
    _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ stepSize: Double
) throws -> Parameters

/// Known-answer checks of `gdStep`.
enum GDStepChecks {
    /// One step on cost(w) = w² from w = 1 with η = 0.25: the gradient is 2w = 2, so w' = 0.5.
    static func value(_ gdStep: @escaping GradientStepFunction) -> SanityCheck {
        SanityCheck("GDStep", "gdStep") {
            let next = try gdStep({ ($0.require("w") * $0.require("w")).sum() }, ["w": Tensor([1.0])], 0.25)
            guard next.names == ["w"], next.require("w").shape == [1] else {
                return "gdStep on cost w² from w = 1 returned the parameters \(next.names) with shapes "
                    + "\(next.tensors.map(\.shape)); one tensor named w of shape [1] was expected"
            }
            let w = next.require("w").scalar
            return close(w, 0.5) ? nil : "gdStep on cost w² from w = 1 with η = 0.25 gave \(shown(w)); 0.5 was expected"
        }
    }

    /// An outer derivative through the step: for cost ½cθ² the step gives θ' = (1 − ηc)θ, so
    /// d cost(θ')/dθ = c(1 − ηc)²θ; with c = 4, η = 0.1 and θ = 3 that is 4.32. A step whose
    /// gradient is detached gives c(1 − ηc)θ = 7.2 instead.
    static func differentiable(_ gdStep: @escaping GradientStepFunction) -> SanityCheck {
        SanityCheck("GDStep", "gdStep") {
            let cost = { (p: Parameters) in 2 * (p.require("θ") * p.require("θ")).sum() }
            let (_, gradient) = try valueAndGradient(throwing: { cost(try gdStep(cost, $0, 0.1)) }, at: ["θ": Tensor([3.0])])
            let derivative = gradient.require("θ").scalar
            return close(derivative, 4.32) ? nil
                : "the derivative of cost(gdStep(θ)) for cost 2θ² at θ = 3 with η = 0.1 was \(shown(derivative)); "
                    + "c(1 − ηc)²θ = 4.32 was expected (compute the gradient with grad and keep it: no detached())"
        }
    }
}
