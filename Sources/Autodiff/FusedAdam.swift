/// One Adam update of one tensor in a single pass over its elements, for untracked tensors:
///
///     m′ = β₁ m + (1 − β₁) g
///     v′ = β₂ v + (1 − β₂) g²
///     θ′ = θ − α (m′ / c₁) / (√(v′ / c₂) + ε)
///
/// with the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ, or nil for none. Each element goes
/// through the same operations in the same order, with the constants rounded to the tensor's
/// dtype, as the composed tensor expression, so the results are identical to it; the composed
/// form allocates about a dozen intermediate tensors per parameter and records nothing either.
/// All four tensors must have one shape and dtype and no graph node (an update to differentiate
/// through, such as a diagram of an Adam step, must use the composed operations).
public func fusedAdamUpdate(
    parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor,
    learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, corrections: (first: Double, second: Double)?
) -> (parameter: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
    let operands = [parameter, gradient, firstMoment, secondMoment]
    check(operands.allSatisfy { $0.shape == parameter.shape && $0.dtype == parameter.dtype },
          "fusedAdamUpdate: parameter, gradient and moments have shapes \(operands.map(\.shape)) and dtypes \(operands.map(\.dtype)); they must agree")
    check(operands.allSatisfy { $0.node == nil }, "fusedAdamUpdate: the tensors must not be tracked by a graph")
    let constants = AdamConstants(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, corrections: corrections)
    let count = parameter.scalarCount
    let (newParameter, newFirst, newSecond) = (Buffer(dtype: parameter.dtype, count: count),
                                               Buffer(dtype: parameter.dtype, count: count),
                                               Buffer(dtype: parameter.dtype, count: count))
    let dtype = parameter.dtype
    adamKernel(dtype, constants, count: count, parameter.buffer.raw, gradient.buffer.raw, firstMoment.buffer.raw,
               secondMoment.buffer.raw, newParameter.raw, newFirst.raw, newSecond.raw)
    CaptureRecorder.active?.append(kernel: "adam \(constants) \(dtype) \(count)", reads: operands.map(\.buffer), writes: [newParameter, newFirst, newSecond]) { s in
        { t in adamKernel(dtype, constants, count: count, t[s[0]], t[s[1]], t[s[2]], t[s[3]], t[s[4]], t[s[5]], t[s[6]]) }
    }
    let shape = parameter.shape
    return (Tensor(buffer: newParameter, shape: shape), Tensor(buffer: newFirst, shape: shape),
            Tensor(buffer: newSecond, shape: shape))
}

/// Adam's hyper-parameters as the composed expression uses them.
private struct AdamConstants {
    let learningRate, beta1, beta2, epsilon: Double
    let corrections: (first: Double, second: Double)?
}

/// The update on raw memory holding elements of `dtype`.
private func adamKernel(
    _ dtype: DType, _ c: AdamConstants, count: Int, _ theta: UnsafeMutableRawPointer, _ g: UnsafeMutableRawPointer,
    _ m: UnsafeMutableRawPointer, _ v: UnsafeMutableRawPointer,
    _ newTheta: UnsafeMutableRawPointer, _ newM: UnsafeMutableRawPointer, _ newV: UnsafeMutableRawPointer
) {
    switch dtype {
    case .float32: adamKernel(Float.self, c, count: count, theta, g, m, v, newTheta, newM, newV)
    case .float64: adamKernel(Double.self, c, count: count, theta, g, m, v, newTheta, newM, newV)
    }
}

private func adamKernel<S: TensorScalar>(
    _: S.Type, _ c: AdamConstants, count: Int, _ theta: UnsafeMutableRawPointer, _ g: UnsafeMutableRawPointer,
    _ m: UnsafeMutableRawPointer, _ v: UnsafeMutableRawPointer,
    _ newTheta: UnsafeMutableRawPointer, _ newM: UnsafeMutableRawPointer, _ newV: UnsafeMutableRawPointer
) {
    let (pt, pg) = (theta.assumingMemoryBound(to: S.self), g.assumingMemoryBound(to: S.self))
    let (pm, pv) = (m.assumingMemoryBound(to: S.self), v.assumingMemoryBound(to: S.self))
    let (dt, dm, dv) = (newTheta.assumingMemoryBound(to: S.self), newM.assumingMemoryBound(to: S.self), newV.assumingMemoryBound(to: S.self))
    // The constants exactly as `Tensor op Double` rounds them: to the tensor's dtype.
    let (beta1, keep1) = (S(c.beta1), S(1 - c.beta1))
    let (beta2, keep2) = (S(c.beta2), S(1 - c.beta2))
    let (alpha, epsilon) = (S(c.learningRate), S(c.epsilon))
    // One pass: m' = β₁m + (1 - β₁)g, v' = β₂v + (1 - β₂)g², θ' = θ - α·step(m', v').
    @inline(__always) func update(_ step: (S, S) -> S) {
        for i in 0..<count {
            let gi = pg[i]
            let mi = beta1 * pm[i] + keep1 * gi
            let vi = beta2 * pv[i] + keep2 * (gi * gi)
            dm[i] = mi
            dv[i] = vi
            dt[i] = pt[i] - alpha * step(mi, vi)
        }
    }
    if let corrections = c.corrections {
        let (c1, c2) = (S(corrections.first), S(corrections.second))
        update { m, v in (m / c1) / ((v / c2).squareRoot() + epsilon) }
    } else {
        update { m, v in m / (v.squareRoot() + epsilon) }
    }
}
