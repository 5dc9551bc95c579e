import COpenBLAS

/// Fused 2-D convolution of `[N, C, H, W]` images with `[O, C, kh, kw]` filters and an
/// optional `[O]` bias, a few images at a time.
///
/// Forward, per chunk of B images: cols = im2col(x[chunk]) `[C·kh·kw, B·Ho·Wo]`, then per image
/// y[n] = W · cols[:, block n] + b, written straight into NCHW (a block is a submatrix, so no copy).
/// Backward for the output cotangent g, per image n of the chunk (g[n] is an `[O, Ho·Wo]` matrix):
///   dW += g[n] · cols[:, block n]ᵀ,  db += Σ_p g[n],  cols[:, block n] = Wᵀ · g[n], then dx[chunk] = col2im(cols).
/// The column matrices only ever exist for one chunk, sized to stay in cache, instead of
/// `[C·kh·kw, N·Ho·Wo]` for the whole batch.
extension Kernels {
    /// Elements of column matrix a chunk may use (1 MB of Float).
    static let chunkBudget = 1 << 18

    /// Images per chunk for `geometry`: as many as fit the budget, at least one.
    static func chunkSize(_ g: ConvGeometry, batch: Int) -> Int {
        Swift.max(1, Swift.min(batch, chunkBudget / Swift.max(1, g.patchSize * g.outputHeight * g.outputWidth)))
    }

    /// C = op(A) · op(B) + β C for row-major matrices, in S's precision.
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func gemm<S: TensorScalar>(_ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int,
                                              _ a: UnsafeMutablePointer<S>, lda: Int, _ b: UnsafeMutablePointer<S>, ldb: Int,
                                              beta: S, _ c: UnsafeMutablePointer<S>, ldc: Int) {
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        if S.self == Float.self {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), 1,
                        UnsafeMutableRawPointer(a).assumingMemoryBound(to: Float.self), Int32(lda),
                        UnsafeMutableRawPointer(b).assumingMemoryBound(to: Float.self), Int32(ldb), Float(beta),
                        UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), Int32(ldc))
        } else {
            cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), 1,
                        UnsafeMutableRawPointer(a).assumingMemoryBound(to: Double.self), Int32(lda),
                        UnsafeMutableRawPointer(b).assumingMemoryBound(to: Double.self), Int32(ldb), Double(beta),
                        UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), Int32(ldc))
        }
    }

    /// db[o] += Σ_p g[n, o, p] for `images` consecutive [O, P] cotangent images starting at `g`.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addBiasGradient<S: TensorScalar>(_ g: UnsafeMutablePointer<S>, images: Int, outChannels: Int, positions: Int,
                                                 into db: UnsafeMutablePointer<S>) {
        for n in 0..<images {
            for o in 0..<outChannels { db[o] += total(g + (n * outChannels + o) * positions, positions) }
        }
    }

    /// Σ run[i] over n values; for Float in eight independent lanes (one running sum would
    /// wait on every addition), which reorders the additions (equal up to rounding).
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func total<S: TensorScalar>(_ run: UnsafeMutablePointer<S>, _ n: Int) -> S {
        var i = 0
        var sum: S = 0
        if S.self == Float.self {
            let p = UnsafeMutableRawPointer(run).assumingMemoryBound(to: Float.self)
            var lanes = SIMD8<Float>()
            while i + 8 <= n {
                lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
                i += 8
            }
            sum = S(lanes.sum())
        }
        while i < n {
            sum += run[i]
            i += 1
        }
        return sum
    }

    /// y = conv(x, W) + b as `[N, O, Ho, Wo]`.
    static func conv2d(_ x: Tensor, _ filters: Tensor, _ bias: Tensor?, _ g: ConvGeometry) -> Tensor {
        switch x.dtype {
        case .float32: conv2d(x, filters, bias, g, Float.self)
        case .float64: conv2d(x, filters, bias, g, Double.self)
        }
    }

    private static func conv2d<S: TensorScalar>(_ x: Tensor, _ filters: Tensor, _ bias: Tensor?, _ g: ConvGeometry,
                                                _: S.Type) -> Tensor {
        if usesChannelsLast(g) { return conv2dChannelsLast(x, filters, bias, g, S.self) }
        _ = blasSingleThreaded
        let (batch, outChannels, positions) = (x.shape[0], filters.shape[0], g.outputHeight * g.outputWidth)
        let chunk = chunkSize(g, batch: batch)
        let out = Buffer(dtype: x.dtype, count: batch * outChannels * positions)
        let cols = Buffer(dtype: x.dtype, count: g.patchSize * chunk * positions)
        let px = x.buffer.pointer(S.self), pw = filters.buffer.pointer(S.self), py = out.pointer(S.self)
        let pc = cols.pointer(S.self), pb = bias?.buffer.pointer(S.self)
        let imageSize = g.channels * g.height * g.width
        for first in stride(from: 0, to: batch, by: chunk) {
            let count = Swift.min(chunk, batch - first)
            let width = count * positions
            patches(g, batch: count, image: px + first * imageSize, columns: pc, fold: false)
            // y[first + n] = W · cols[:, image n's block], straight into NCHW; then the bias.
            for n in 0..<count {
                let image = py + (first + n) * outChannels * positions
                gemm(false, false, m: outChannels, n: positions, k: g.patchSize, pw, lda: g.patchSize, pc + n * positions,
                     ldb: width, beta: 0, image, ldc: positions)
                guard let pb else { continue }
                for o in 0..<outChannels {
                    let row = image + o * positions, shift = pb[o]
                    for p in 0..<positions { row[p] += shift }
                }
            }
        }
        return Tensor(buffer: out, shape: [batch, outChannels, g.outputHeight, g.outputWidth])
    }

    /// (dx, dW, db) of `conv2d` for the output cotangent `cotangent`; nil where not `needed`.
    static func conv2dBackward(_ cotangent: Tensor, _ x: Tensor, _ filters: Tensor, _ g: ConvGeometry,
                               needed: [Bool]) -> [Tensor?] {
        switch x.dtype {
        case .float32: conv2dBackward(cotangent, x, filters, g, needed, Float.self)
        case .float64: conv2dBackward(cotangent, x, filters, g, needed, Double.self)
        }
    }

    private static func conv2dBackward<S: TensorScalar>(_ cotangent: Tensor, _ x: Tensor, _ filters: Tensor,
                                                        _ g: ConvGeometry, _ needed: [Bool], _: S.Type) -> [Tensor?] {
        if usesChannelsLast(g) { return conv2dBackwardChannelsLast(cotangent, x, filters, g, needed, S.self) }
        let (batch, outChannels, positions) = (x.shape[0], filters.shape[0], g.outputHeight * g.outputWidth)
        let (needX, needW, needB) = (needed[0], needed[1], needed.count > 2 && needed[2])
        let chunk = chunkSize(g, batch: batch)
        let imageSize = g.channels * g.height * g.width
        let cols = Buffer(dtype: x.dtype, count: g.patchSize * chunk * positions)
        let dx = needX ? Buffer(dtype: x.dtype, count: x.scalarCount) : nil
        let dw = needW ? Buffer(dtype: x.dtype, count: filters.scalarCount) : nil
        let db = needB ? Buffer.zeros(dtype: x.dtype, count: outChannels) : nil
        let px = x.buffer.pointer(S.self), pw = filters.buffer.pointer(S.self), pg = cotangent.buffer.pointer(S.self)
        let pc = cols.pointer(S.self)
        for first in stride(from: 0, to: batch, by: chunk) {
            let count = Swift.min(chunk, batch - first)
            let width = count * positions
            // g[first + n] is already the [O, P] matrix image n's block of columns pairs with.
            let cotangents = pg + first * outChannels * positions
            if let db {
                addBiasGradient(cotangents, images: count, outChannels: outChannels, positions: positions, into: db.pointer(S.self))
            }
            if let dw {
                patches(g, batch: count, image: px + first * imageSize, columns: pc, fold: false)
                for n in 0..<count {  // dW += g[n] · cols[:, block n]ᵀ
                    gemm(false, true, m: outChannels, n: g.patchSize, k: positions, cotangents + n * outChannels * positions,
                         lda: positions, pc + n * positions, ldb: width, beta: first + n == 0 ? 0 : 1, dw.pointer(S.self),
                         ldc: g.patchSize)
                }
            }
            if let dx {
                for n in 0..<count {  // cols[:, block n] = Wᵀ · g[n]
                    gemm(true, false, m: g.patchSize, n: positions, k: outChannels, pw, lda: g.patchSize,
                         cotangents + n * outChannels * positions, ldb: positions, beta: 0, pc + n * positions, ldc: width)
                }
                let image = dx.pointer(S.self) + first * imageSize
                image.update(repeating: 0, count: count * imageSize)
                patches(g, batch: count, image: image, columns: pc, fold: true)
            }
        }
        return [dx.map { Tensor(buffer: $0, shape: x.shape) }, dw.map { Tensor(buffer: $0, shape: filters.shape) },
                db.map { Tensor(buffer: $0, shape: [outChannels]) }]
    }
}
