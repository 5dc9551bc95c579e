import Autodiff
import MetaLearning
import NeuralNetworks

/// Quick checks that an exercise function agrees with the library on a tiny input, so that a
/// chapter runs the exercise only when it computes what the library would.
///
/// Each check returns nil when the function agrees, or the disagreement in words; errors the
/// function throws (a stub's "not implemented") pass through to the caller.
public enum ExerciseAgreement {
    /// Largest allowed difference between the exercise's numbers and the library's (Double precision).
    static let tolerance = 1e-8

    /// A small smooth cost of two named tensors, curved enough that second derivatives matter:
    /// cost(w, b) = Σᵢ (wᵢ² b − tᵢ)² + Σᵢ wᵢ b with t = (0.3, −0.7).
    static func tinyCost(_ p: Parameters) -> Tensor {
        let w = p.require("w"), b = p.require("b")
        return (w * w * b - Tensor([0.3, -0.7])).squared.sum() + (w * b).sum()
    }

    /// The point the checks start from.
    static let tinyStart: Parameters = ["w": Tensor([0.5, -1.2]), "b": Tensor([0.8])]

    /// The library's gradient step, θ − η ∇cost(θ).
    public static var libraryStep: GradientStepFunction { { cost, params, stepSize in
        params - stepSize * grad(cost)(params)
    } }

    /// The library's meta-objective: cost after `steps` applications of `step`.
    public static var libraryMetaObjective: MetaObjectiveFunction { { cost, params, steps, stepSize, step in
        var adapted = params
        for _ in 0..<max(0, steps) { adapted = try step(cost, adapted, stepSize) }
        return cost(adapted)
    } }

    /// The layer sizes of an MLP whose weights are `layer1.weight`, `layer2.weight`, … in `params`.
    static func layerSizes(_ params: Parameters) -> [Int] {
        var sizes: [Int] = []
        var layer = 1
        while let weight = params["layer\(layer).weight"], weight.rank == 2 {
            if sizes.isEmpty { sizes.append(weight.shape[0]) }
            sizes.append(weight.shape[1])
            layer += 1
        }
        return sizes
    }

    /// The largest absolute difference between two sets of parameters, or nil when their names differ.
    static func largestDifference(_ a: Parameters, _ b: Parameters) -> Double? {
        guard a.names == b.names, zip(a.tensors, b.tensors).allSatisfy({ $0.shape == $1.shape }) else { return nil }
        return zip(a.tensors, b.tensors).map { zip($0.scalars, $1.scalars).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    /// The value and gradient of a throwing objective: `grad` needs a non-throwing function, so
    /// an error inside is kept and thrown after the pass.
    static func valueAndGradient(_ objective: @escaping (Parameters) throws -> Tensor, at point: Parameters) throws -> (Tensor, Parameters) {
        var failure: (any Error)?
        let result = valueAndGrad { (p: Parameters) -> Tensor in
            do { return try objective(p) } catch {
                failure = error
                return p.squaredNorm() * 0
            }
        }(point)
        if let failure { throw failure }
        return result
    }

    /// Compares the value and gradient of `objective` with `reference`'s at `point`; nil when they agree.
    static func compare(_ objective: @escaping (Parameters) throws -> Tensor, with reference: @escaping (Parameters) throws -> Tensor,
                        at point: Parameters, what: String) throws -> String? {
        let (expectedValue, expectedGradient) = try valueAndGradient(reference, at: point)
        let (value, gradient) = try valueAndGradient(objective, at: point)
        guard value.shape == expectedValue.shape else {
            return "\(what) has shape \(value.shape), the library's \(expectedValue.shape)"
        }
        let valueGap = zip(value.scalars, expectedValue.scalars).map { abs($0 - $1) }.max() ?? 0
        if !(valueGap <= tolerance) {
            return "\(what) differs from the library's by \(valueGap) on a small test"
        }
        guard let gradientGap = largestDifference(gradient, expectedGradient) else {
            return "the gradient of \(what) is named \(gradient.names), the library's \(expectedGradient.names)"
        }
        if !(gradientGap <= tolerance) {
            return "the gradient through \(what) differs from the library's by \(gradientGap) on a small test "
                + "(is every inner gradient kept differentiable?)"
        }
        return nil
    }

    /// `gdStep`: the new parameters, and the gradient of the cost after the step (second order).
    public static func gdStep(_ step: @escaping GradientStepFunction) throws -> String? {
        let expected = try libraryStep(tinyCost, tinyStart, 0.1)
        let stepped = try step(tinyCost, tinyStart, 0.1)
        guard let gap = largestDifference(stepped, expected) else {
            return "the step returned parameters \(stepped.names), expected \(expected.names)"
        }
        if !(gap <= tolerance) { return "one step differs from θ − η∇cost(θ) by \(gap) on a small test" }
        return try compare({ tinyCost(try step(tinyCost, $0, 0.1)) }, with: { tinyCost(try libraryStep(tinyCost, $0, 0.1)) },
                           at: tinyStart, what: "the cost after one step")
    }

    /// `MetaObjective` with two steps of the library's step: its value and its gradient.
    public static func metaObjective(_ objective: @escaping MetaObjectiveFunction) throws -> String? {
        try compare({ try objective(tinyCost, $0, 2, 0.1, libraryStep) },
                    with: { try libraryMetaObjective(tinyCost, $0, 2, 0.1, libraryStep) },
                    at: tinyStart, what: "the meta-objective after two steps")
    }

    /// The 1-3-3-1 ReLU network of `tinyNetwork`, applied to inputs [n, 1].
    static func tinyModel(_ params: Parameters, _ inputs: Tensor) -> Tensor {
        MLP(sizes: [1, 3, 3, 1], activation: .relu)(params, inputs)
    }

    /// A 1-3-3-1 network in the library's naming with every entry set from `seed`.
    static func tinyNetwork(seed: UInt64) -> Parameters {
        var generator = SeededGenerator(seed: seed)
        let sizes = [1, 3, 3, 1]
        var pairs: [(String, Tensor)] = []
        for layer in 1..<sizes.count {
            pairs.append(("layer\(layer).weight", .randomUniform([sizes[layer - 1], sizes[layer]], low: -1, high: 1, generator: &generator)))
            pairs.append(("layer\(layer).bias", .randomUniform([sizes[layer]], low: -0.5, high: 0.5, generator: &generator)))
        }
        return Parameters(pairs)
    }
}
