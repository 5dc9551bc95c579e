import Autodiff

/// Central finite differences against reverse mode, at first and second order, in Double.
///
/// First order: for a scalar function f of several tensors, every entry of ∇f is compared
/// with (f(x + h eᵢ) - f(x - h eᵢ)) / 2h.
///
/// Second order: the function g(x) = Σᵢ ⟨∇ᵢ f(x), vᵢ⟩ for fixed random directions vᵢ is built
/// from the recorded backward pass, so ∇g = ∇²f · v exercises each primitive's VJP of its VJP.
/// ∇g from reverse-over-reverse is compared with finite differences of g.
enum GradientCheck {
    /// Relative error |a - b| / max(1, |a|, |b|).
    static func relativeError(_ a: Double, _ b: Double) -> Double {
        Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
    }

    /// The tensor with one entry moved by `delta`.
    static func perturbed(_ x: Tensor, at index: Int, by delta: Double) -> Tensor {
        var values = x.scalars
        values[index] += delta
        return Tensor(shape: x.shape, scalars: values, dtype: x.dtype)
    }

    /// ∂f/∂xᵢ for every entry of every input, by central differences.
    static func numericGradient(_ f: ([Tensor]) -> Tensor, at inputs: [Tensor], step h: Double = 1e-6) -> [[Double]] {
        inputs.indices.map { k in
            (0..<inputs[k].scalarCount).map { i in
                var plus = inputs, minus = inputs
                plus[k] = perturbed(inputs[k], at: i, by: h)
                minus[k] = perturbed(inputs[k], at: i, by: -h)
                return (f(plus).scalar - f(minus).scalar) / (2 * h)
            }
        }
    }

    /// The largest relative error between reverse mode and finite differences of f.
    static func firstOrderError(_ f: @escaping ([Tensor]) -> Tensor, at inputs: [Tensor]) -> Double {
        let analytic = grad(f)(inputs).map(\.scalars)
        let numeric = numericGradient(f, at: inputs)
        return zip(analytic, numeric).flatMap { zip($0, $1).map(relativeError) }.max() ?? 0
    }

    /// The largest relative error between reverse-over-reverse and finite differences of ⟨∇f, v⟩.
    static func secondOrderError(_ f: @escaping ([Tensor]) -> Tensor, at inputs: [Tensor], seed: UInt64 = 7) -> Double {
        var generator = SeededGenerator(seed: seed)
        let directions = inputs.map { Tensor.randomNormal($0.shape, generator: &generator) }
        let directional: ([Tensor]) -> Tensor = { xs in
            zip(grad(f)(xs), directions).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
        }
        return firstOrderError(directional, at: inputs)
    }

    /// Scalarizes an op's output nonlinearly, f(x) = Σ w ⊙ sin(op(x)), so that the cotangent
    /// reaching the op depends on x and second order really runs the op's VJP of its VJP.
    static func scalarized(_ op: @escaping ([Tensor]) -> Tensor, weightsSeed: UInt64 = 3) -> ([Tensor]) -> Tensor {
        { xs in
            let y = op(xs)
            var generator = SeededGenerator(seed: weightsSeed)
            let w = Tensor.randomNormal(y.shape, generator: &generator)
            return (w * sin(y)).sum()
        }
    }
}
