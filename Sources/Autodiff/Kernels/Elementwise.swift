/// Element-wise functions of one tensor.
enum UnaryKernel: Sendable {
    case negate, exp, log, sin, cos, sqrt, tanh, sigmoid, relu, abs
    /// 1 where x > 0, else 0 (the derivative of relu).
    case step
    /// -1, 0 or 1.
    case sign
    /// x^p for a constant p.
    case power(Double)
}

/// Element-wise functions of two broadcast tensors.
enum BinaryKernel: Sendable {
    case add, subtract, multiply, divide
    /// a + c·b for a constant c.
    case addScaled(Double)
    case greater, greaterEqual, less, lessEqual, equal
}

/// The raw computations behind the primitives: no graph, no gradients, just numbers.
///
/// Every kernel generic over the element type `S` that another file may call carries
/// `@_specialize(where S == Float) @_specialize(where S == Double)`. A build that compiles the
/// module file by file (a debug build, this package's or a dependent's) cannot specialize a
/// generic called from another file, and an unspecialized SIMD loop runs each lane through
/// witness tables: evaluating a 20-way Omniglot checkpoint took 25 times as long as in release.
/// With the attribute, each such function enters its Float or Double body directly.
enum Kernels {
    static func fill(_ value: Double, shape: [Int], dtype: DType) -> Tensor {
        let count = shape.reduce(1, *)
        let out = Buffer(dtype: dtype, count: count)
        switch dtype {
        case .float32: out.pointer(Float.self).initialize(repeating: Float(value), count: count)
        case .float64: out.pointer(Double.self).initialize(repeating: value, count: count)
        }
        CaptureRecorder.active?.noteConstant(out)
        return Tensor(buffer: out, shape: shape)
    }

    static func unary(_ x: Tensor, _ op: UnaryKernel) -> Tensor {
        let n = x.scalarCount, dtype = x.dtype
        let out = Buffer(dtype: dtype, count: n)
        unary(op, dtype, count: n, x.buffer.raw, out.raw)
        let mask = ElementwisePair(function: .mask(op), dtype: dtype, count: n)
        CaptureRecorder.active?.append(kernel: "unary \(op) \(dtype) \(n)", reads: [x.buffer], writes: [out],
                                       pair: Kernels.fusable(mask.function) ? mask : nil) { s in
            let (source, destination) = (s[0], s[1])
            return { table in unary(op, dtype, count: n, table[source], table[destination]) }
        }
        return Tensor(buffer: out, shape: x.shape)
    }

    /// `op` applied to `count` elements of `source`, written to `destination`.
    static func unary(_ op: UnaryKernel, _ dtype: DType, count: Int,
                      _ source: UnsafeMutableRawPointer, _ destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32: unary(op, count, source.assumingMemoryBound(to: Float.self), destination.assumingMemoryBound(to: Float.self))
        case .float64: unary(op, count, source.assumingMemoryBound(to: Double.self), destination.assumingMemoryBound(to: Double.self))
        }
    }

    @inline(__always)
    private static func map<S: TensorScalar>(_ src: UnsafeMutablePointer<S>, _ dst: UnsafeMutablePointer<S>,
                                             _ n: Int, _ f: (S) -> S) {
        for i in 0..<n { dst[i] = f(src[i]) }
    }

    private static func unary<S: TensorScalar>(_ op: UnaryKernel, _ n: Int, _ s: UnsafeMutablePointer<S>,
                                               _ d: UnsafeMutablePointer<S>) {
        switch op {
        case .negate: map(s, d, n) { -$0 }
        case .exp: map(s, d, n) { S.exp($0) }
        case .log: map(s, d, n) { S.log($0) }
        case .sin: map(s, d, n) { S.sin($0) }
        case .cos: map(s, d, n) { S.cos($0) }
        case .sqrt: map(s, d, n) { $0.squareRoot() }
        case .tanh: map(s, d, n) { S.tanh($0) }
        case .sigmoid: map(s, d, n) { $0 >= 0 ? 1 / (1 + S.exp(-$0)) : S.exp($0) / (1 + S.exp($0)) }
        case .relu: map(s, d, n) { $0 > 0 ? $0 : 0 }
        case .abs: map(s, d, n) { Swift.abs($0) }
        case .step: map(s, d, n) { StepMask<S>().apply($0, $0) }
        case .sign: map(s, d, n) { SignMask<S>().apply($0, $0) }
        case .power(let p):
            let e = S(p)
            if p == 2 { map(s, d, n) { $0 * $0 } }
            else if p == 1 { map(s, d, n) { $0 } }
            else if p == 0 { map(s, d, n) { _ in 1 } }
            else if p == 0.5 { map(s, d, n) { $0.squareRoot() } }
            else if p == -1 { map(s, d, n) { 1 / $0 } }
            else { map(s, d, n) { S.pow($0, e) } }
        }
    }

    /// The broadcast shape of two operands, or a stop naming the op and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        guard let shape = Shapes.broadcast(a, b) else {
            fatalError("\(op): cannot broadcast shapes \(a) and \(b)")
        }
        return shape
    }

    static func binary(_ a: Tensor, _ b: Tensor, _ op: BinaryKernel, name: String) -> Tensor {
        check(a.dtype == b.dtype, "\(name): dtypes differ (\(a.dtype) and \(b.dtype)) for shapes \(a.shape) and \(b.shape)")
        let shape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape, op: name)
        let count = shape.reduce(1, *), dtype = a.dtype
        let out = Buffer(dtype: dtype, count: count)
        let layout = BinaryLayout(a.shape, b.shape, output: shape)
        binary(op, layout, dtype, count: count, a.buffer.raw, b.buffer.raw, out.raw)
        CaptureRecorder.active?.append(kernel: "binary \(op) \(dtype) \(a.shape) \(b.shape)", reads: [a.buffer, b.buffer], writes: [out],
                                       pair: a.shape == b.shape ? ElementwisePair(function: .binary(op), dtype: dtype, count: count) : nil) { s in
            let (left, right, destination) = (s[0], s[1], s[2])
            return { table in binary(op, layout, dtype, count: count, table[left], table[right], table[destination]) }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// `op` over two operands laid out as `layout` says, into `count` elements of `destination`.
    static func binary(_ op: BinaryKernel, _ layout: BinaryLayout, _ dtype: DType, count: Int,
                       _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, _ destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32:
            binary(op, layout, count, a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self),
                   destination.assumingMemoryBound(to: Float.self))
        case .float64:
            binary(op, layout, count, a.assumingMemoryBound(to: Double.self), b.assumingMemoryBound(to: Double.self),
                   destination.assumingMemoryBound(to: Double.self))
        }
    }

    /// How the two operands of an element-wise op line up with the output.
    enum BinaryLayout {
        /// Both have the output's shape: one flat pass.
        case same
        /// `a` has the output's shape and `b` repeats in blocks (a scalar, a trailing block such
        /// as a bias row, per-task rows [T, 1, w]): walked block by block, no index arithmetic.
        case repeatingB(RepeatBlocks)
        /// The mirror image: `b` has the output's shape, `a` repeats.
        case repeatingA(RepeatBlocks)
        /// Anything else walks the broadcast index space.
        case strided(StridedLoop)

        init(_ a: [Int], _ b: [Int], output: [Int]) {
            if a == b { self = .same; return }
            if a == output, let blocks = Shapes.repeatBlocks(of: b, in: output) { self = .repeatingB(blocks); return }
            if b == output, let blocks = Shapes.repeatBlocks(of: a, in: output) { self = .repeatingA(blocks); return }
            self = .strided(StridedLoop(shape: output, strides: [
                Shapes.strides(output), Shapes.broadcastStrides(a, to: output), Shapes.broadcastStrides(b, to: output),
            ]))
        }
    }

    @inline(__always)
    private static func zip<S, F: PairFunction>(_ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>,
                                                _ d: UnsafeMutablePointer<S>, _ layout: BinaryLayout, count: Int,
                                                _ f: F) where F.Scalar == S {
        guard count > 0 else { return }
        switch layout {
        case .same:
            // One flat pass the compiler can vectorize.
            for i in 0..<count { d[i] = f.apply(a[i], b[i]) }
        case .repeatingB(let blocks):
            // d[o, r, i] = f.apply(a[o, r, i], b[o, i]).
            for o in 0..<blocks.outer {
                let pb = b + o * blocks.inner, first = o * blocks.repeats * blocks.inner
                if blocks.inner == 1 {
                    let y = pb[0], pa = a + first, pd = d + first
                    for i in 0..<blocks.repeats { pd[i] = f.apply(pa[i], y) }
                    continue
                }
                for r in 0..<blocks.repeats {
                    let pa = a + first + r * blocks.inner, pd = d + first + r * blocks.inner
                    for i in 0..<blocks.inner { pd[i] = f.apply(pa[i], pb[i]) }
                }
            }
        case .repeatingA(let blocks):
            // d[o, r, i] = f.apply(a[o, i], b[o, r, i]).
            for o in 0..<blocks.outer {
                let pa = a + o * blocks.inner, first = o * blocks.repeats * blocks.inner
                if blocks.inner == 1 {
                    let x = pa[0], pb = b + first, pd = d + first
                    for i in 0..<blocks.repeats { pd[i] = f.apply(x, pb[i]) }
                    continue
                }
                for r in 0..<blocks.repeats {
                    let pb = b + first + r * blocks.inner, pd = d + first + r * blocks.inner
                    for i in 0..<blocks.inner { pd[i] = f.apply(pa[i], pb[i]) }
                }
            }
        case .strided(let loop):
            loop.forEachRun { od, oa, ob, n, sd, sa, sb in
                if sa == 1 && sb == 1 && sd == 1 {
                    let pa = a + oa, pb = b + ob, pd = d + od
                    for i in 0..<n { pd[i] = f.apply(pa[i], pb[i]) }
                } else if sa == 1 && sb == 0 && sd == 1 {
                    let pa = a + oa, y = b[ob], pd = d + od
                    for i in 0..<n { pd[i] = f.apply(pa[i], y) }
                } else if sa == 0 && sb == 1 && sd == 1 {
                    let x = a[oa], pb = b + ob, pd = d + od
                    for i in 0..<n { pd[i] = f.apply(x, pb[i]) }
                } else {
                    for i in 0..<n { d[od + i * sd] = f.apply(a[oa + i * sa], b[ob + i * sb]) }
                }
            }
        }
    }

    private static func binary<S: TensorScalar>(_ op: BinaryKernel, _ layout: BinaryLayout, _ count: Int,
                                                _ pa: UnsafeMutablePointer<S>, _ pb: UnsafeMutablePointer<S>,
                                                _ d: UnsafeMutablePointer<S>) {
        switch op {
        case .add: zip(pa, pb, d, layout, count: count, Sum<S>())
        case .subtract: zip(pa, pb, d, layout, count: count, Difference<S>())
        case .multiply: zip(pa, pb, d, layout, count: count, Product<S>())
        case .divide: zip(pa, pb, d, layout, count: count, Quotient<S>())
        case .addScaled(let c):
            let scale = S(c)
            zip(pa, pb, d, layout, count: count, ScaledSum(scale: scale))
        case .greater: zip(pa, pb, d, layout, count: count, Comparison<S>(test: .greater))
        case .greaterEqual: zip(pa, pb, d, layout, count: count, Comparison<S>(test: .greaterEqual))
        case .less: zip(pa, pb, d, layout, count: count, Comparison<S>(test: .less))
        case .lessEqual: zip(pa, pb, d, layout, count: count, Comparison<S>(test: .lessEqual))
        case .equal: zip(pa, pb, d, layout, count: count, Comparison<S>(test: .equal))
        }
    }

    /// destination += addition, element by element; same shape and dtype, and `destination`
    /// owned by the caller alone (a buffer is otherwise never written after it is made).
    static func addInPlace(_ addition: Tensor, into destination: Buffer) {
        CaptureRecorder.active?.fail("a buffer was changed in place")
        check(addition.scalarCount == destination.count && addition.dtype == destination.dtype,
              "addInPlace: \(addition.scalarCount) \(addition.dtype) values into \(destination.count) \(destination.dtype)")
        destination.repeatedPeriod = nil
        switch destination.dtype {
        case .float32: addInPlace(addition.buffer.pointer(Float.self), destination.pointer(Float.self), destination.count)
        case .float64: addInPlace(addition.buffer.pointer(Double.self), destination.pointer(Double.self), destination.count)
        }
    }

    /// destination[i] += source[i] for i < count.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addInPlace<S: TensorScalar>(_ source: UnsafeMutablePointer<S>, _ destination: UnsafeMutablePointer<S>, _ count: Int) {
        for i in 0..<count { destination[i] += source[i] }
    }

    /// `mask != 0 ? a : b`, all three broadcast together.
    static func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = broadcastShape(mask.shape, broadcastShape(a.shape, b.shape, op: "select"), op: "select")
        let m = broadcastTo(mask.converted(to: a.dtype), shape)
        let x = broadcastTo(a, shape), y = broadcastTo(b, shape)
        let count = x.scalarCount, dtype = a.dtype
        let out = Buffer(dtype: dtype, count: count)
        select(dtype, count: count, m.buffer.raw, x.buffer.raw, y.buffer.raw, out.raw)
        CaptureRecorder.active?.append(kernel: "select \(dtype) \(count)", reads: [m.buffer, x.buffer, y.buffer], writes: [out]) { s in
            let (pm, px, py, d) = (s[0], s[1], s[2], s[3])
            return { table in select(dtype, count: count, table[pm], table[px], table[py], table[d]) }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// destination[i] = mask[i] != 0 ? a[i] : b[i] over `count` elements of one shape.
    static func select(_ dtype: DType, count: Int, _ mask: UnsafeMutableRawPointer, _ a: UnsafeMutableRawPointer,
                       _ b: UnsafeMutableRawPointer, _ destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32: select(Float.self, count, mask, a, b, destination)
        case .float64: select(Double.self, count, mask, a, b, destination)
        }
    }

    private static func select<S: TensorScalar>(_: S.Type, _ count: Int, _ mask: UnsafeMutableRawPointer, _ a: UnsafeMutableRawPointer,
                                                _ b: UnsafeMutableRawPointer, _ destination: UnsafeMutableRawPointer) {
        let pm = mask.assumingMemoryBound(to: S.self), px = a.assumingMemoryBound(to: S.self)
        let py = b.assumingMemoryBound(to: S.self), d = destination.assumingMemoryBound(to: S.self)
        for i in 0..<count { d[i] = pm[i] != 0 ? px[i] : py[i] }
    }
}

/// An element-wise function of two scalars, as a type, so each kernel loop is specialized for
/// it and the function is inlined into the loop.
protocol PairFunction {
    associatedtype Scalar: TensorScalar
    func apply(_ a: Scalar, _ b: Scalar) -> Scalar
}

/// 1 where a > 0, else 0 (b is not read): relu's derivative.
struct StepMask<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _: Scalar) -> Scalar { a > 0 ? 1 : 0 }
}

/// The sign of a, -1, 0 or 1 (b is not read): the derivative of |a|.
struct SignMask<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _: Scalar) -> Scalar { a > 0 ? 1 : (a < 0 ? -1 : 0) }
}

/// a + b.
struct Sum<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar { a + b }
}

/// a − b.
struct Difference<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar { a - b }
}

/// a · b.
struct Product<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar { a * b }
}

/// a / b.
struct Quotient<Scalar: TensorScalar>: PairFunction {
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar { a / b }
}

/// a + c·b.
struct ScaledSum<Scalar: TensorScalar>: PairFunction {
    let scale: Scalar
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar { a + scale * b }
}

/// 1 where the comparison holds, else 0.
struct Comparison<Scalar: TensorScalar>: PairFunction {
    enum Test { case greater, greaterEqual, less, lessEqual, equal }
    let test: Test
    @inline(__always) func apply(_ a: Scalar, _ b: Scalar) -> Scalar {
        let holds = switch test {
        case .greater: a > b
        case .greaterEqual: a >= b
        case .less: a < b
        case .lessEqual: a <= b
        case .equal: a == b
        }
        return holds ? 1 : 0
    }
}
