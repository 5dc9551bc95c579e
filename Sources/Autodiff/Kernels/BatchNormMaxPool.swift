/// What a fused batch norm + max-pool keeps from its forward pass for its backward pass.
public final class PooledBatchNorm: Sendable {
    /// The ε in √(σ² + ε).
    public let epsilon: Double
    /// Which normalized element won each pooling window.
    public let winners: PoolWinners
    /// The batch's per-channel mean μ and 1/√(σ² + ε), in Double.
    let mean: [Double], inverseStd: [Double]
    /// The input at each winner, x_w(t), laid out as the pooled output: the backward sums read
    /// these in order instead of gathering them from the whole input.
    let winnerInputs: Buffer

    init(epsilon: Double, winners: PoolWinners, mean: [Double], inverseStd: [Double], winnerInputs: Buffer) {
        self.epsilon = epsilon
        self.winners = winners
        self.mean = mean
        self.inverseStd = inverseStd
        self.winnerInputs = winnerInputs
    }
}

/// Batch normalization with the batch's statistics, then max-pooling, without storing the
/// normalized tensor.
///
/// Forward, per plane of channel c: z = a x + b with a = γ/√(σ² + ε) and b = β - a μ (the
/// same arithmetic as `batchNorm`), pooled while the plane is in cache (for Float 2x2 windows,
/// normalized as the pooling loads it).
/// Backward: the pooled cotangent g reaches only the winners w(t), so with m values per channel
///   dβ = Σ_t g_t,   dγ = σ⁻¹ Σ_t g_t (x_w(t) - μ),
///   dx = k₁ x + k₀ everywhere, plus k g_t at each winner,
/// where k = γσ⁻¹, k₁ = -k σ⁻¹ dγ / m and k₀ = -k dβ / m - k₁ μ: one pass writes dx, and the
/// sums run over the pooled elements only, reading the winners' inputs x_w(t) that the forward
/// pass kept (a quarter of x for 2x2 windows, in order) rather than gathering them from x.
extension Kernels {
    static func batchNormMaxPool(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double,
                                 size: Int) -> (Tensor, PooledBatchNorm) {
        switch x.dtype {
        case .float32: batchNormMaxPool(x, scale, offset, epsilon, size, Float.self)
        case .float64: batchNormMaxPool(x, scale, offset, epsilon, size, Double.self)
        }
    }

    /// (dx, dγ, dβ) of the fused batch norm + max-pool for the pooled cotangent g (dx nil unless `needX`).
    static func batchNormMaxPoolBackward(_ g: Tensor, _ x: Tensor, scale: Tensor, _ saved: PooledBatchNorm,
                                         needX: Bool) -> (Tensor?, Tensor, Tensor) {
        switch x.dtype {
        case .float32: batchNormMaxPoolBackward(g, x, scale, saved, needX, Float.self)
        case .float64: batchNormMaxPoolBackward(g, x, scale, saved, needX, Double.self)
        }
    }

    private static func batchNormMaxPool<S: TensorScalar>(_ x: Tensor, _ scale: Tensor, _ offset: Tensor, _ epsilon: Double,
                                                          _ size: Int, _: S.Type) -> (Tensor, PooledBatchNorm) {
        let (batch, channels, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let pooled = (h / size) * (w / size)
        let p = x.buffer.pointer(S.self), gamma = scale.buffer.pointer(S.self), beta = offset.buffer.pointer(S.self)
        let (mean, inverseStd) = channelStatistics(p, x.shape, epsilon)
        let out = Buffer(dtype: x.dtype, count: batch * channels * pooled)
        let winnerInputs = Buffer(dtype: x.dtype, count: batch * channels * pooled)
        let (y, xw) = (out.pointer(S.self), winnerInputs.pointer(S.self))
        let normalized = UnsafeMutablePointer<S>.allocate(capacity: h * w)
        defer { normalized.deallocate() }
        var offsets = [Int32](repeating: 0, count: batch * channels * pooled)
        // z = a x + b per channel, then the planes in memory order.
        let affine = (0..<channels).map { c -> (a: S, b: S) in
            let a = S(Double(gamma[c]) * inverseStd[c])
            return (a, beta[c] - a * S(mean[c]))
        }
        offsets.withUnsafeMutableBufferPointer { offsets in
            for n in 0..<batch {
                for c in 0..<channels {
                    let (a, b) = affine[c]
                    let plane = n * channels + c, source = p + plane * h * w, winner = offsets.baseAddress! + plane * pooled
                    if S.self == Float.self && size == 2 {
                        poolNormalizedPlane(UnsafeMutableRawPointer(source).assumingMemoryBound(to: Float.self),
                                            scale: Float(a), shift: Float(b), height: h, width: w,
                                            values: UnsafeMutableRawPointer(y + plane * pooled).assumingMemoryBound(to: Float.self),
                                            offsets: winner)
                    } else {
                        for i in 0..<(h * w) { normalized[i] = a * source[i] + b }
                        poolPlane(normalized, height: h, width: w, size: size, values: y + plane * pooled, offsets: winner)
                    }
                    // x_w(t) while the plane is in cache.
                    let kept = xw + plane * pooled
                    for t in 0..<pooled { kept[t] = source[Int(winner[t])] }
                }
            }
        }
        let winners = PoolWinners(inputShape: x.shape, size: size, offsets: offsets)
        return (Tensor(buffer: out, shape: winners.outputShape),
                PooledBatchNorm(epsilon: epsilon, winners: winners, mean: mean, inverseStd: inverseStd, winnerInputs: winnerInputs))
    }

    private static func batchNormMaxPoolBackward<S: TensorScalar>(_ g: Tensor, _ x: Tensor, _ scale: Tensor,
                                                                  _ saved: PooledBatchNorm, _ needX: Bool,
                                                                  _: S.Type) -> (Tensor?, Tensor, Tensor) {
        let winners = saved.winners
        let (batch, channels, planeSize, pooled) = (x.shape[0], x.shape[1], winners.planeSize, winners.pooledPlaneSize)
        let px = x.buffer.pointer(S.self), pg = g.buffer.pointer(S.self), gamma = scale.buffer.pointer(S.self)
        let pxw = saved.winnerInputs.pointer(S.self)
        let dx = needX ? Buffer(dtype: x.dtype, count: x.scalarCount) : nil
        let dScale = Buffer(dtype: x.dtype, count: channels), dOffset = Buffer(dtype: x.dtype, count: channels)
        let pds = dScale.pointer(S.self), pdo = dOffset.pointer(S.self)
        let count = Double(batch * planeSize)
        // Planes in memory order (each channel's planes still in the order of the images), so
        // that the reads stream through x instead of jumping a channel's planes apart.
        winners.offsets.withUnsafeBufferPointer { offsets in
            // Σ g and Σ g (x - μ) over the winners.
            var sumG = [Double](repeating: 0, count: channels), sumGCentered = sumG
            for n in 0..<batch {
                for c in 0..<channels {
                    let plane = n * channels + c, mu = saved.mean[c]
                    let xs = pxw + plane * pooled, gs = pg + plane * pooled
                    var t = 0
                    if S.self == Float.self {
                        let sums = winnerSums(UnsafeMutableRawPointer(xs).assumingMemoryBound(to: Float.self),
                                              UnsafeMutableRawPointer(gs).assumingMemoryBound(to: Float.self),
                                              count: pooled, mean: mu)
                        (sumG[c], sumGCentered[c], t) = (sumG[c] + sums.g, sumGCentered[c] + sums.gCentered, sums.done)
                    }
                    for t in t..<pooled {
                        let gt = Double(gs[t])
                        sumG[c] += gt
                        sumGCentered[c] += gt * (Double(xs[t]) - mu)
                    }
                }
            }
            // dx = k g + k₁ x + k₀ per channel.
            var coefficients: [(k: S, k1: S, k0: S)] = []
            for c in 0..<channels {
                let (mu, inverseStd) = (saved.mean[c], saved.inverseStd[c])
                let sumGXHat = sumGCentered[c] * inverseStd
                pdo[c] = S(sumG[c])
                pds[c] = S(sumGXHat)
                let k = Double(gamma[c]) * inverseStd
                let k1 = -k * inverseStd * sumGXHat / count
                let k0 = -k * sumG[c] / count - k1 * mu
                coefficients.append((S(k), S(k1), S(k0)))
            }
            guard let dx else { return }
            for n in 0..<batch {
                for c in 0..<channels {
                    let (a, b, e) = coefficients[c]
                    let plane = n * channels + c
                    let xs = px + plane * planeSize, gs = pg + plane * pooled, d = dx.pointer(S.self) + plane * planeSize
                    var i = 0
                    if S.self == Float.self {
                        i = affine(UnsafeMutableRawPointer(xs).assumingMemoryBound(to: Float.self), scale: Float(b), shift: Float(e),
                                   count: planeSize, into: UnsafeMutableRawPointer(d).assumingMemoryBound(to: Float.self))
                    }
                    for i in i..<planeSize { d[i] = b * xs[i] + e }
                    for t in 0..<pooled {
                        let i = Int(offsets[plane * pooled + t])
                        d[i] = a * gs[t] + b * xs[i] + e
                    }
                }
            }
        }
        return (dx.map { Tensor(buffer: $0, shape: x.shape) }, Tensor(buffer: dScale, shape: [channels]),
                Tensor(buffer: dOffset, shape: [channels]))
    }

    /// Σ g_t and Σ g_t (x_t - μ) over the whole groups of four windows of one Float plane (x_t
    /// the input at window t's winner), in four independent Double lanes (one running sum would
    /// wait on every addition); returns the sums and how many windows they cover (the rest are
    /// the caller's).
    @inline(__always)
    private static func winnerSums(_ x: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int, mean: Double)
        -> (g: Double, gCentered: Double, done: Int) {
        let mu = SIMD4<Double>(repeating: mean)
        var sumG = SIMD4<Double>(), sumGCentered = SIMD4<Double>()
        var t = 0
        while t + 4 <= count {
            let gt = SIMD4<Double>(UnsafeRawPointer(g + t).loadUnaligned(as: SIMD4<Float>.self))
            let xt = SIMD4<Double>(UnsafeRawPointer(x + t).loadUnaligned(as: SIMD4<Float>.self))
            sumG += gt
            sumGCentered += gt * (xt - mu)
            t += 4
        }
        @inline(__always) func total(_ lanes: SIMD4<Double>) -> Double {
            (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        }
        return (total(sumG), total(sumGCentered), t)
    }

    /// d[i] = scale · x[i] + shift over the whole groups of four of n values; returns how many
    /// were written (the rest are the caller's).
    @inline(__always)
    private static func affine(_ x: UnsafeMutablePointer<Float>, scale: Float, shift: Float, count: Int,
                               into d: UnsafeMutablePointer<Float>) -> Int {
        let (a, b) = (SIMD4<Float>(repeating: scale), SIMD4<Float>(repeating: shift))
        var i = 0
        while i + 4 <= count {
            UnsafeMutableRawPointer(d + i).storeBytes(of: a * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self) + b,
                                                     as: SIMD4<Float>.self)
            i += 4
        }
        return i
    }
}
