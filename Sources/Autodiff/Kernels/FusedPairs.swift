/// Two element-wise functions of same-shaped operands run as one loop, for replayed programs:
/// d[i] = g(f(a[i], b[i]), c[i]) (or g(c[i], f(a[i], b[i])) when the first result is g's right
/// operand), where f may also be a mask of a alone (relu's backward pass, g · 1[x > 0], becomes
/// one loop). Each element goes through the same roundings as the two separate kernels, so the
/// results are identical; the intermediate is never stored.
extension Kernels {
    /// Runs the chain (neither function a comparison: see `fusable`); a mask ignores `b`.
    static func fusedPair(_ first: ElementwisePair.Function, _ second: BinaryKernel, intermediateIsLeft: Bool, _ dtype: DType, count: Int,
                          _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer,
                          _ d: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32:
            fusedPair(Float.self, first, second, intermediateIsLeft, count, a, b, c, d)
        case .float64:
            fusedPair(Double.self, first, second, intermediateIsLeft, count, a, b, c, d)
        }
    }

    /// Whether `fusedPair` runs this function.
    static func fusable(_ op: BinaryKernel) -> Bool {
        switch op {
        case .add, .subtract, .multiply, .divide, .addScaled: true
        case .greater, .greaterEqual, .less, .lessEqual, .equal: false
        }
    }

    /// Whether `fusedPair` runs this function first: a fusable binary kernel or a step or sign mask.
    static func fusable(_ function: ElementwisePair.Function) -> Bool {
        switch function {
        case .binary(let op): fusable(op)
        case .mask(.step), .mask(.sign): true
        case .mask: false
        }
    }

    private static func fusedPair<S: TensorScalar>(
        _: S.Type, _ first: ElementwisePair.Function, _ second: BinaryKernel, _ left: Bool, _ count: Int,
        _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer, _ d: UnsafeMutableRawPointer
    ) {
        let (pa, pb, pc, pd) = (a.assumingMemoryBound(to: S.self), b.assumingMemoryBound(to: S.self),
                                c.assumingMemoryBound(to: S.self), d.assumingMemoryBound(to: S.self))
        switch first {
        case .binary(.add): fusedPair(Sum<S>(), second, left, count, pa, pb, pc, pd)
        case .binary(.subtract): fusedPair(Difference<S>(), second, left, count, pa, pb, pc, pd)
        case .binary(.multiply): fusedPair(Product<S>(), second, left, count, pa, pb, pc, pd)
        case .binary(.divide): fusedPair(Quotient<S>(), second, left, count, pa, pb, pc, pd)
        case .binary(.addScaled(let scale)): fusedPair(ScaledSum(scale: S(scale)), second, left, count, pa, pb, pc, pd)
        case .mask(.step): fusedPair(StepMask<S>(), second, left, count, pa, pb, pc, pd)
        case .mask(.sign): fusedPair(SignMask<S>(), second, left, count, pa, pb, pc, pd)
        case .binary, .mask: preconditionFailure("fusedPair: \(first) is not fused")
        }
    }

    private static func fusedPair<S, F: PairFunction>(
        _ f: F, _ second: BinaryKernel, _ left: Bool, _ count: Int,
        _ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>, _ d: UnsafeMutablePointer<S>
    ) where F.Scalar == S {
        switch second {
        case .add: chain(f, Sum<S>(), left, count, a, b, c, d)
        case .subtract: chain(f, Difference<S>(), left, count, a, b, c, d)
        case .multiply: chain(f, Product<S>(), left, count, a, b, c, d)
        case .divide: chain(f, Quotient<S>(), left, count, a, b, c, d)
        case .addScaled(let scale): chain(f, ScaledSum(scale: S(scale)), left, count, a, b, c, d)
        case .greater, .greaterEqual, .less, .lessEqual, .equal: preconditionFailure("fusedPair: comparisons are not fused")
        }
    }

    @inline(__always)
    private static func chain<S, F: PairFunction, G: PairFunction>(
        _ f: F, _ g: G, _ left: Bool, _ count: Int,
        _ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>, _ d: UnsafeMutablePointer<S>
    ) where F.Scalar == S, G.Scalar == S {
        if left {
            for i in 0..<count { d[i] = g.apply(f.apply(a[i], b[i]), c[i]) }
        } else {
            for i in 0..<count { d[i] = g.apply(c[i], f.apply(a[i], b[i])) }
        }
    }
}
