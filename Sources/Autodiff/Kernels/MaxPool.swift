/// Which element won each window of a max-pooling, kept so that the gradient can be routed back.
///
/// For an input `[N, C, H, W]` pooled over `size`x`size` windows, output element t of plane p
/// (p runs over N·C) came from input element p·H·W + `offsets[p·oh·ow + t]`. The winners are
/// data-dependent constants: picking them and routing back to them are linear maps, each the
/// adjoint of the other, so max-pooling stays differentiable to any order.
public final class PoolWinners: Sendable {
    /// The pooled input's shape, `[N, C, H, W]`.
    public let inputShape: [Int]
    /// The window's side.
    public let size: Int
    /// For each output element, its winner's offset inside its input plane (row · W + column).
    let offsets: [Int32]

    init(inputShape: [Int], size: Int, offsets: [Int32]) {
        self.inputShape = inputShape
        self.size = size
        self.offsets = offsets
    }

    /// The pooled shape, `[N, C, H / size, W / size]` (rows and columns past the last full window dropped).
    public var outputShape: [Int] { [inputShape[0], inputShape[1], inputShape[2] / size, inputShape[3] / size] }

    var planes: Int { inputShape[0] * inputShape[1] }
    var planeSize: Int { inputShape[2] * inputShape[3] }
    var pooledPlaneSize: Int { (inputShape[2] / size) * (inputShape[3] / size) }
}

extension Kernels {
    /// Max-pools `[N, C, H, W]` over non-overlapping windows in one pass: the values and the
    /// winners (the first maximum in reading order on ties).
    static func maxPool(_ x: Tensor, size: Int) -> (Tensor, PoolWinners) {
        switch x.dtype {
        case .float32: maxPool(x, size, Float.self)
        case .float64: maxPool(x, size, Double.self)
        }
    }

    /// The winners' values: y[p, t] = x[p, offsets[p, t]].
    static func pickWinners(_ x: Tensor, _ winners: PoolWinners) -> Tensor {
        check(x.shape == winners.inputShape, "max-pool: winners of an input \(winners.inputShape) picked from \(x.shape)")
        let out = Buffer(dtype: x.dtype, count: winners.planes * winners.pooledPlaneSize)
        switch x.dtype {
        case .float32: pickWinners(x.buffer.pointer(Float.self), winners, into: out.pointer(Float.self))
        case .float64: pickWinners(x.buffer.pointer(Double.self), winners, into: out.pointer(Double.self))
        }
        return Tensor(buffer: out, shape: winners.outputShape)
    }

    /// Zeros of the input's shape with g[p, t] at each winner (the adjoint of `pickWinners`).
    static func routeToWinners(_ g: Tensor, _ winners: PoolWinners) -> Tensor {
        check(g.shape == winners.outputShape, "max-pool: a cotangent \(g.shape) routed to winners of \(winners.outputShape)")
        let out = Buffer(dtype: g.dtype, count: winners.planes * winners.planeSize)
        switch g.dtype {
        case .float32: routeToWinners(g.buffer.pointer(Float.self), winners, into: out.pointer(Float.self))
        case .float64: routeToWinners(g.buffer.pointer(Double.self), winners, into: out.pointer(Double.self))
        }
        return Tensor(buffer: out, shape: winners.inputShape)
    }

    private static func pickWinners<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, _ winners: PoolWinners,
                                                     into y: UnsafeMutablePointer<S>) {
        let (planeSize, pooled) = (winners.planeSize, winners.pooledPlaneSize)
        winners.offsets.withUnsafeBufferPointer { offsets in
            for plane in 0..<winners.planes {
                let source = x + plane * planeSize, first = plane * pooled
                for t in 0..<pooled { y[first + t] = source[Int(offsets[first + t])] }
            }
        }
    }

    /// Writes each input element once: the `size` rows under a row of windows are zeroed while
    /// they are in cache and the winners written over them, then the rows past the last window.
    private static func routeToWinners<S: TensorScalar>(_ g: UnsafeMutablePointer<S>, _ winners: PoolWinners,
                                                        into d: UnsafeMutablePointer<S>) {
        let (h, w, size) = (winners.inputShape[2], winners.inputShape[3], winners.size)
        let (oh, ow) = (h / size, w / size)
        winners.offsets.withUnsafeBufferPointer { offsets in
            for plane in 0..<winners.planes {
                let destination = d + plane * h * w
                for i in 0..<oh {
                    (destination + i * size * w).update(repeating: 0, count: size * w)
                    let first = (plane * oh + i) * ow
                    for t in first..<(first + ow) { destination[Int(offsets[t])] = g[t] }
                }
                (destination + oh * size * w).update(repeating: 0, count: (h - oh * size) * w)
            }
        }
    }

    /// The winners of four adjacent 2x2 windows whose top-left corners are at `row[0, 2, 4, 6]`,
    /// as offsets from each corner (0, 1, w or w + 1 for a row of length w), and their values.
    ///
    /// With a, b the upper and c, d the lower pair of a window: the first maximum of each pair,
    /// then the lower pair's only if strictly greater, which is the first maximum in reading
    /// order (the same winner as a scan of the window, ties included), with no branches.
    @inline(__always)
    private static func fourWindowWinners(_ row: UnsafeMutablePointer<Float>, rowLength w: Int)
        -> (offsets: SIMD4<Int32>, values: SIMD4<Float>) {
        fourWindowWinners(upperRow: UnsafeRawPointer(row).loadUnaligned(as: SIMD8<Float>.self),
                          lowerRow: UnsafeRawPointer(row + w).loadUnaligned(as: SIMD8<Float>.self), rowLength: w)
    }

    /// Calls `body` with the first window of each group of four that covers a row of `windows`
    /// 2x2 windows: 0, 4, 8, … and, when the count is not a multiple of four, a last group that
    /// ends at the row's end and overlaps the one before (its shared windows are computed twice,
    /// with the same results). Rows of fewer than four windows are left to the caller.
    @inline(__always)
    private static func forEachFourWindowGroup(windows: Int, _ body: (Int) -> Void) {
        guard windows >= 4 else { return }
        var start = 0
        while start < windows - 4 {
            body(start)
            start += 4
        }
        body(windows - 4)
    }

    /// `fourWindowWinners` of the two rows of eight values under four adjacent windows.
    @inline(__always)
    private static func fourWindowWinners(upperRow: SIMD8<Float>, lowerRow: SIMD8<Float>, rowLength w: Int)
        -> (offsets: SIMD4<Int32>, values: SIMD4<Float>) {
        let (a, b, c, d) = (upperRow.evenHalf, upperRow.oddHalf, lowerRow.evenHalf, lowerRow.oddHalf)
        let upperRight = b .> a, lowerRight = d .> c
        let upper = a.replacing(with: b, where: upperRight), lower = c.replacing(with: d, where: lowerRight)
        let upperOffset = SIMD4<Int32>(repeating: 0).replacing(with: 1, where: upperRight)
        let lowerOffset = SIMD4<Int32>(repeating: Int32(w)).replacing(with: Int32(w + 1), where: lowerRight)
        let lowerWins = lower .> upper
        return (upperOffset.replacing(with: lowerOffset, where: lowerWins), upper.replacing(with: lower, where: lowerWins))
    }

    private static func maxPool<S: TensorScalar>(_ x: Tensor, _ size: Int, _: S.Type) -> (Tensor, PoolWinners) {
        let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let pooled = (h / size) * (w / size)
        let out = Buffer(dtype: x.dtype, count: planes * pooled)
        let (p, y) = (x.buffer.pointer(S.self), out.pointer(S.self))
        var offsets = [Int32](repeating: 0, count: planes * pooled)
        offsets.withUnsafeMutableBufferPointer { offsets in
            for plane in 0..<planes {
                poolPlane(p + plane * h * w, height: h, width: w, size: size,
                          values: y + plane * pooled, offsets: offsets.baseAddress! + plane * pooled)
            }
        }
        return (Tensor(buffer: out, shape: [x.shape[0], x.shape[1], h / size, w / size]),
                PoolWinners(inputShape: x.shape, size: size, offsets: offsets))
    }

    /// Max-pools one `height`x`width` plane: each window's value and its winner's offset in the plane.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func poolPlane<S: TensorScalar>(_ source: UnsafeMutablePointer<S>, height h: Int, width w: Int, size: Int,
                                           values y: UnsafeMutablePointer<S>, offsets: UnsafeMutablePointer<Int32>) {
        check(h * w <= Int(Int32.max), "maxPool2d: an input plane of \(h)x\(w) is too large")
        let (oh, ow) = (h / size, w / size)
        var k = 0
        for i in 0..<oh {
            let top = i * size * w
            var j = 0
            if size == 2 && S.self == Float.self {
                // Four windows at a time in SIMD lanes (see `fourWindowWinners`).
                let row = UnsafeMutableRawPointer(source + top).assumingMemoryBound(to: Float.self)
                forEachFourWindowGroup(windows: ow) { start in
                    let (corner, best) = fourWindowWinners(row + 2 * start, rowLength: w)
                    let offset = corner &+ SIMD4<Int32>(0, 2, 4, 6) &+ Int32(top + 2 * start)
                    UnsafeMutableRawPointer(y + k + start).storeBytes(of: best, as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(offsets + k + start).storeBytes(of: offset, as: SIMD4<Int32>.self)
                }
                if ow >= 4 { (j, k) = (ow, k + ow) }
            }
            for j in j..<ow {
                var best = top + j * size
                if size == 2 {
                    // The common 2x2 window, unrolled.
                    let (a, b, c, d) = (source[best], source[best + 1], source[best + w], source[best + w + 1])
                    let upper = b > a ? b : a, lower = d > c ? d : c
                    let upperOffset = b > a ? 1 : 0, lowerOffset = d > c ? w + 1 : w
                    best += lower > upper ? lowerOffset : upperOffset
                } else {
                    for di in 0..<size {
                        for dj in 0..<size where source[top + di * w + j * size + dj] > source[best] {
                            best = top + di * w + j * size + dj
                        }
                    }
                }
                offsets[k] = Int32(best)
                y[k] = source[best]
                k += 1
            }
        }
    }

    /// `poolPlane` of the normalized plane z = scale · x + shift (Float, 2x2 windows) without
    /// storing it: each value is normalized as it is loaded, with the same arithmetic, so the
    /// values and winners are those of normalizing the plane first.
    static func poolNormalizedPlane(_ source: UnsafeMutablePointer<Float>, scale: Float, shift: Float, height h: Int, width w: Int,
                                    values y: UnsafeMutablePointer<Float>, offsets: UnsafeMutablePointer<Int32>) {
        check(h * w <= Int(Int32.max), "maxPool2d: an input plane of \(h)x\(w) is too large")
        let (oh, ow) = (h / 2, w / 2)
        let (a, b) = (SIMD8<Float>(repeating: scale), SIMD8<Float>(repeating: shift))
        @inline(__always) func z(_ i: Int) -> Float { scale * source[i] + shift }
        var k = 0
        for i in 0..<oh {
            let top = i * 2 * w
            forEachFourWindowGroup(windows: ow) { start in
                let row = source + top + 2 * start
                let upper = a * UnsafeRawPointer(row).loadUnaligned(as: SIMD8<Float>.self) + b
                let lower = a * UnsafeRawPointer(row + w).loadUnaligned(as: SIMD8<Float>.self) + b
                let (corner, best) = fourWindowWinners(upperRow: upper, lowerRow: lower, rowLength: w)
                let offset = corner &+ SIMD4<Int32>(0, 2, 4, 6) &+ Int32(top + 2 * start)
                UnsafeMutableRawPointer(y + k + start).storeBytes(of: best, as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(offsets + k + start).storeBytes(of: offset, as: SIMD4<Int32>.self)
            }
            let j = ow >= 4 ? ow : 0
            k += j
            for j in j..<ow {
                var best = top + j * 2
                let (p, q, r, s) = (z(best), z(best + 1), z(best + w), z(best + w + 1))
                let upper = q > p ? q : p, lower = s > r ? s : r
                best += lower > upper ? (s > r ? w + 1 : w) : (q > p ? 1 : 0)
                offsets[k] = Int32(best)
                y[k] = lower > upper ? lower : upper
                k += 1
            }
        }
    }
}
