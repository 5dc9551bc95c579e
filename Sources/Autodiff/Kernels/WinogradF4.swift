/// 3x3 convolutions with stride 1 and padding 1 by Winograd's F(4x4, 3x3).
///
/// Each 4x4 block of outputs (a tile) comes from the 6x6 block d of the padded input that covers it:
///   Y = Aᵀ [ Σ_c (G w_c Gᵀ) ⊙ (Bᵀ d_c B) ] A,
/// with the interpolation points 0, ±1, ±2 and ∞:
///   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1],
///   G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1],
///   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
/// At each of the 36 points ξ the sum over input channels is a matrix product of (tiles × C)
/// by (C × O): 36 multiplications per 16 outputs and channel pair where the direct sum takes
/// 144 (4 times fewer; F(2x2, 3x3) takes 2.25 times fewer). The tiles of a few images are
/// stacked into one product per point, so the products stay large on small images (a 7x7
/// image has only four tiles).
///
/// The weight gradient runs the transforms backwards: dM = A dY Aᵀ per tile,
/// dU_ξ = Σ_t V_ξ[t]ᵀ dM_ξ[t], dw = Gᵀ dU G per filter.
extension Kernels {
    /// Tiles stacked into one product per transform point (the images of a chunk): enough rows
    /// for an efficient product, few enough that the transformed chunk stays near the caches.
    static let winogradF4TilesPerChunk = 128

    /// The distance between consecutive points' matrices of `elements` values each. A tile
    /// writes (or reads) one run in each of the 36 matrices; were they a multiple of 4 kB apart,
    /// all 36 runs would fall on one set of the first-level cache and evict each other, so the
    /// stride is padded by one cache line.
    static func winogradF4PointStride(_ elements: Int) -> Int { elements + 16 }

    /// Tiles per chunk in the backward pass, which keeps three chunks' transforms at once (V of
    /// x, Bᵀ g B and A g Aᵀ) where the forward pass keeps two (V and M): half as many, so that
    /// they stay about as near the caches.
    static let winogradF4BackwardTilesPerChunk = 64

    /// Images per chunk for images of `tiles` tiles.
    static func winogradF4Chunk(tiles: Int, batch: Int, tilesPerChunk: Int = winogradF4TilesPerChunk) -> Int {
        Swift.max(1, Swift.min(batch, tilesPerChunk / Swift.max(1, tiles)))
    }

    /// Six lane vectors in Double: one value per transform point, for four filters at once.
    typealias F4Points = (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)

    /// G k for one column (k₀, k₁, k₂) of four kernels: the six rows of the 6x3 matrix G times it.
    @inline(__always)
    static func timesF4G(_ k0: SIMD4<Double>, _ k1: SIMD4<Double>, _ k2: SIMD4<Double>) -> F4Points {
        let (sixth, twelfth, twentyFourth) = (1.0 / 6, 1.0 / 12, 1.0 / 24)
        let outer = k0 * twentyFourth + k2 * sixth, middle = k1 * twelfth
        return (k0 * 0.25, -(k0 + k1 + k2) * sixth, -(k0 - k1 + k2) * sixth, outer + middle, outer - middle, k2)
    }

    /// U_ξ[in, out] = (G k Gᵀ)_ξ of F(4x4, 3x3) for the 3x3 kernels k of `w` (laid out as
    /// `strides` says), as 36 matrices of inputs × outputs `winogradF4PointStride` apart
    /// (computed in Double, four outputs at a time: `outputs` is a multiple of 4).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4Filters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, inputs: Int, outputs: Int,
                                                   strides: FilterStrides) -> [S] {
        check(outputs % 4 == 0, "winogradF4Filters: \(outputs) outputs, expected a multiple of 4")
        let next = winogradF4PointStride(inputs * outputs)
        return [S](unsafeUninitializedCapacity: 36 * next) { u, initialized in
            let base = u.baseAddress!
            for i in 0..<inputs {
                for o in stride(from: 0, to: outputs, by: 4) {
                    let k = w + (strides.first &+ i &* strides.inputStride &+ o &* strides.outputStride)
                    @inline(__always) func value(_ a: Int, _ b: Int) -> SIMD4<Double> {
                        let p = k + (a &* strides.rowStride &+ b &* strides.columnStride)
                        let step = strides.outputStride
                        return SIMD4(Double(p[0]), Double(p[step]), Double(p[2 &* step]), Double(p[3 &* step]))
                    }
                    // The columns of G k, then each row of G k times Gᵀ: U[r, s] = (G (row r of G k))_s.
                    let c0 = timesF4G(value(0, 0), value(1, 0), value(2, 0))
                    let c1 = timesF4G(value(0, 1), value(1, 1), value(2, 1))
                    let c2 = timesF4G(value(0, 2), value(1, 2), value(2, 2))
                    let first = base + (i &* outputs &+ o)
                    @inline(__always) func store(_ row: F4Points, _ r: Int) {
                        let p = first + (r &* 6) &* next
                        storeLanes(SIMD4<S>(row.0), p)
                        storeLanes(SIMD4<S>(row.1), p + next)
                        storeLanes(SIMD4<S>(row.2), p + 2 &* next)
                        storeLanes(SIMD4<S>(row.3), p + 3 &* next)
                        storeLanes(SIMD4<S>(row.4), p + 4 &* next)
                        storeLanes(SIMD4<S>(row.5), p + 5 &* next)
                    }
                    store(timesF4G(c0.0, c1.0, c2.0), 0)
                    store(timesF4G(c0.1, c1.1, c2.1), 1)
                    store(timesF4G(c0.2, c1.2, c2.2), 2)
                    store(timesF4G(c0.3, c1.3, c2.3), 3)
                    store(timesF4G(c0.4, c1.4, c2.4), 4)
                    store(timesF4G(c0.5, c1.5, c2.5), 5)
                }
            }
            initialized = 36 * next
        }
    }

    /// The filters of a convolution, w[o, c, a, b], as `winogradF4Filters` (inputs c, outputs o).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4ForwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradF4Filters(w, inputs: channels, outputs: outChannels,
                          strides: FilterStrides(first: 0, inputStride: 9, outputStride: channels * 9, rowStride: 3, columnStride: 1))
    }

    /// The flipped, transposed filters w'[c, o, a, b] = w[o, c, 2 - a, 2 - b] that carry an output
    /// cotangent back to the input, as `winogradF4Filters` (inputs o, outputs c).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4BackwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradF4Filters(w, inputs: outChannels, outputs: channels,
                          strides: FilterStrides(first: 8, inputStride: channels * 9, outputStride: 9, rowStride: -3, columnStride: -1))
    }

    /// Bᵀ v for six lane vectors v (one per input point along a row or column), in 17 vector
    /// operations where the rows one by one take 21 (the transform's cost is its arithmetic):
    ///   with a = v₄ - 4v₂, b = v₃ - 4v₁, c = v₄ - v₂, d = 2(v₃ - v₁),
    ///   Bᵀ v = (4(v₀ - v₂) + c,  a + b,  a - b,  c + d,  c - d,  (v₅ - v₃) - 2d).
    @inline(__always)
    static func timesF4BT<S: TensorScalar>(_ v0: SIMD4<S>, _ v1: SIMD4<S>, _ v2: SIMD4<S>, _ v3: SIMD4<S>, _ v4: SIMD4<S>,
                                           _ v5: SIMD4<S>) -> (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>) {
        let four: S = 4, two: S = 2
        let a = v4 - four * v2, b = v3 - four * v1, c = v4 - v2, d = two * (v3 - v1)
        return (four * (v0 - v2) + c, a + b, a - b, c + d, c - d, (v5 - v3) - two * d)
    }

    /// V_ξ[t, c] = (Bᵀ d_t B)_ξ for every tile t of one padded channels-last image xp in the
    /// F(4x4) `WinogradTiles` layout (d_t its 6x6 block at rows 4ti..., columns 4tj...): V_ξ[t]
    /// lies at v + ξ · pointStride + t · C, four channels at a time.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4InputTransform<S: TensorScalar>(padded xp: UnsafeMutablePointer<S>, tiles: WinogradTiles,
                                                          channels inputs: Int, pointStride next: Int,
                                                          into v: UnsafeMutablePointer<S>) {
        typealias Lanes = SIMD4<S>
        let rowLength = tiles.layout.columns * inputs
        // d B row by row (six rows of six points), then Bᵀ down each column of points.
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { rows in
            let e = rows.baseAddress!
            for ti in 0..<tiles.rows {
                for tj in 0..<tiles.columns {
                    let t = ti &* tiles.columns &+ tj
                    let corner = xp + (4 &* ti &* rowLength &+ 4 &* tj &* inputs)
                    let out = v + t &* inputs
                    for c in stride(from: 0, to: inputs, by: 4) {
                        for r in 0..<6 {
                            let p = corner + (r &* rowLength &+ c)
                            let q = timesF4BT(lanes(p), lanes(p + inputs), lanes(p + 2 &* inputs), lanes(p + 3 &* inputs),
                                              lanes(p + 4 &* inputs), lanes(p + 5 &* inputs))
                            let row = e + r &* 6
                            (row[0], row[1], row[2], row[3], row[4], row[5]) = q
                        }
                        let o = out + c
                        for s in 0..<6 {
                            storeColumn(timesF4BT(e[s], e[6 &+ s], e[12 &+ s], e[18 &+ s], e[24 &+ s], e[30 &+ s]), o, column: s, next: next)
                        }
                    }
                }
            }
        }
    }

    /// Writes column `column` of a transformed 6x6 block: six lane vectors, to the points
    /// column, 6 + column, …, 30 + column, each point `next` values after the one before.
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func storeColumn<S: TensorScalar>(_ values: (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>),
                                             _ block: UnsafeMutablePointer<S>, column: Int, next: Int) {
        let p = block + column &* next, step = 6 &* next
        storeLanes(values.0, p)
        storeLanes(values.1, p + step)
        storeLanes(values.2, p + 2 &* step)
        storeLanes(values.3, p + 3 &* step)
        storeLanes(values.4, p + 4 &* step)
        storeLanes(values.5, p + 5 &* step)
    }

    /// Aᵀ m for six lane vectors m (one per transform point along a row or column).
    @inline(__always)
    static func timesF4AT<S: TensorScalar>(_ m0: SIMD4<S>, _ m1: SIMD4<S>, _ m2: SIMD4<S>, _ m3: SIMD4<S>, _ m4: SIMD4<S>,
                                           _ m5: SIMD4<S>) -> (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>) {
        let two: S = 2, four: S = 4, eight: S = 8
        let sum12 = m1 + m2, difference12 = m1 - m2, sum34 = m3 + m4, difference34 = m3 - m4
        return (m0 + sum12 + sum34, difference12 + two * difference34, sum12 + four * sum34, difference12 + eight * difference34 + m5)
    }

    /// y[o, i, j] (channels-first, one image) = Aᵀ M_t A for every tile t, from the products
    /// M_ξ[t, o] at m + ξ · pointStride + t · O, plus the bias; a tile over the border keeps
    /// only its outputs inside the image.
    ///
    /// Aᵀ goes down the six columns of points first, so that the second pass, (Aᵀ M) A, yields
    /// one row of the tile at a time: four columns of four channels, which one 4x4 transpose turns
    /// into four channels' rows of four outputs (few live vectors: the other order ends holding
    /// all sixteen, more than the vector registers, and spills them).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4OutputTransform<S: TensorScalar>(_ m: UnsafeMutablePointer<S>, pointStride next: Int, tiles: WinogradTiles,
                                                           height h: Int, width w: Int, outputs: Int,
                                                           bias: UnsafeMutablePointer<S>?, into y: UnsafeMutablePointer<S>) {
        typealias Lanes = SIMD4<S>
        let plane = h &* w
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 24) { rows in
            let q = rows.baseAddress!  // (Aᵀ M)[i, s] at q[6i + s]
            for ti in 0..<tiles.rows {
                for tj in 0..<tiles.columns {
                    let t = ti &* tiles.columns &+ tj
                    let (height, width) = (Swift.min(4, h &- 4 &* ti), Swift.min(4, w &- 4 &* tj))
                    let corner = y + (4 &* ti &* w &+ 4 &* tj)
                    for o in stride(from: 0, to: outputs, by: 4) {
                        let p = m + (t &* outputs &+ o)
                        for s in 0..<6 {
                            let point = p + s &* next, step = 6 &* next
                            (q[s], q[6 &+ s], q[12 &+ s], q[18 &+ s]) =
                                timesF4AT(lanes(point), lanes(point + step), lanes(point + 2 &* step),
                                          lanes(point + 3 &* step), lanes(point + 4 &* step), lanes(point + 5 &* step))
                        }
                        let shift: Lanes = bias.map { lanes($0 + o) } ?? Lanes()
                        for i in 0..<height {
                            let r = q + 6 &* i
                            let row = timesF4AT(r[0], r[1], r[2], r[3], r[4], r[5])
                            // Lane vector `lane` of the transpose: channel o + lane's outputs j = 0...3 in row i.
                            let channels = transposed(row.0 + shift, row.1 + shift, row.2 + shift, row.3 + shift)
                            let image = corner + (o &* plane &+ i &* w)
                            if width == 4 {
                                storeLanes(channels.0, image)
                                storeLanes(channels.1, image + plane)
                                storeLanes(channels.2, image + 2 &* plane)
                                storeLanes(channels.3, image + 3 &* plane)
                            } else {
                                for j in 0..<width {
                                    image[j] = channels.0[j]
                                    image[plane &+ j] = channels.1[j]
                                    image[2 &* plane &+ j] = channels.2[j]
                                    image[3 &* plane &+ j] = channels.3[j]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The convolution of every image of x [N, C, H, W] (channels-first) through F(4x4, 3x3)
    /// tiles, the tiles of a chunk of images in one product per point, into y [N, O, H, W].
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4Images<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, batch: Int, _ g: ConvGeometry,
                                                  filters u: [S], outChannels: Int, bias: UnsafeMutablePointer<S>?,
                                                  into y: UnsafeMutablePointer<S>) {
        let tiles = WinogradTiles(g, side: 4)
        let chunk = winogradF4Chunk(tiles: tiles.count, batch: batch)
        let padded = tiles.paddedBuffer(S.self)
        let v = UnsafeMutablePointer<S>.allocate(capacity: 36 * winogradF4PointStride(chunk * tiles.count * g.channels))
        let m = UnsafeMutablePointer<S>.allocate(capacity: 36 * winogradF4PointStride(chunk * tiles.count * outChannels))
        defer {
            padded.deallocate()
            v.deallocate()
            m.deallocate()
        }
        let (imageSize, outputSize) = (g.channels * g.height * g.width, outChannels * g.height * g.width)
        u.withUnsafeBufferPointer { u in
            let pu = UnsafeMutablePointer(mutating: u.baseAddress!)
            for first in stride(from: 0, to: batch, by: chunk) {
                let count = Swift.min(chunk, batch - first), rows = Swift.min(chunk, batch - first) * tiles.count
                let (inputStride, outputStride) = (winogradF4PointStride(rows * g.channels), winogradF4PointStride(rows * outChannels))
                for n in 0..<count {
                    padChannelsLast(x + (first + n) * imageSize, g, tiles.layout, batch: 1, into: padded)
                    winogradF4InputTransform(padded: padded, tiles: tiles, channels: g.channels, pointStride: inputStride,
                                             into: v + n * tiles.count * g.channels)
                }
                winogradF4ChunkOutputs(v, inputStride: inputStride, inputs: g.channels, filters: pu, outputs: outChannels,
                                       products: m, outputStride: outputStride, images: count, tiles: tiles, g,
                                       bias: bias, into: y + first * outputSize)
            }
        }
    }

    /// The outputs of a chunk of `images` images from their transformed inputs V_ξ (at v, points
    /// `inputStride` apart): M_ξ = V_ξ · U_ξ, (chunk tiles × inputs) by (inputs × outputs), into
    /// `products` (points `outputStride` apart), then Y = Aᵀ M A plus the bias for each image,
    /// into y [images, outputs, H, W]. U holds 36 matrices `winogradF4PointStride` apart.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4ChunkOutputs<S: TensorScalar>(_ v: UnsafeMutablePointer<S>, inputStride: Int, inputs: Int,
                                                        filters u: UnsafeMutablePointer<S>, outputs: Int,
                                                        products m: UnsafeMutablePointer<S>, outputStride: Int, images: Int,
                                                        tiles: WinogradTiles, _ g: ConvGeometry, bias: UnsafeMutablePointer<S>?,
                                                        into y: UnsafeMutablePointer<S>) {
        let (rows, filterStride) = (images * tiles.count, winogradF4PointStride(inputs * outputs))
        for xi in 0..<36 {
            gemm(false, false, m: rows, n: outputs, k: inputs, v + xi * inputStride, lda: inputs,
                 u + xi * filterStride, ldb: outputs, beta: 0, m + xi * outputStride, ldc: outputs)
        }
        for n in 0..<images {
            winogradF4OutputTransform(m + n * tiles.count * outputs, pointStride: outputStride, tiles: tiles,
                                      height: g.height, width: g.width, outputs: outputs, bias: bias,
                                      into: y + n * outputs * g.height * g.width)
        }
    }

    /// A y for four lane vectors y (one per output along a row or column): the adjoint of `timesF4AT`.
    @inline(__always)
    static func timesF4A<S: TensorScalar>(_ y0: SIMD4<S>, _ y1: SIMD4<S>, _ y2: SIMD4<S>, _ y3: SIMD4<S>)
        -> (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>) {
        let two: S = 2, four: S = 4, eight: S = 8
        let even = y0 + four * y2, odd = two * y1 + eight * y3
        return (y0, y0 + y2 + (y1 + y3), y0 + y2 - (y1 + y3), even + odd, even - odd, y3)
    }

    /// dM_ξ[t, o] = (A dY_t Aᵀ)_ξ for every tile t of one output cotangent stored padded and
    /// channels-last, gp (F(4x4) `WinogradTiles` layout; dY_t its 4x4 block at rows 4ti + 1...,
    /// columns 4tj + 1..., zero past the image), at dm + ξ · pointStride + t · O.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4CotangentTransform<S: TensorScalar>(padded gp: UnsafeMutablePointer<S>, tiles: WinogradTiles,
                                                              channels outputs: Int, pointStride next: Int,
                                                              into dm: UnsafeMutablePointer<S>) {
        typealias Lanes = SIMD4<S>
        let rowLength = tiles.layout.columns * outputs
        // A dY Aᵀ: each of the four rows of dY times Aᵀ (six points), then A down each column.
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 24) { rows in
            let e = rows.baseAddress!
            for ti in 0..<tiles.rows {
                for tj in 0..<tiles.columns {
                    let t = ti &* tiles.columns &+ tj
                    let top = gp + ((4 &* ti &+ 1) &* rowLength &+ (4 &* tj &+ 1) &* outputs)
                    let out = dm + t &* outputs
                    for o in stride(from: 0, to: outputs, by: 4) {
                        for r in 0..<4 {
                            let p = top + (r &* rowLength &+ o)
                            let q = timesF4A(lanes(p), lanes(p + outputs), lanes(p + 2 &* outputs), lanes(p + 3 &* outputs))
                            let row = e + r &* 6
                            (row[0], row[1], row[2], row[3], row[4], row[5]) = q
                        }
                        let destination = out + o
                        for s in 0..<6 {
                            storeColumn(timesF4A(e[s], e[6 &+ s], e[12 &+ s], e[18 &+ s]), destination, column: s, next: next)
                        }
                    }
                }
            }
        }
    }

    /// Three lane vectors in Double: one value per filter tap along a row or column, for four filters at once.
    typealias F4Taps = (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)

    /// Gᵀ u for the six lane vectors u of one row or column of dU (four filters at once): the adjoint of `timesF4G`,
    ///   Gᵀ u = (u₀/4 - (u₁ + u₂)/6 + (u₃ + u₄)/24,  (u₂ - u₁)/6 + (u₃ - u₄)/12,  (u₃ + u₄ - u₁ - u₂)/6 + u₅).
    /// Multiplies by the reciprocals, as `timesF4G` does: a vector division costs several
    /// multiplications, and with divisions this transform took 2.7% of an Omniglot iteration.
    @inline(__always)
    static func timesF4GT(_ u: F4Points) -> F4Taps {
        let (quarter, sixth, twelfth, twentyFourth) = (0.25, 1.0 / 6, 1.0 / 12, 1.0 / 24)
        let outer: SIMD4<Double> = u.3 + u.4, inner: SIMD4<Double> = u.1 + u.2
        let first: SIMD4<Double> = u.0 * quarter - inner * sixth + outer * twentyFourth
        let second: SIMD4<Double> = (u.2 - u.1) * sixth + (u.3 - u.4) * twelfth
        let centered: SIMD4<Double> = outer - u.1 - u.2
        let third: SIMD4<Double> = centered * sixth + u.5
        return (first, second, third)
    }

    /// dk = Gᵀ dU G for the 3x3 kernels between input `c` and outputs o..<o + 4, from dU_ξ[c, o] at
    /// du + ξ · pointStride + c · O + o, into dw[o, c, a, b] (in Double, four outputs per lane vector).
    @inline(__always)
    static func storeF4FilterGradients<S: TensorScalar>(_ du: UnsafeMutablePointer<S>, pointStride next: Int, input c: Int,
                                                       outputs o: Int, inputs channels: Int, outChannels: Int,
                                                       into dw: UnsafeMutablePointer<S>) {
        let first = du + (c &* outChannels &+ o)
        @inline(__always) func point(_ r: Int, _ s: Int) -> SIMD4<Double> {
            let p = first + (r &* 6 &+ s) &* next
            return SIMD4(Double(p[0]), Double(p[1]), Double(p[2]), Double(p[3]))
        }
        // dU G row by row (six rows of three taps), then Gᵀ (dU G) down each of the three columns.
        @inline(__always) func row(_ r: Int) -> F4Taps {
            timesF4GT((point(r, 0), point(r, 1), point(r, 2), point(r, 3), point(r, 4), point(r, 5)))
        }
        let (r0, r1, r2, r3, r4, r5) = (row(0), row(1), row(2), row(3), row(4), row(5))
        @inline(__always) func store(_ column: F4Taps, _ b: Int) {
            for lane in 0..<4 {
                let kernel: Int = (o &+ lane) &* channels &+ c
                let filter = dw + (kernel &* 9 &+ b)
                (filter[0], filter[3], filter[6]) = (S(column.0[lane]), S(column.1[lane]), S(column.2[lane]))
            }
        }
        store(timesF4GT((r0.0, r1.0, r2.0, r3.0, r4.0, r5.0)), 0)
        store(timesF4GT((r0.1, r1.1, r2.1, r3.1, r4.1, r5.1)), 1)
        store(timesF4GT((r0.2, r1.2, r2.2, r3.2, r4.2, r5.2)), 2)
    }

    /// dx and dW of an F(4x4, 3x3) convolution of x [N, C, H, W] with filters w [O, C, 3, 3], for
    /// the output cotangent g [N, O, H, W]; each is nil unless `needed`.
    ///
    /// dx = conv(g, w') with w' the flipped, transposed filters, through the same tiles as the
    /// forward pass. For dW, per chunk of images dU_ξ += V_ξᵀ dM_ξ (C × O, over the chunk's tiles),
    /// and U = G k Gᵀ gives dk = Gᵀ dU G for each filter at the end (in Double). Each image's
    /// cotangent is padded once, for both of its transforms: Bᵀ g B for dx and A g Aᵀ for dW.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradF4Backward<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, _ g: UnsafeMutablePointer<S>,
                                                    filters w: UnsafeMutablePointer<S>, batch: Int, _ geometry: ConvGeometry,
                                                    outChannels: Int, needed: (input: Bool, filters: Bool)) -> (dx: Buffer?, dw: Buffer?) {
        guard needed.input || needed.filters else { return (nil, nil) }
        let (channels, h, wide) = (geometry.channels, geometry.height, geometry.width)
        check(outChannels % 4 == 0, "winogradF4Backward: \(outChannels) outputs, expected a multiple of 4")
        let cotangentGeometry = geometry.cotangentGeometry(outChannels: outChannels)
        let (tiles, cotangentTiles) = (WinogradTiles(geometry, side: 4), WinogradTiles(cotangentGeometry, side: 4))
        let chunk = winogradF4Chunk(tiles: tiles.count, batch: batch, tilesPerChunk: winogradF4BackwardTilesPerChunk)
        let (imageSize, cotangentSize) = (channels * h * wide, outChannels * h * wide)
        let padded = tiles.paddedBuffer(S.self), paddedCotangent = cotangentTiles.paddedBuffer(S.self)
        // Per chunk: V of x (dW), then the dx products M over it; Bᵀ g B (dx); dM = A g Aᵀ (dW).
        let inputSide = UnsafeMutablePointer<S>.allocate(capacity: 36 * winogradF4PointStride(chunk * tiles.count * channels))
        let transformed = UnsafeMutablePointer<S>.allocate(capacity: 36 * winogradF4PointStride(chunk * tiles.count * outChannels))
        let dm = UnsafeMutablePointer<S>.allocate(capacity: 36 * winogradF4PointStride(chunk * tiles.count * outChannels))
        let next = winogradF4PointStride(channels * outChannels)
        let du = UnsafeMutablePointer<S>.allocate(capacity: 36 * next)
        defer {
            padded.deallocate()
            paddedCotangent.deallocate()
            inputSide.deallocate()
            transformed.deallocate()
            dm.deallocate()
            du.deallocate()
        }
        let dx = needed.input ? Buffer(dtype: S.dtype, count: batch * imageSize) : nil
        let backward = needed.input ? winogradF4BackwardFilters(w, outChannels: outChannels, channels: channels) : []
        backward.withUnsafeBufferPointer { backward in
            for first in stride(from: 0, to: batch, by: chunk) {
                let count = Swift.min(chunk, batch - first), rows = count * tiles.count
                let (inputStride, outputStride) = (winogradF4PointStride(rows * channels), winogradF4PointStride(rows * outChannels))
                for n in 0..<count {
                    padChannelsLast(g + (first + n) * cotangentSize, cotangentGeometry, cotangentTiles.layout, batch: 1,
                                    into: paddedCotangent)
                    if needed.input {
                        winogradF4InputTransform(padded: paddedCotangent, tiles: cotangentTiles, channels: outChannels,
                                                 pointStride: outputStride, into: transformed + n * tiles.count * outChannels)
                    }
                    if needed.filters {
                        winogradF4CotangentTransform(padded: paddedCotangent, tiles: cotangentTiles, channels: outChannels,
                                                     pointStride: outputStride, into: dm + n * tiles.count * outChannels)
                        padChannelsLast(x + (first + n) * imageSize, geometry, tiles.layout, batch: 1, into: padded)
                        winogradF4InputTransform(padded: padded, tiles: tiles, channels: channels, pointStride: inputStride,
                                                 into: inputSide + n * tiles.count * channels)
                    }
                }
                if needed.filters {
                    for xi in 0..<36 {
                        gemm(true, false, m: channels, n: outChannels, k: rows, inputSide + xi * inputStride, lda: channels,
                             dm + xi * outputStride, ldb: outChannels, beta: first == 0 ? 0 : 1, du + xi * next, ldc: outChannels)
                    }
                }
                guard let dx, let u = backward.baseAddress else { continue }
                // dx = conv(g, w'): the products (Bᵀ g B)_ξ · U'_ξ go over V, which dW has used.
                winogradF4ChunkOutputs(transformed, inputStride: outputStride, inputs: outChannels,
                                       filters: UnsafeMutablePointer(mutating: u), outputs: channels, products: inputSide,
                                       outputStride: inputStride, images: count, tiles: tiles, geometry, bias: nil,
                                       into: dx.pointer(S.self) + first * imageSize)
            }
        }
        guard needed.filters else { return (dx, nil) }
        let dw = Buffer(dtype: S.dtype, count: outChannels * channels * 9)
        for c in 0..<channels {
            for o in stride(from: 0, to: outChannels, by: 4) {
                storeF4FilterGradients(du, pointStride: next, input: c, outputs: o, inputs: channels, outChannels: outChannels,
                                       into: dw.pointer(S.self))
            }
        }
        return (dx, dw)
    }
}
