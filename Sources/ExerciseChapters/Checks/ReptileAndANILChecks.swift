import Autodiff
import ReptileAndANIL

/// `reptileBatchedStep` as a chapter calls it (exercise ReptileAndANIL).
public typealias ReptileStepFunction = (
    _ phi: Parameters, _ taskCosts: [(Parameters) -> Tensor], _ inner: InnerLoop, _ outerStepSize: Double
) throws -> Parameters
/// `anilAdapt` as a chapter calls it (exercise ReptileAndANIL).
public typealias ANILAdaptFunction = (
    _ params: Parameters, _ headNames: [String], _ cost: @escaping (Parameters) -> Tensor, _ inner: InnerLoop
) throws -> Parameters

/// Known-answer checks with an inner step whose result is known in closed form and does not
/// depend on the student's `gdStep`: θ ↦ θ + η·cost(θ) (it climbs rather than descends, which
/// changes nothing for checking how Reptile and ANIL use the inner loop).
enum ReptileAndANILChecks {
    /// The checks' inner step.
    static var climb: ReptileAndANIL.GradientStep { { cost, params, stepSize in params.map { $0 + stepSize * cost(params) } } }

    /// Two steps of η = 0.5 from w = 1 on cost w give 2.25, on cost 2w give 4; one batched update
    /// with β = 0.5 moves φ = 1 to 1 + 0.5·((2.25 − 1) + (4 − 1))/2 = 2.0625.
    static func reptile(_ reptileBatchedStep: @escaping ReptileStepFunction) -> SanityCheck {
        SanityCheck("ReptileAndANIL", "reptileBatchedStep") {
            let inner = try InnerLoop(steps: 2, stepSize: 0.5, step: climb)
            let costs: [(Parameters) -> Tensor] = [{ $0.require("w").sum() }, { 2 * $0.require("w").sum() }]
            let phi = try reptileBatchedStep(["w": Tensor([1.0])], costs, inner, 0.5)
            let w = phi["w"]?.scalars.first ?? .nan
            return close(w, 2.0625) ? nil
                : "with the inner step θ ↦ θ + η·cost(θ), 2 steps of η = 0.5 from w = 1 reach 2.25 on cost w and 4 on cost 2w, so "
                    + "φ + β·mean(Wᵢ − φ) with β = 0.5 is 2.0625; it gave \(shown(w)) (every task starts from φ, and the moves are averaged)"
        }
    }

    /// Body b = 2, head h = 1, cost b·h, two steps of η = 0.5 with the climbing step: h becomes
    /// h(1 + ηb)² = 4 and b stays 2; the gradient of the query loss b·h at the result is
    /// (∂/∂b, ∂/∂h) = (h(1 + ηb)² + 2ηbh(1 + ηb), b(1 + ηb)²) = (8, 8).
    static func anil(_ anilAdapt: @escaping ANILAdaptFunction) -> SanityCheck {
        SanityCheck("ReptileAndANIL", "anilAdapt") {
            let inner = try InnerLoop(steps: 2, stepSize: 0.5, step: climb)
            let cost = { (p: Parameters) in (p.require("b") * p.require("h")).sum() }
            let start: Parameters = ["b": Tensor([2.0]), "h": Tensor([1.0])]
            let adapted = try anilAdapt(start, ["h"], cost, inner)
            let values = [adapted["b"]?.scalars.first ?? .nan, adapted["h"]?.scalars.first ?? .nan]
            guard adapted.names == ["b", "h"], close(values, [2, 4]) else {
                return "with body b = 2, head h = 1, cost b·h and 2 steps of θ ↦ θ + η·cost(θ) at η = 0.5 it gave (b, h) = \(shown(values)) "
                    + "named \(adapted.names); (2, 4) named [b, h] was expected (only the head moves, k times)"
            }
            let (_, gradient) = try valueAndGradient(throwing: { p in cost(try anilAdapt(p, ["h"], cost, inner)) }, at: start)
            let slopes = [gradient.require("b").scalar, gradient.require("h").scalar]
            return close(slopes, [8, 8]) ? nil
                : "the gradient of the cost b·h after adaptation with respect to (b, h) was \(shown(slopes)); (8, 8) was expected: "
                    + "the body must reach the head's steps undetached"
        }
    }
}
