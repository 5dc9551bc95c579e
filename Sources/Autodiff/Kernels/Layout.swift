/// Kernels that move elements around: broadcasting, reductions to a shape, permutes,
/// slices, padding, gathers and concatenation. All work on contiguous row-major buffers.
extension Kernels {
    /// Copies `count(shape)` elements read with `sourceStrides` from `source + sourceOffset`
    /// into `destination + destinationOffset` written with `destinationStrides`; `accumulate`
    /// adds instead of overwriting.
    private static func stridedCopy<S: TensorScalar>(
        _: S.Type, shape: [Int], source: UnsafeMutableRawPointer, sourceStrides: [Int], sourceOffset: Int = 0,
        destination: UnsafeMutableRawPointer, destinationStrides: [Int], destinationOffset: Int = 0, accumulate: Bool = false
    ) {
        let s = source.assumingMemoryBound(to: S.self), d = destination.assumingMemoryBound(to: S.self)
        let loop = StridedLoop(shape: shape, strides: [destinationStrides, sourceStrides])
        loop.forEachRun(offsets: (destinationOffset, sourceOffset, 0)) { od, os, _, n, sd, ss, _ in
            if accumulate {
                if sd == 1 && ss == 1 {
                    let pd = d + od, ps = s + os
                    for i in 0..<n { pd[i] += ps[i] }
                } else if sd == 0 && ss == 1 {
                    // A contiguous run summed with four partial sums so the additions pipeline.
                    let ps = s + os
                    var partial: (S, S, S, S) = (0, 0, 0, 0)
                    var i = 0
                    while i + 4 <= n {
                        partial.0 += ps[i]; partial.1 += ps[i + 1]; partial.2 += ps[i + 2]; partial.3 += ps[i + 3]
                        i += 4
                    }
                    var total = (partial.0 + partial.1) + (partial.2 + partial.3)
                    while i < n { total += ps[i]; i += 1 }
                    d[od] += total
                } else if sd == 0 {
                    var total: S = 0
                    for i in 0..<n { total += s[os + i * ss] }
                    d[od] += total
                } else {
                    for i in 0..<n { d[od + i * sd] += s[os + i * ss] }
                }
            } else if sd == 1 && ss == 1 {
                (d + od).update(from: s + os, count: n)
            } else {
                for i in 0..<n { d[od + i * sd] = s[os + i * ss] }
            }
        }
    }

    /// Dtype-dispatching front of `stridedCopy`.
    static func copy(shape: [Int], from source: Buffer, strides sourceStrides: [Int], readOffset sourceOffset: Int = 0,
                     to destination: Buffer, strides destinationStrides: [Int], writeOffset destinationOffset: Int = 0,
                     accumulate: Bool = false) {
        copy(source.dtype, shape: shape, from: source.raw, strides: sourceStrides, readOffset: sourceOffset,
             to: destination.raw, strides: destinationStrides, writeOffset: destinationOffset, accumulate: accumulate)
    }

    /// `copy` on raw memory holding elements of `dtype`.
    static func copy(_ dtype: DType, shape: [Int], from source: UnsafeMutableRawPointer, strides sourceStrides: [Int],
                     readOffset sourceOffset: Int = 0, to destination: UnsafeMutableRawPointer, strides destinationStrides: [Int],
                     writeOffset destinationOffset: Int = 0, accumulate: Bool = false) {
        switch dtype {
        case .float32:
            stridedCopy(Float.self, shape: shape, source: source, sourceStrides: sourceStrides, sourceOffset: sourceOffset,
                        destination: destination, destinationStrides: destinationStrides,
                        destinationOffset: destinationOffset, accumulate: accumulate)
        case .float64:
            stridedCopy(Double.self, shape: shape, source: source, sourceStrides: sourceStrides, sourceOffset: sourceOffset,
                        destination: destination, destinationStrides: destinationStrides,
                        destinationOffset: destinationOffset, accumulate: accumulate)
        }
    }

    /// Repeats `x` along broadcast axes to fill `shape`.
    static func broadcastTo(_ x: Tensor, _ shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        check(Shapes.canBroadcast(x.shape, to: shape), "broadcast: cannot broadcast shape \(x.shape) to \(shape)")
        let result = reshaped("broadcast", x, to: shape, broadcast)
        if x.scalarCount > 0, let blocks = Shapes.repeatBlocks(of: x.shape, in: shape), blocks.outer == 1 {
            // Only new (or length-1) leading axes: the result is x's elements repeated end to end.
            result.buffer.repeatedPeriod = x.scalarCount
        }
        return result
    }

    /// `kernel(dtype, x's shape, x, shape, result)` into a new buffer of `shape`, recorded under
    /// `name` for a running capture: what broadcasting and summing to a shape share.
    private static func reshaped(_ name: String, _ x: Tensor, to shape: [Int],
                                 _ kernel: @escaping (DType, [Int], UnsafeMutableRawPointer, [Int], UnsafeMutableRawPointer) -> Void) -> Tensor {
        let (dtype, inputShape) = (x.dtype, x.shape)
        let out = Buffer(dtype: dtype, count: shape.reduce(1, *))
        kernel(dtype, inputShape, x.buffer.raw, shape, out.raw)
        CaptureRecorder.active?.append(kernel: "\(name) \(dtype) \(inputShape) \(shape)", reads: [x.buffer], writes: [out]) { s in
            let (source, destination) = (s[0], s[1])
            return { table in kernel(dtype, inputShape, table[source], shape, table[destination]) }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// Writes `source` (of `inputShape`) repeated to fill `shape` into `destination`.
    static func broadcast(_ dtype: DType, _ inputShape: [Int], _ source: UnsafeMutableRawPointer,
                          to shape: [Int], _ destination: UnsafeMutableRawPointer) {
        let count = shape.reduce(1, *)
        if count > 0, let blocks = Shapes.repeatBlocks(of: inputShape, in: shape) {
            // Each of x's runs of `inner` values fills a block of `repeats` runs: copy it in, then
            // double the filled prefix (always whole runs) until the block is full, in log₂(repeats) copies.
            let (run, block) = (blocks.inner * dtype.byteCount, blocks.repeats * blocks.inner * dtype.byteCount)
            for o in 0..<blocks.outer {
                let target = destination + o * block
                target.copyMemory(from: source + o * run, byteCount: run)
                var filled = run
                while filled < block {
                    let chunk = Swift.min(filled, block - filled)
                    (target + filled).copyMemory(from: target, byteCount: chunk)
                    filled += chunk
                }
            }
            return
        }
        copy(dtype, shape: shape, from: source, strides: Shapes.broadcastStrides(inputShape, to: shape),
             to: destination, strides: Shapes.strides(shape))
    }

    /// Sums `x` down to `shape` (the adjoint of broadcasting to `x.shape`).
    static func reduceSum(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        check(Shapes.canBroadcast(shape, to: x.shape), "sum: cannot reduce shape \(x.shape) to \(shape)")
        return reshaped("sum", x, to: shape, reduceSum)
    }

    /// Writes the sum of `source` (of `inputShape`) down to `shape` into `destination`.
    static func reduceSum(_ dtype: DType, _ inputShape: [Int], _ source: UnsafeMutableRawPointer,
                          to shape: [Int], _ destination: UnsafeMutableRawPointer) {
        destination.initializeMemory(as: UInt8.self, repeating: 0, count: shape.reduce(1, *) * dtype.byteCount)
        if inputShape.reduce(1, *) > 0, let blocks = Shapes.repeatBlocks(of: shape, in: inputShape) {
            // Summing a run of axes away: each outer block adds its `repeats` consecutive runs.
            let block = blocks.repeats * blocks.inner
            for o in 0..<blocks.outer {
                switch dtype {
                case .float32:
                    sumBlocks(source.assumingMemoryBound(to: Float.self) + o * block, count: block,
                              into: destination.assumingMemoryBound(to: Float.self) + o * blocks.inner, period: blocks.inner)
                case .float64:
                    sumBlocks(source.assumingMemoryBound(to: Double.self) + o * block, count: block,
                              into: destination.assumingMemoryBound(to: Double.self) + o * blocks.inner, period: blocks.inner)
                }
            }
            return
        }
        copy(dtype, shape: inputShape, from: source, strides: Shapes.strides(inputShape),
             to: destination, strides: Shapes.broadcastStrides(shape, to: inputShape), accumulate: true)
    }

    /// out[i] += Σ_b x[b·period + i]; a period of 1 is the total of x.
    private static func sumBlocks<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, count: Int,
                                                   into out: UnsafeMutablePointer<S>, period: Int) {
        if period == 1 {
            var total: S = 0
            for i in 0..<count { total += x[i] }
            out[0] += total
            return
        }
        // Sixteen (then four) outputs at a time stay in registers while every run adds to them, in run
        // order (the same sums, to the bit, as adding whole runs into `out` one after another).
        let runs = count / period
        var i = 0
        while i + 16 <= period {
            var sums = (lanes(out + i), lanes(out + i + 4), lanes(out + i + 8), lanes(out + i + 12))
            for run in 0..<runs {
                let p = x + (run &* period &+ i)
                sums.0 += lanes(p); sums.1 += lanes(p + 4); sums.2 += lanes(p + 8); sums.3 += lanes(p + 12)
            }
            storeLanes(sums.0, out + i); storeLanes(sums.1, out + i + 4)
            storeLanes(sums.2, out + i + 8); storeLanes(sums.3, out + i + 12)
            i += 16
        }
        while i + 4 <= period {
            var sum = lanes(out + i)
            for run in 0..<runs { sum += lanes(x + (run &* period &+ i)) }
            storeLanes(sum, out + i)
            i += 4
        }
        for j in i..<period {
            var sum = out[j]
            for run in 0..<runs { sum += x[run &* period &+ j] }
            out[j] = sum
        }
    }

    /// The maximum of `x` over the axes where `shape` has size 1 (`shape` keeps `x`'s rank).
    static func reduceMax(_ x: Tensor, to shape: [Int]) -> Tensor {
        check(shape.count == x.rank && Shapes.canBroadcast(shape, to: x.shape),
              "max: cannot reduce shape \(x.shape) to \(shape)")
        check(x.scalarCount > 0, "max: cannot reduce an empty tensor of shape \(x.shape)")
        switch x.dtype {
        case .float32: return reduceMax(x, to: shape, Float.self)
        case .float64: return reduceMax(x, to: shape, Double.self)
        }
    }

    private static func reduceMax<S: TensorScalar>(_ x: Tensor, to shape: [Int], _: S.Type) -> Tensor {
        let out = Buffer(dtype: x.dtype, count: shape.reduce(1, *))
        let d = out.pointer(S.self), s = x.buffer.pointer(S.self)
        d.initialize(repeating: -S.infinity, count: out.count)
        let loop = StridedLoop(shape: x.shape, strides: [Shapes.broadcastStrides(shape, to: x.shape), Shapes.strides(x.shape)])
        loop.forEachRun { od, os, _, n, sd, ss, _ in
            for i in 0..<n where s[os + i * ss] > d[od + i * sd] { d[od + i * sd] = s[os + i * ss] }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// Reorders axes: result axis i is `x`'s axis `permutation[i]`.
    static func permute(_ x: Tensor, _ permutation: [Int]) -> Tensor {
        let strides = Shapes.strides(x.shape)
        let shape = permutation.map { x.shape[$0] }
        let out = Buffer(dtype: x.dtype, count: x.scalarCount)
        copy(shape: shape, from: x.buffer, strides: permutation.map { strides[$0] },
             to: out, strides: Shapes.strides(shape))
        return Tensor(buffer: out, shape: shape)
    }

    /// The box `lower[i] ..< upper[i]` on every axis.
    static func slice(_ x: Tensor, lower: [Int], upper: [Int]) -> Tensor {
        let strides = Shapes.strides(x.shape)
        let shape = zip(lower, upper).map { $1 - $0 }
        let offset = zip(lower, strides).map(*).reduce(0, +)
        let out = Buffer(dtype: x.dtype, count: shape.reduce(1, *))
        copy(shape: shape, from: x.buffer, strides: strides, readOffset: offset, to: out, strides: Shapes.strides(shape))
        return Tensor(buffer: out, shape: shape)
    }

    /// Zeros of `shape` with `x` written at offset `lower` (the adjoint of `slice`).
    static func pad(_ x: Tensor, lower: [Int], shape: [Int]) -> Tensor {
        let strides = Shapes.strides(shape)
        let offset = zip(lower, strides).map(*).reduce(0, +)
        let out = Buffer.zeros(dtype: x.dtype, count: shape.reduce(1, *))
        copy(shape: x.shape, from: x.buffer, strides: Shapes.strides(x.shape), to: out, strides: strides, writeOffset: offset)
        return Tensor(buffer: out, shape: shape)
    }

    /// Splits a shape around `axis` into (elements before, axis size, elements after).
    static func around(_ shape: [Int], _ axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Picks `indices` along `axis` (indices may repeat).
    static func gather(_ x: Tensor, axis: Int, indices: [Int]) -> Tensor {
        let (outer, size, inner) = around(x.shape, axis)
        for i in indices {
            check(i >= 0 && i < size, "gather: index \(i) out of range for axis \(axis) of shape \(x.shape)")
        }
        var shape = x.shape
        shape[axis] = indices.count
        let out = Buffer(dtype: x.dtype, count: shape.reduce(1, *))
        let bytes = x.dtype.byteCount
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                (out.raw + ((o * indices.count + j) * inner) * bytes)
                    .copyMemory(from: x.buffer.raw + ((o * size + i) * inner) * bytes, byteCount: inner * bytes)
            }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// Zeros with `size` entries along `axis`, plus `x`'s slices added at `indices` (the adjoint of `gather`).
    static func scatterAdd(_ x: Tensor, axis: Int, indices: [Int], size: Int) -> Tensor {
        let (outer, count, inner) = around(x.shape, axis)
        var shape = x.shape
        shape[axis] = size
        let out = Buffer.zeros(dtype: x.dtype, count: shape.reduce(1, *))
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                copy(shape: [inner], from: x.buffer, strides: [1], readOffset: (o * count + j) * inner,
                     to: out, strides: [1], writeOffset: (o * size + i) * inner, accumulate: true)
            }
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// Joins tensors along `axis`.
    static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        var shape = parts[0].shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        let (outer, total, inner) = around(shape, axis)
        let out = Buffer(dtype: parts[0].dtype, count: shape.reduce(1, *))
        let bytes = out.dtype.byteCount
        var start = 0
        for part in parts {
            let size = part.shape[axis]
            for o in 0..<outer {
                (out.raw + ((o * total + start) * inner) * bytes)
                    .copyMemory(from: part.buffer.raw + (o * size * inner) * bytes, byteCount: size * inner * bytes)
            }
            start += size
        }
        return Tensor(buffer: out, shape: shape)
    }

    /// Elements of the flattened `x` at `indices`, shaped as `shape`.
    static func take(_ x: Tensor, indices: [Int], shape: [Int]) -> Tensor {
        let out = Buffer(dtype: x.dtype, count: indices.count)
        switch x.dtype {
        case .float32: take(x.buffer.pointer(Float.self), out.pointer(Float.self), indices, limit: x.scalarCount)
        case .float64: take(x.buffer.pointer(Double.self), out.pointer(Double.self), indices, limit: x.scalarCount)
        }
        return Tensor(buffer: out, shape: shape)
    }

    private static func take<S: TensorScalar>(_ s: UnsafeMutablePointer<S>, _ d: UnsafeMutablePointer<S>, _ indices: [Int], limit: Int) {
        for (i, index) in indices.enumerated() {
            check(index >= 0 && index < limit, "take: index \(index) out of range 0..<\(limit)")
            d[i] = s[index]
        }
    }

    /// Zeros of `shape` with the elements of `x` added at flat `indices`.
    static func put(_ x: Tensor, indices: [Int], shape: [Int]) -> Tensor {
        let out = Buffer.zeros(dtype: x.dtype, count: shape.reduce(1, *))
        switch x.dtype {
        case .float32: put(x.buffer.pointer(Float.self), out.pointer(Float.self), indices, limit: out.count)
        case .float64: put(x.buffer.pointer(Double.self), out.pointer(Double.self), indices, limit: out.count)
        }
        return Tensor(buffer: out, shape: shape)
    }

    private static func put<S: TensorScalar>(_ s: UnsafeMutablePointer<S>, _ d: UnsafeMutablePointer<S>, _ indices: [Int], limit: Int) {
        for (i, index) in indices.enumerated() {
            check(index >= 0 && index < limit, "put: index \(index) out of range 0..<\(limit)")
            d[index] += s[i]
        }
    }
}
