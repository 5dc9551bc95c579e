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
/// transform is a handful of vector additions per tile.
extension Kernels {
    /// Whether the Winograd kernels apply: a 3x3 window, stride 1, padding 1, channel counts in
    /// whole SIMD lanes of four (both ways, since dx runs the same kernels from the outputs back),
    /// and an even image of at least 8x8 (whole tiles, and enough of them to pay for the transforms).
    static func usesWinograd(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
            && g.channels >= 8 && g.channels % 4 == 0 && outChannels % 4 == 0
            && g.height % 2 == 0 && g.width % 2 == 0 && g.height >= 8 && g.width >= 8
    }

    /// U_ξ[in, out] = (G k Gᵀ)_ξ for the 3x3 kernels k[a][b] = `kernel(in, out, a, b)`, as 16
    /// matrices of inputs × outputs (computed in Double).
    static func winogradFilters<S: TensorScalar>(inputs: Int, outputs: Int, _: S.Type,
                                                 kernel: (Int, Int, Int, Int) -> S) -> [S] {
        var u = [S](repeating: 0, count: 16 * inputs * outputs)
        for i in 0..<inputs {
            for o in 0..<outputs {
                // G k (4x3): rows k₀, (k₀ + k₁ + k₂)/2, (k₀ - k₁ + k₂)/2, k₂ of each column b.
                var gk = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())  // column b as a vector over the 4 rows
                for b in 0..<3 {
                    let (k0, k1, k2) = (Double(kernel(i, o, 0, b)), Double(kernel(i, o, 1, b)), Double(kernel(i, o, 2, b)))
                    let column = SIMD4<Double>(k0, (k0 + k1 + k2) / 2, (k0 - k1 + k2) / 2, k2)
                    switch b {
                    case 0: gk.0 = column
                    case 1: gk.1 = column
                    default: gk.2 = column
                    }
                }
                // (G k) Gᵀ: the same combination of the three columns.
                let columns = [gk.0, (gk.0 + gk.1 + gk.2) / 2, (gk.0 - gk.1 + gk.2) / 2, gk.2]
                for c in 0..<4 {
                    for r in 0..<4 { u[((r * 4 + c) * inputs + i) * outputs + o] = S(columns[c][r]) }
                }
            }
        }
        return u
    }

    /// The filters of a convolution, w[o, c, a, b], as `winogradFilters` (inputs c, outputs o).
    static func winogradForwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradFilters(inputs: channels, outputs: outChannels, S.self) { c, o, a, b in w[((o * channels + c) * 3 + a) * 3 + b] }
    }

    /// The filters that carry an output cotangent back to the input: dx = conv(dy, w') with
    /// w'[c, o, a, b] = w[o, c, 2 - a, 2 - b] (inputs o, outputs c).
    static func winogradBackwardFilters<S: TensorScalar>(_ w: UnsafeMutablePointer<S>, outChannels: Int, channels: Int) -> [S] {
        winogradFilters(inputs: outChannels, outputs: channels, S.self) { o, c, a, b in
            w[((o * channels + c) * 3 + 2 - a) * 3 + 2 - b]
        }
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

    /// y[o, i, j] (channels-first, one image) = the 3x3 convolution of the padded channels-last
    /// image xp[(H + 2), (W + 2), inputs] with the filters u (from `winogradFilters`), plus the bias.
    static func winogradConvolution<S: TensorScalar>(padded xp: UnsafeMutablePointer<S>, height h: Int, width w: Int,
                                                     inputs: Int, outputs: Int, filters u: UnsafeMutablePointer<S>,
                                                     bias: UnsafeMutablePointer<S>?, scratch: WinogradScratch<S>,
                                                     into y: UnsafeMutablePointer<S>) {
        let (tileRows, tileColumns) = (h / 2, w / 2)
        let tiles = tileRows * tileColumns
        let (v, m) = (scratch.v, scratch.m)
        let rowLength = (w + 2) * inputs
        // V_ξ[t, c] = (Bᵀ d B)_ξ: d B along each row r (e_r), then Bᵀ down the columns, four
        // channels at a time.
        typealias Lanes = SIMD4<S>
        @inline(__always) func load(_ p: UnsafeMutablePointer<S>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        @inline(__always) func store(_ value: Lanes, _ p: UnsafeMutablePointer<S>) {
            UnsafeMutableRawPointer(p).storeBytes(of: value, as: Lanes.self)
        }
        @inline(__always) func rowTimesB(_ row: UnsafeMutablePointer<S>) -> (Lanes, Lanes, Lanes, Lanes) {
            let d0: Lanes = load(row), d1: Lanes = load(row + inputs)
            let d2: Lanes = load(row + 2 &* inputs), d3: Lanes = load(row + 3 &* inputs)
            return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
        }
        let next = tiles &* inputs  // V_ξ[t] lies at v + ξ · next + t · inputs
        @inline(__always) func storeRow(_ values: (Lanes, Lanes, Lanes, Lanes), _ p: UnsafeMutablePointer<S>) {
            store(values.0, p)
            store(values.1, p + next)
            store(values.2, p + 2 &* next)
            store(values.3, p + 3 &* next)
        }
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
                    storeRow(first, o)
                    storeRow(second, o + 4 &* next)
                    storeRow(third, o + 8 &* next)
                    storeRow(fourth, o + 12 &* next)
                }
            }
        }
        // M_ξ = V_ξ · U_ξ: (tiles × inputs) by (inputs × outputs).
        for xi in 0..<16 {
            gemm(false, false, m: tiles, n: outputs, k: inputs, v + xi * tiles * inputs, lda: inputs,
                 u + xi * inputs * outputs, ldb: outputs, beta: 0, m + xi * tiles * outputs, ldc: outputs)
        }
        // Y = Aᵀ M A per tile, four output channels at a time: M A along each row r (q_r), then
        // Aᵀ down the columns; written channels-first.
        let (plane, stride) = (h &* w, tiles &* outputs)  // M_ξ[t, o] lies at m + ξ · stride + t · outputs + o
        @inline(__always) func rowTimesA(_ p: UnsafeMutablePointer<S>) -> (Lanes, Lanes) {
            let m0: Lanes = load(p), m1: Lanes = load(p + stride)
            let m2: Lanes = load(p + 2 &* stride), m3: Lanes = load(p + 3 &* stride)
            return (m0 + m1 + m2, m1 - m2 - m3)
        }
        for ti in 0..<tileRows {
            for tj in 0..<tileColumns {
                let t = ti &* tileColumns &+ tj
                let row = m + t &* outputs, corner = y + (2 &* ti &* w &+ 2 &* tj)
                for o in Swift.stride(from: 0, to: outputs, by: 4) {
                    let p = row + o
                    let q0 = rowTimesA(p), q1 = rowTimesA(p + 4 &* stride)
                    let q2 = rowTimesA(p + 8 &* stride), q3 = rowTimesA(p + 12 &* stride)
                    let shift: Lanes = bias.map { load($0 + o) } ?? Lanes()
                    let y00: Lanes = q0.0 + q1.0 + q2.0 + shift, y01: Lanes = q0.1 + q1.1 + q2.1 + shift
                    let y10: Lanes = q1.0 - q2.0 - q3.0 + shift, y11: Lanes = q1.1 - q2.1 - q3.1 + shift
                    for lane in 0..<4 {
                        let image = corner + (o &+ lane) &* plane
                        image[0] = y00[lane]
                        image[1] = y01[lane]
                        image[w] = y10[lane]
                        image[w &+ 1] = y11[lane]
                    }
                }
            }
        }
    }

    /// conv2d through Winograd tiles for every image of x [N, C, H, W]; the caller checked `usesWinograd`.
    static func winogradConv2d<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, batch: Int, _ g: ConvGeometry,
                                                filters u: [S], outChannels: Int, bias: UnsafeMutablePointer<S>?,
                                                into y: UnsafeMutablePointer<S>) {
        let layout = PaddedLayout(g)
        let padded = UnsafeMutablePointer<S>.allocate(capacity: layout.image)
        let scratch = WinogradScratch<S>(tiles: g.height * g.width / 4, inputs: g.channels, outputs: outChannels)
        defer {
            padded.deallocate()
            scratch.deallocate()
        }
        let (imageSize, outputSize) = (g.channels * g.height * g.width, outChannels * g.height * g.width)
        u.withUnsafeBufferPointer { u in
            for n in 0..<batch {
                padChannelsLast(x + n * imageSize, g, layout, batch: 1, into: padded)
                winogradConvolution(padded: padded, height: g.height, width: g.width, inputs: g.channels, outputs: outChannels,
                                    filters: UnsafeMutablePointer(mutating: u.baseAddress!), bias: bias, scratch: scratch,
                                    into: y + n * outputSize)
            }
        }
    }
}
