/// 3x3 convolutions with stride 1 and padding 1 by Winograd's minimal filtering F(2x2, 3x3).
///
/// Each 2x2 block of outputs (a tile) comes from the 4x4 block d of the padded input that
/// covers it:
///   Y = Aᵀ [ Σ_c (G w_c Gᵀ) ⊙ (Bᵀ d_c B) ] A,
///   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
///   Aᵀ = [1 1 1 0; 0 1 -1 -1].
/// At each of the 16 points ξ of the 4x4 transform, the sum over input channels is a matrix
/// product, M_ξ[t, o] = Σ_c V_ξ[t, c] U_ξ[c, o] with V = Bᵀ d B per tile and U = G w Gᵀ per
/// filter: 16 products of (tiles × C) by (C × O), 16 multiplications per tile and channel
/// pair where the direct sum takes 36 (2.25 times fewer).
///
/// The input comes padded and channels-last (xp[i, j, c], as the channels-last kernels store
/// it), so each of the 16 values of a tile is a run of C contiguous channels and the input
/// transform is a handful of vector additions per tile. The weight gradient runs the same
/// transforms backwards: dU_ξ = Σ_t V_ξ[t]ᵀ (A dY_t Aᵀ)_ξ, then dw = Gᵀ dU G.
extension Kernels {
    /// Whether the Winograd kernels apply: a 3x3 window, stride 1, padding 1, channel counts in
    /// whole SIMD lanes of four (both ways, since dx runs the same kernels from the outputs back),
    /// and an image of at least 6x6 (enough tiles to pay for the transforms; an odd side gets a
    /// last row or column of tiles that hangs over a zero border and whose extra outputs are dropped).
    static func usesWinograd(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
            && g.channels >= 8 && g.channels % 4 == 0 && outChannels % 4 == 0 && g.height >= 6 && g.width >= 6
    }

    /// The side of the output tiles for `g`: 4, F(4x4, 3x3) with 36 products per tile of 16
    /// outputs, when that multiplies less than 2, F(2x2, 3x3) with 16 per tile of 4, once the
    /// tiles hanging over the border are counted (14x14: 16·36 = 576 against 49·16 = 784 per
    /// channel pair; 7x7: 144 against 256; 6x6: equal, so 2).
    static func winogradTileSide(_ g: ConvGeometry) -> Int {
        let tiles = { (side: Int) in ((g.height + side - 1) / side) * ((g.width + side - 1) / side) }
        return tiles(4) * 36 < tiles(2) * 16 ? 4 : 2
    }

    /// The side x side output tiles covering an image, and the padded channels-last layout their
    /// (side + 2)x(side + 2) input blocks read: a zero border of one, plus the rows and columns
    /// the last tiles hang over when a side is not a multiple of the tile's.
    struct WinogradTiles {
        let side: Int, rows: Int, columns: Int, count: Int
        /// The padded layout: rows and columns of side·tiles + 2.
        let layout: PaddedLayout

        init(_ g: ConvGeometry, side: Int = 2) {
            self.side = side
            (rows, columns) = ((g.height + side - 1) / side, (g.width + side - 1) / side)
            count = rows * columns
            layout = PaddedLayout(ConvGeometry(channels: g.channels, height: side * rows, width: side * columns,
                                               kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1))
        }

        /// A buffer for one padded image, zero where `padChannelsLast` writes nothing (the extra
        /// row and column of an odd side), so that it can be reused image after image.
        func paddedBuffer<S: TensorScalar>(_: S.Type) -> UnsafeMutablePointer<S> {
            let buffer = UnsafeMutablePointer<S>.allocate(capacity: layout.image)
            buffer.initialize(repeating: 0, count: layout.image)
            return buffer
        }
    }

    /// Where the 3x3 kernel between input `in` and output `out` lies in a filter tensor:
    /// k[a][b] = w[first + in · inputStride + out · outputStride + a · rowStride + b · columnStride].
    struct FilterStrides {
        let first: Int, inputStride: Int, outputStride: Int, rowStride: Int, columnStride: Int
    }

    /// U_ξ[in, out] = (G k Gᵀ)_ξ for the 3x3 kernels k of `w` (laid out as `strides` says), as 16
    /// matrices of inputs × outputs (computed in Double).
    ///
    /// Output by output, the 16 values of every input's U land in 16 runs of `inputs · outputs`,
    /// one output column at a time; the arithmetic per kernel is fixed, so the values do not
    /// depend on the loop order.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, inputs: Int, outputs: Int,
                                                 strides: FilterStrides) -> [S] {
        let next = inputs * outputs
        return [S](unsafeUninitializedCapacity: 16 * next) { u, initialized in
            let base = u.baseAddress!
            for i in 0..<inputs {
                for o in 0..<outputs {
                    let k = w + (strides.first &+ i &* strides.inputStride &+ o &* strides.outputStride)
                    @inline(__always) func value(_ a: Int, _ b: Int) -> Double {
                        Double(k[a &* strides.rowStride &+ b &* strides.columnStride])
                    }
                    // G k (4x3): rows k₀, (k₀ + k₁ + k₂)/2, (k₀ - k₁ + k₂)/2, k₂ of each column b.
                    @inline(__always) func column(_ b: Int) -> SIMD4<Double> {
                        let (k0, k1, k2) = (value(0, b), value(1, b), value(2, b))
                        return SIMD4<Double>(k0, (k0 + k1 + k2) / 2, (k0 - k1 + k2) / 2, k2)
                    }
                    let gk = (column(0), column(1), column(2))
                    // (G k) Gᵀ: the same combination of the three columns.
                    let columns = (gk.0, (gk.0 + gk.1 + gk.2) / 2, (gk.0 - gk.1 + gk.2) / 2, gk.2)
                    let first = base + (i &* outputs &+ o)
                    for r in 0..<4 {
                        let row = first + (r &* 4) &* next
                        row[0] = S(columns.0[r])
                        row[next] = S(columns.1[r])
                        row[2 &* next] = S(columns.2[r])
                        row[3 &* next] = S(columns.3[r])
                    }
                }
            }
            initialized = 16 * next
        }
    }

    /// The filters of a convolution, w[o, c, a, b], as `winogradFilters` (inputs c, outputs o).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradForwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradFilters(w, inputs: channels, outputs: outChannels,
                        strides: FilterStrides(first: 0, inputStride: 9, outputStride: channels * 9, rowStride: 3, columnStride: 1))
    }

    /// The filters that carry an output cotangent back to the input: dx = conv(dy, w') with
    /// w'[c, o, a, b] = w[o, c, 2 - a, 2 - b] (inputs o, outputs c).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradBackwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradFilters(w, inputs: outChannels, outputs: channels,
                        strides: FilterStrides(first: 8, inputStride: channels * 9, outputStride: 9, rowStride: -3, columnStride: -1))
    }

    /// Four consecutive values as SIMD lanes.
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func lanes<S: TensorScalar>(_ p: UnsafeMutablePointer<S>) -> SIMD4<S> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<S>.self)
    }

    /// Writes four SIMD lanes to consecutive values.
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func storeLanes<S: TensorScalar>(_ value: SIMD4<S>, _ p: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD4<S>.self)
    }

    /// Writes one row of a transformed 4x4 block: four lane vectors, `next` values apart (one
    /// per transform point of the row).
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func storeRow<S: TensorScalar>(_ values: (SIMD4<S>, SIMD4<S>, SIMD4<S>, SIMD4<S>), _ p: UnsafeMutablePointer<S>,
                                          next: Int) {
        storeLanes(values.0, p)
        storeLanes(values.1, p + next)
        storeLanes(values.2, p + 2 &* next)
        storeLanes(values.3, p + 3 &* next)
    }

    /// Scratch space for one image: the transformed input V and the products M.
    struct WinogradScratch<S: TensorScalar> {
        let v: UnsafeMutablePointer<S>, m: UnsafeMutablePointer<S>
        init(tiles: Int, inputs: Int, outputs: Int) {
            v = .allocate(capacity: 16 * tiles * inputs)
            m = .allocate(capacity: 16 * tiles * outputs)
        }
        func deallocate() {
            v.deallocate()
            m.deallocate()
        }
    }

    /// V_ξ[t, c] = (Bᵀ d_t B)_ξ for every tile t of one padded channels-last image xp in the
    /// `WinogradTiles` layout (d_t its 4x4 block at rows 2ti..., columns 2tj...), as 16 matrices of tiles × C.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradInputTransform<S: TensorScalar>(padded xp: UnsafeMutablePointer<S>, height h: Int, width w: Int,
                                                        channels inputs: Int, into v: UnsafeMutablePointer<S>) {
        let (tileRows, tileColumns) = ((h + 1) / 2, (w + 1) / 2)
        let tiles = tileRows * tileColumns
        let rowLength = (2 * tileColumns + 2) * inputs
        // V_ξ[t, c] = (Bᵀ d B)_ξ: d B along each row r (e_r), then Bᵀ down the columns, four
        // channels at a time.
        typealias Lanes = SIMD4<S>
        @inline(__always) func rowTimesB(_ row: UnsafeMutablePointer<S>) -> (Lanes, Lanes, Lanes, Lanes) {
            let d0: Lanes = lanes(row), d1: Lanes = lanes(row + inputs)
            let d2: Lanes = lanes(row + 2 &* inputs), d3: Lanes = lanes(row + 3 &* inputs)
            return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
        }
        let next = tiles &* inputs  // V_ξ[t] lies at v + ξ · next + t · inputs
        for ti in 0..<tileRows {
            for tj in 0..<tileColumns {
                let t = ti &* tileColumns &+ tj
                let r0 = xp + (2 &* ti &* rowLength &+ 2 &* tj &* inputs)
                let out = v + t &* inputs
                for c in stride(from: 0, to: inputs, by: 4) {
                    let e0 = rowTimesB(r0 + c), e1 = rowTimesB(r0 + (rowLength &+ c))
                    let e2 = rowTimesB(r0 + (2 &* rowLength &+ c)), e3 = rowTimesB(r0 + (3 &* rowLength &+ c))
                    let o = out + c
                    // Rows of Bᵀ e: e₀ - e₂, e₁ + e₂, e₂ - e₁, e₁ - e₃, each over the four columns.
                    let first: (Lanes, Lanes, Lanes, Lanes) = (e0.0 - e2.0, e0.1 - e2.1, e0.2 - e2.2, e0.3 - e2.3)
                    let second: (Lanes, Lanes, Lanes, Lanes) = (e1.0 + e2.0, e1.1 + e2.1, e1.2 + e2.2, e1.3 + e2.3)
                    let third: (Lanes, Lanes, Lanes, Lanes) = (e2.0 - e1.0, e2.1 - e1.1, e2.2 - e1.2, e2.3 - e1.3)
                    let fourth: (Lanes, Lanes, Lanes, Lanes) = (e1.0 - e3.0, e1.1 - e3.1, e1.2 - e3.2, e1.3 - e3.3)
                    storeRow(first, o, next: next)
                    storeRow(second, o + 4 &* next, next: next)
                    storeRow(third, o + 8 &* next, next: next)
                    storeRow(fourth, o + 12 &* next, next: next)
                }
            }
        }
    }

    /// y[o, i, j] (channels-first, one image) = the 3x3 convolution of the padded channels-last
    /// image xp (`WinogradTiles` layout) with the filters u (from `winogradFilters`), plus the bias.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradConvolution<S: TensorScalar>(padded xp: UnsafeMutablePointer<S>, height h: Int, width w: Int,
                                                     inputs: Int, outputs: Int, filters u: UnsafeMutablePointer<S>,
                                                     bias: UnsafeMutablePointer<S>?, scratch: WinogradScratch<S>,
                                                     into y: UnsafeMutablePointer<S>) {
        let (tileRows, tileColumns) = ((h + 1) / 2, (w + 1) / 2)
        let tiles = tileRows * tileColumns
        let (v, m) = (scratch.v, scratch.m)
        typealias Lanes = SIMD4<S>
        winogradInputTransform(padded: xp, height: h, width: w, channels: inputs, into: v)
        // M_ξ = V_ξ · U_ξ: (tiles × inputs) by (inputs × outputs).
        for xi in 0..<16 {
            gemm(false, false, m: tiles, n: outputs, k: inputs, v + xi * tiles * inputs, lda: inputs,
                 u + xi * inputs * outputs, ldb: outputs, beta: 0, m + xi * tiles * outputs, ldc: outputs)
        }
        // Y = Aᵀ M A per tile, four output channels at a time: M A along each row r (q_r), then
        // Aᵀ down the columns; written channels-first.
        let (plane, stride) = (h &* w, tiles &* outputs)  // M_ξ[t, o] lies at m + ξ · stride + t · outputs + o
        @inline(__always) func rowTimesA(_ p: UnsafeMutablePointer<S>) -> (Lanes, Lanes) {
            let m0: Lanes = lanes(p), m1: Lanes = lanes(p + stride)
            let m2: Lanes = lanes(p + 2 &* stride), m3: Lanes = lanes(p + 3 &* stride)
            return (m0 + m1 + m2, m1 - m2 - m3)
        }
        for ti in 0..<tileRows {
            for tj in 0..<tileColumns {
                let t = ti &* tileColumns &+ tj
                let row = m + t &* outputs, corner = y + (2 &* ti &* w &+ 2 &* tj)
                // A tile over the zero border of an odd side keeps only its outputs inside the image.
                let (lower, right) = (2 &* ti &+ 1 < h, 2 &* tj &+ 1 < w)
                for o in Swift.stride(from: 0, to: outputs, by: 4) {
                    let p = row + o
                    let q0 = rowTimesA(p), q1 = rowTimesA(p + 4 &* stride)
                    let q2 = rowTimesA(p + 8 &* stride), q3 = rowTimesA(p + 12 &* stride)
                    let shift: Lanes = bias.map { lanes($0 + o) } ?? Lanes()
                    let y00: Lanes = q0.0 + q1.0 + q2.0 + shift, y01: Lanes = q0.1 + q1.1 + q2.1 + shift
                    let y10: Lanes = q1.0 - q2.0 - q3.0 + shift, y11: Lanes = q1.1 - q2.1 - q3.1 + shift
                    for lane in 0..<4 {
                        let image = corner + (o &+ lane) &* plane
                        image[0] = y00[lane]
                        if right { image[1] = y01[lane] }
                        if lower { image[w] = y10[lane] }
                        if lower && right { image[w &+ 1] = y11[lane] }
                    }
                }
            }
        }
    }

    /// y = conv(x, W) + b through Winograd tiles; the caller checked `usesWinograd`.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradConv2d<S: TensorScalar>(_ x: Tensor, _ filters: Tensor, _ bias: Tensor?, _ g: ConvGeometry,
                                                _: S.Type) -> Tensor {
        let (batch, outChannels) = (x.shape[0], filters.shape[0])
        let out = Buffer(dtype: x.dtype, count: batch * outChannels * g.height * g.width)
        if winogradTileSide(g) == 4 {
            let u = winogradF4ForwardFilters(filters.buffer.pointer(S.self), outChannels: outChannels, channels: g.channels)
            winogradF4Images(x.buffer.pointer(S.self), batch: batch, g, filters: u, outChannels: outChannels,
                             bias: bias?.buffer.pointer(S.self), into: out.pointer(S.self))
            return Tensor(buffer: out, shape: [batch, outChannels, g.height, g.width])
        }
        let u = winogradForwardFilters(filters.buffer.pointer(S.self), outChannels: outChannels, channels: g.channels)
        winogradImages(x.buffer.pointer(S.self), batch: batch, g, filters: u, outChannels: outChannels,
                       bias: bias?.buffer.pointer(S.self), into: out.pointer(S.self))
        return Tensor(buffer: out, shape: [batch, outChannels, g.height, g.width])
    }

    /// (dx, dW, db) of `winogradConv2d` for the output cotangent; nil where not `needed`.
    ///
    /// dx = conv(dy, w') with w' the flipped, transposed filters, through the same tiles; dW runs
    /// the transforms backwards (`winogradWeightGradient`, or both at once in `winogradF4Backward`);
    /// db[o] = Σ dy[n, o, :].
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradConv2dBackward<S: TensorScalar>(_ cotangent: Tensor, _ x: Tensor, _ filters: Tensor, _ g: ConvGeometry,
                                                        _ needed: [Bool], _: S.Type) -> [Tensor?] {
        _ = blasSingleThreaded
        let (batch, outChannels, positions) = (x.shape[0], filters.shape[0], g.height * g.width)
        let (px, pg, pw) = (x.buffer.pointer(S.self), cotangent.buffer.pointer(S.self), filters.buffer.pointer(S.self))
        var dx: Tensor?, dw: Tensor?, db: Tensor?
        if winogradTileSide(g) == 4 {
            let gradients = winogradF4Backward(px, pg, filters: pw, batch: batch, g, outChannels: outChannels,
                                               needed: (input: needed[0], filters: needed[1]))
            dx = gradients.dx.map { Tensor(buffer: $0, shape: x.shape) }
            dw = gradients.dw.map { Tensor(buffer: $0, shape: filters.shape) }
        } else {
            if needed[0] {
                let u = winogradBackwardFilters(pw, outChannels: outChannels, channels: g.channels)
                let buffer = Buffer(dtype: x.dtype, count: x.scalarCount)
                winogradImages(pg, batch: batch, g.cotangentGeometry(outChannels: outChannels), filters: u, outChannels: g.channels,
                               bias: nil, into: buffer.pointer(S.self))
                dx = Tensor(buffer: buffer, shape: x.shape)
            }
            if needed[1] {
                dw = Tensor(buffer: winogradWeightGradient(px, pg, batch: batch, g, outChannels: outChannels), shape: filters.shape)
            }
        }
        if needed.count > 2 && needed[2] {
            let buffer = Buffer.zeros(dtype: x.dtype, count: outChannels)
            addBiasGradient(pg, images: batch, outChannels: outChannels, positions: positions, into: buffer.pointer(S.self))
            db = Tensor(buffer: buffer, shape: [outChannels])
        }
        return [dx, dw, db]
    }

    /// The convolution of every image of x [N, C, H, W] (channels-first) through Winograd tiles,
    /// into y [N, O, H, W].
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradImages<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, batch: Int, _ g: ConvGeometry,
                                                filters u: [S], outChannels: Int, bias: UnsafeMutablePointer<S>?,
                                                into y: UnsafeMutablePointer<S>) {
        let tiles = WinogradTiles(g)
        let padded = tiles.paddedBuffer(S.self)
        let scratch = WinogradScratch<S>(tiles: tiles.count, inputs: g.channels, outputs: outChannels)
        defer {
            padded.deallocate()
            scratch.deallocate()
        }
        let (imageSize, outputSize) = (g.channels * g.height * g.width, outChannels * g.height * g.width)
        u.withUnsafeBufferPointer { u in
            for n in 0..<batch {
                padChannelsLast(x + n * imageSize, g, tiles.layout, batch: 1, into: padded)
                winogradConvolution(padded: padded, height: g.height, width: g.width, inputs: g.channels, outputs: outChannels,
                                    filters: UnsafeMutablePointer(mutating: u.baseAddress!), bias: bias, scratch: scratch,
                                    into: y + n * outputSize)
            }
        }
    }
}

extension ConvGeometry {
    /// The geometry a Winograd layer's output cotangent is read with: `outChannels` images of this
    /// layer's size under the same 3x3 window, stride 1 and padding 1 (what dx convolves with the
    /// flipped filters, and what dW transforms tile by tile).
    func cotangentGeometry(outChannels: Int) -> ConvGeometry {
        ConvGeometry(channels: outChannels, height: height, width: width, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
    }
}
