import Autodiff

/// Relative error |a - b| / max(1, |a|, |b|).
func relativeError(_ a: Double, _ b: Double) -> Double {
    Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
}

/// Scalarizes an op's output nonlinearly, f(x) = Σ w ⊙ sin(op(x)), so that the cotangent
/// reaching the op depends on x and a second-order check really runs the op's VJP of its VJP
/// (a linear op would otherwise get a constant cotangent).
func scalarized(_ op: @escaping ([Tensor]) -> Tensor, weightsSeed: UInt64 = 3) -> ([Tensor]) -> Tensor {
    { xs in
        let y = op(xs)
        var generator = SeededGenerator(seed: weightsSeed)
        let w = Tensor.randomNormal(y.shape, generator: &generator)
        return (w * sin(y)).sum()
    }
}
