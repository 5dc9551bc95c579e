/// The fused convolution kernels in a channels-last layout, for stride 1 and many channels.
///
/// The channels-first columns of `patches` copy runs as short as one output row (14, 7 or 3
/// values in the Omniglot net). With the images padded and stored channels-last, xp[n, i, j, c],
/// a window row (ki fixed, kj and c running) is one contiguous run of kw·C values, so unfolding
/// and folding move long runs with no bounds checks:
///
///   cols[(n, oi, oj), (ki, kj, c)] = xp[n, oi + ki, oj + kj, c]      (K = kh·kw·C columns)
///
/// With the filters reordered to Wr[o, (ki, kj, c)] = W[o, c, ki, kj], per image n (P positions):
///   forward    y[n] = Wr · cols[n]ᵀ + b   (`[O, P]`, which is channels-first already)
///   backward   dWr += g[n] · cols[n],  db[o] += Σ_p g[n, o, p],
///              dcols[n] = g[n]ᵀ · Wr,  dxp = fold(dcols),  dx[n, c, i, j] = dxp[n, i + p, j + p, c]
/// where g[n] is the output cotangent of image n as the `[O, P]` matrix it already is.
/// which is the same sum as the channels-first kernel in another order (equal up to rounding).
extension Kernels {
    /// Images unfolded at a time. The products are per image anyway, and one image's columns
    /// (450 kB for 64 channels of 14x14) stay in the second-level cache between being written
    /// and being multiplied (measured: about 4% less CPU time per Omniglot iteration than two).
    private static let imagesPerChunk = 1

    /// Whether `conv2d` takes the channels-last path: stride 1 and enough channels for long runs.
    static func usesChannelsLast(_ g: ConvGeometry) -> Bool { g.stride == 1 && g.channels >= 8 }

    /// The padded channels-last sizes: rows, columns, and values per window row (kw·C).
    struct PaddedLayout {
        let rows: Int, columns: Int, run: Int, patch: Int, image: Int
        init(_ g: ConvGeometry) {
            rows = g.height + 2 * g.padding
            columns = g.width + 2 * g.padding
            run = g.kernelWidth * g.channels
            patch = g.patchSize
            image = rows * columns * g.channels
        }
    }

    /// xp[n, i + p, j + p, c] = x[n, c, i, j] for `batch` images, zeros in the border.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func padChannelsLast<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, _ g: ConvGeometry, _ l: PaddedLayout,
                                                 batch: Int, into xp: UnsafeMutablePointer<S>) {
        let (channels, height, width) = (g.channels, g.height, g.width)
        let rowLength = l.columns * channels, border = g.padding * channels
        for n in 0..<batch {
            // Zeros in the border only: the top and bottom rows, then both ends of every other row.
            let image = xp + n * l.image
            image.update(repeating: 0, count: g.padding * rowLength)
            (image + (g.padding + height) * rowLength).update(repeating: 0, count: g.padding * rowLength)
            for i in g.padding..<(g.padding + height) {
                (image + i * rowLength).update(repeating: 0, count: border)
                (image + i * rowLength + rowLength - border).update(repeating: 0, count: border)
            }
            let interior = image + (g.padding * l.columns + g.padding) * channels
            channelsLast(x + n * channels * height * width, height: height, width: width, channels: channels,
                         rowStride: rowLength, into: interior)
        }
    }

    /// xp[i · rowStride + j · C + c] = x[(c · H + i) · W + j] for i < H, j < W, c < C: one
    /// channels-first image into channels-last pixels, rows `rowStride` values apart.
    ///
    /// Four planes at a time, read row by row (four streams in memory order, which the caches
    /// prefetch); blocks of four columns go through registers: four loads, a 4x4 transpose, four
    /// stores of four channels each. Columns past the last whole block take one four-channel
    /// store per pixel, channels past the last four one value at a time (wrapping index
    /// arithmetic: the sizes are known to fit, and overflow checks block unrolling).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func channelsLast<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, height: Int, width: Int, channels: Int,
                                              rowStride: Int, into xp: UnsafeMutablePointer<S>) {
        let plane = height &* width, (wholeColumns, wholeChannels) = (width & ~3, channels & ~3)
        for c in stride(from: 0, to: wholeChannels, by: 4) {
            for i in 0..<height {
                let source = x + (c &* plane &+ i &* width), row = xp + (i &* rowStride &+ c)
                for j in stride(from: 0, to: wholeColumns, by: 4) {
                    let p = source + j, q = row + j &* channels
                    let t = transposed(lanes(p), lanes(p + plane), lanes(p + 2 &* plane), lanes(p + 3 &* plane))
                    storeLanes(t.0, q)
                    storeLanes(t.1, q + channels)
                    storeLanes(t.2, q + 2 &* channels)
                    storeLanes(t.3, q + 3 &* channels)
                }
                for j in wholeColumns..<width {
                    let p = source + j
                    storeLanes(SIMD4(p[0], p[plane], p[2 &* plane], p[3 &* plane]), row + j &* channels)
                }
            }
        }
        for c in wholeChannels..<channels {
            for i in 0..<height {
                let source = x + (c &* plane &+ i &* width), row = xp + (i &* rowStride &+ c)
                for j in 0..<width { row[j &* channels] = source[j] }
            }
        }
    }

    /// The 4x4 transpose of four lane vectors: lane j of result i is lane i of argument j.
    @inline(__always)
    static func transposed<S: TensorScalar>(_ a: SIMD4<S>, _ b: SIMD4<S>, _ c: SIMD4<S>, _ d: SIMD4<S>)
        -> (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>) {
        (SIMD4(a[0], b[0], c[0], d[0]), SIMD4(a[1], b[1], c[1], d[1]), SIMD4(a[2], b[2], c[2], d[2]), SIMD4(a[3], b[3], c[3], d[3]))
    }

    /// dx[n, c, i, j] = dxp[n, i + p, j + p, c]: drops the border and returns to channels-first.
    private static func unpadChannelsFirst<S: TensorScalar>(_ dxp: UnsafeMutablePointer<S>, _ g: ConvGeometry, _ l: PaddedLayout,
                                                            batch: Int, into dx: UnsafeMutablePointer<S>) {
        let (channels, height, width) = (g.channels, g.height, g.width)
        for n in 0..<batch {
            for i in 0..<height {
                let row = dxp + ((n * l.rows + i + g.padding) * l.columns + g.padding) * channels
                for c in 0..<channels {
                    let destination = dx + ((n * channels + c) * height + i) * width
                    for j in 0..<width { destination[j] = row[j &* channels &+ c] }
                }
            }
        }
    }

    /// Unfolds (cols = windows of xp) or folds (xp += windows of cols), one run of kw·C per window row.
    private static func channelsLastPatches<S: TensorScalar>(_ g: ConvGeometry, _ l: PaddedLayout, batch: Int,
                                                             padded xp: UnsafeMutablePointer<S>,
                                                             columns cols: UnsafeMutablePointer<S>, fold: Bool) {
        let (oh, ow) = (g.outputHeight, g.outputWidth)
        var row = cols
        for n in 0..<batch {
            for oi in 0..<oh {
                for oj in 0..<ow {
                    for ki in 0..<g.kernelHeight {
                        let window = xp + ((n * l.rows + oi + ki) * l.columns + oj) * g.channels
                        let part = row + ki * l.run
                        if fold { addRun(from: part, to: window, count: l.run) } else { part.update(from: window, count: l.run) }
                    }
                    row += l.patch
                }
            }
        }
    }

    /// Wr[o, (ki, kj, c)] = W[o, (c, ki, kj)] when `toChannelsLast`, else the inverse reordering.
    private static func reorderFilters<S: TensorScalar>(_ source: UnsafeMutablePointer<S>, _ g: ConvGeometry, outChannels: Int,
                                                        into destination: UnsafeMutablePointer<S>, toChannelsLast: Bool) {
        let window = g.kernelHeight * g.kernelWidth
        for o in 0..<outChannels {
            for c in 0..<g.channels {
                for k in 0..<window {
                    let first = o * g.patchSize + c * window + k, last = o * g.patchSize + k * g.channels + c
                    if toChannelsLast { destination[last] = source[first] } else { destination[first] = source[last] }
                }
            }
        }
    }

    /// y = conv(x, W) + b through channels-last columns; the caller checked `usesChannelsLast`.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func conv2dChannelsLast<S: TensorScalar>(_ x: Tensor, _ filters: Tensor, _ bias: Tensor?, _ g: ConvGeometry,
                                                    _: S.Type) -> Tensor {
        _ = blasSingleThreaded
        let (batch, outChannels, positions) = (x.shape[0], filters.shape[0], g.outputHeight * g.outputWidth)
        if usesWinograd(g, outChannels: outChannels) { return winogradConv2d(x, filters, bias, g, S.self) }
        let layout = PaddedLayout(g)
        let chunk = imagesPerChunk
        let out = Buffer(dtype: x.dtype, count: batch * outChannels * positions)
        let padded = Buffer(dtype: x.dtype, count: chunk * layout.image)
        let cols = Buffer(dtype: x.dtype, count: chunk * positions * g.patchSize)
        let reordered = Buffer(dtype: x.dtype, count: filters.scalarCount)
        let px = x.buffer.pointer(S.self), py = out.pointer(S.self), pb = bias?.buffer.pointer(S.self)
        let pp = padded.pointer(S.self), pc = cols.pointer(S.self), pw = reordered.pointer(S.self)
        reorderFilters(filters.buffer.pointer(S.self), g, outChannels: outChannels, into: pw, toChannelsLast: true)
        let imageSize = g.channels * g.height * g.width
        for first in stride(from: 0, to: batch, by: chunk) {
            let count = Swift.min(chunk, batch - first)
            padChannelsLast(px + first * imageSize, g, layout, batch: count, into: pp)
            channelsLastPatches(g, layout, batch: count, padded: pp, columns: pc, fold: false)
            // y[n] = Wr · cols[n]ᵀ lands as [O, P], already channels-first; then the bias.
            for n in 0..<count {
                let image = py + (first + n) * outChannels * positions
                gemm(false, true, m: outChannels, n: positions, k: g.patchSize, pw, lda: g.patchSize,
                     pc + n * positions * g.patchSize, ldb: g.patchSize, beta: 0, image, ldc: positions)
                guard let pb else { continue }
                for o in 0..<outChannels {
                    let row = image + o * positions, shift = pb[o]
                    for p in 0..<positions { row[p] += shift }
                }
            }
        }
        return Tensor(buffer: out, shape: [batch, outChannels, g.outputHeight, g.outputWidth])
    }

    /// (dx, dW, db) of the channels-last convolution; nil where not `needed`.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func conv2dBackwardChannelsLast<S: TensorScalar>(_ cotangent: Tensor, _ x: Tensor, _ filters: Tensor,
                                                            _ g: ConvGeometry, _ needed: [Bool], _: S.Type) -> [Tensor?] {
        _ = blasSingleThreaded
        let (batch, outChannels, positions) = (x.shape[0], filters.shape[0], g.outputHeight * g.outputWidth)
        if usesWinograd(g, outChannels: outChannels) { return winogradConv2dBackward(cotangent, x, filters, g, needed, S.self) }
        let (needX, needW, needB) = (needed[0], needed[1], needed.count > 2 && needed[2])
        let layout = PaddedLayout(g)
        let chunk = imagesPerChunk
        let imageSize = g.channels * g.height * g.width
        let padded = Buffer(dtype: x.dtype, count: chunk * layout.image)
        let cols = Buffer(dtype: x.dtype, count: chunk * positions * g.patchSize)
        let reordered = Buffer(dtype: x.dtype, count: filters.scalarCount)
        let dx = needX ? Buffer(dtype: x.dtype, count: x.scalarCount) : nil
        let dwReordered = needW ? Buffer(dtype: x.dtype, count: filters.scalarCount) : nil
        let db = needB ? Buffer.zeros(dtype: x.dtype, count: outChannels) : nil
        let px = x.buffer.pointer(S.self), pg = cotangent.buffer.pointer(S.self)
        let pp = padded.pointer(S.self), pc = cols.pointer(S.self), pw = reordered.pointer(S.self)
        if needX { reorderFilters(filters.buffer.pointer(S.self), g, outChannels: outChannels, into: pw, toChannelsLast: true) }
        for first in stride(from: 0, to: batch, by: chunk) {
            let count = Swift.min(chunk, batch - first)
            if let db {
                addBiasGradient(pg + first * outChannels * positions, images: count, outChannels: outChannels,
                                positions: positions, into: db.pointer(S.self))
            }
            if let dwReordered {
                padChannelsLast(px + first * imageSize, g, layout, batch: count, into: pp)
                channelsLastPatches(g, layout, batch: count, padded: pp, columns: pc, fold: false)
                // dWr += g[n] · cols[n], with g[n] as it is: [O, P].
                for n in 0..<count {
                    gemm(false, false, m: outChannels, n: g.patchSize, k: positions, pg + (first + n) * outChannels * positions,
                         lda: positions, pc + n * positions * g.patchSize, ldb: g.patchSize,
                         beta: first + n == 0 ? 0 : 1, dwReordered.pointer(S.self), ldc: g.patchSize)
                }
            }
            if let dx {
                // dcols[n] = g[n]ᵀ · Wr, [P, K].
                for n in 0..<count {
                    gemm(true, false, m: positions, n: g.patchSize, k: outChannels, pg + (first + n) * outChannels * positions,
                         lda: positions, pw, ldb: g.patchSize, beta: 0, pc + n * positions * g.patchSize, ldc: g.patchSize)
                }
                pp.update(repeating: 0, count: count * layout.image)
                channelsLastPatches(g, layout, batch: count, padded: pp, columns: pc, fold: true)
                unpadChannelsFirst(pp, g, layout, batch: count, into: dx.pointer(S.self) + first * imageSize)
            }
        }
        let dw = dwReordered.map { reordered -> Buffer in
            let result = Buffer(dtype: x.dtype, count: filters.scalarCount)
            reorderFilters(reordered.pointer(S.self), g, outChannels: outChannels, into: result.pointer(S.self), toChannelsLast: false)
            return result
        }
        return [dx.map { Tensor(buffer: $0, shape: x.shape) }, dw.map { Tensor(buffer: $0, shape: filters.shape) },
                db.map { Tensor(buffer: $0, shape: [outChannels]) }]
    }
}
