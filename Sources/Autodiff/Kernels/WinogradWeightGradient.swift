/// The weight gradient of the Winograd convolution (see `WinogradConvolution.swift`).
///
/// The forward pass computes, per transform point ξ, M_ξ = V_ξ U_ξ with V = Bᵀ d B per tile and
/// U = G w Gᵀ per filter, then Y = Aᵀ M A per tile. Backwards, every step is linear:
///   dM = A dY Aᵀ per tile,   dU_ξ = Σ_t V_ξ[t]ᵀ dM_ξ[t] (over the tiles of every image),
///   dw = Gᵀ dU G per filter,
/// so dW takes 16 products of (C × tiles) by (tiles × O) per image instead of the column matrix.
extension Kernels {
    /// dM_ξ[t, o] = (A dY_t Aᵀ)_ξ for every tile t of one output cotangent stored padded and
    /// channels-last, gp (`WinogradTiles` layout; dY_t its 2x2 block at rows 2ti + 1..., columns
    /// 2tj + 1..., zero past the image): the adjoint of the output transform Y = Aᵀ M A, as 16
    /// matrices of tiles × O.
    ///
    /// With A = [1 0; 1 1; 1 -1; 0 -1], each row (y₀, y₁) of dY becomes (y₀, y₀ + y₁, y₀ - y₁, -y₁),
    /// and the two rows s₀, s₁ become the rows s₀, s₀ + s₁, s₀ - s₁, -s₁.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradCotangentTransform<S: TensorScalar>(padded gp: UnsafeMutablePointer<S>, height h: Int, width w: Int,
                                                            channels outputs: Int, into dm: UnsafeMutablePointer<S>) {
        typealias Lanes = SIMD4<S>
        let (tileRows, tileColumns) = ((h + 1) / 2, (w + 1) / 2)
        let rowLength = (2 * tileColumns + 2) * outputs
        let next = tileRows * tileColumns * outputs  // dM_ξ[t] lies at dm + ξ · next + t · outputs
        @inline(__always) func rowTimesAT(_ p: UnsafeMutablePointer<S>) -> (Lanes, Lanes, Lanes, Lanes) {
            let y0 = lanes(p), y1 = lanes(p + outputs)
            return (y0, y0 + y1, y0 - y1, Lanes() - y1)
        }
        for ti in 0..<tileRows {
            for tj in 0..<tileColumns {
                let t = ti &* tileColumns &+ tj
                let top = gp + ((2 &* ti &+ 1) &* rowLength &+ (2 &* tj &+ 1) &* outputs)
                let out = dm + t &* outputs
                for o in stride(from: 0, to: outputs, by: 4) {
                    let s0 = rowTimesAT(top + o), s1 = rowTimesAT(top + (rowLength &+ o))
                    let sum: (Lanes, Lanes, Lanes, Lanes) = (s0.0 + s1.0, s0.1 + s1.1, s0.2 + s1.2, s0.3 + s1.3)
                    let difference: (Lanes, Lanes, Lanes, Lanes) = (s0.0 - s1.0, s0.1 - s1.1, s0.2 - s1.2, s0.3 - s1.3)
                    let negated: (Lanes, Lanes, Lanes, Lanes) = (Lanes() - s1.0, Lanes() - s1.1, Lanes() - s1.2, Lanes() - s1.3)
                    storeRow(s0, out + o, next: next)
                    storeRow(sum, out + (4 &* next &+ o), next: next)
                    storeRow(difference, out + (8 &* next &+ o), next: next)
                    storeRow(negated, out + (12 &* next &+ o), next: next)
                }
            }
        }
    }

    /// The weight gradient of a Winograd convolution of x [N, C, H, W] with output cotangent
    /// g [N, O, H, W], returned as dw[o, c, a, b]; the caller checked `usesWinograd`.
    ///
    /// Per image, M_ξ = V_ξ U_ξ gives dU_ξ += V_ξᵀ dM_ξ (C × O, summed over the images), and
    /// U = G k Gᵀ gives dk = Gᵀ dU G for each filter at the end.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func winogradWeightGradient<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, _ g: UnsafeMutablePointer<S>, batch: Int,
                                                        _ geometry: ConvGeometry, outChannels: Int) -> Buffer {
        let (channels, h, w) = (geometry.channels, geometry.height, geometry.width)
        let cotangentGeometry = geometry.cotangentGeometry(outChannels: outChannels)
        let (tiles, cotangentTiles) = (WinogradTiles(geometry), WinogradTiles(cotangentGeometry))
        let padded = tiles.paddedBuffer(S.self), paddedCotangent = cotangentTiles.paddedBuffer(S.self)
        let scratch = WinogradScratch<S>(tiles: tiles.count, inputs: channels, outputs: outChannels)
        let du = UnsafeMutablePointer<S>.allocate(capacity: 16 * channels * outChannels)
        defer {
            padded.deallocate()
            paddedCotangent.deallocate()
            scratch.deallocate()
            du.deallocate()
        }
        for n in 0..<batch {
            padChannelsLast(x + n * channels * h * w, geometry, tiles.layout, batch: 1, into: padded)
            padChannelsLast(g + n * outChannels * h * w, cotangentGeometry, cotangentTiles.layout, batch: 1, into: paddedCotangent)
            winogradInputTransform(padded: padded, height: h, width: w, channels: channels, into: scratch.v)
            winogradCotangentTransform(padded: paddedCotangent, height: h, width: w, channels: outChannels, into: scratch.m)
            for xi in 0..<16 {
                gemm(true, false, m: channels, n: outChannels, k: tiles.count, scratch.v + xi * tiles.count * channels,
                     lda: channels, scratch.m + xi * tiles.count * outChannels, ldb: outChannels, beta: n == 0 ? 0 : 1,
                     du + xi * channels * outChannels, ldc: outChannels)
            }
        }
        // dk = Gᵀ dU G with Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1], in Double.
        let dw = Buffer(dtype: S.dtype, count: outChannels * channels * 9)
        let pdw = dw.pointer(S.self)
        @inline(__always) func timesG(_ r: SIMD4<Double>) -> SIMD3<Double> {
            SIMD3(r[0] + (r[1] + r[2]) / 2, (r[1] - r[2]) / 2, (r[1] + r[2]) / 2 + r[3])
        }
        for c in 0..<channels {
            for o in 0..<outChannels {
                // dU G row by row, then Gᵀ (dU G): the same combination down the columns.
                @inline(__always) func row(_ r: Int) -> SIMD3<Double> {
                    let first = du + (r * 4 * channels + c) * outChannels + o, next = channels * outChannels
                    return timesG(SIMD4(Double(first[0]), Double(first[next]), Double(first[2 * next]), Double(first[3 * next])))
                }
                let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
                let filter = pdw + (o * channels + c) * 9
                for b in 0..<3 {
                    let column = timesG(SIMD4(r0[b], r1[b], r2[b], r3[b]))
                    for a in 0..<3 { filter[a * 3 + b] = S(column[a]) }
                }
            }
        }
        return dw
    }
}
