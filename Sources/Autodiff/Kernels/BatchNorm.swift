/// Fused batch normalization over `[N, C, ...]` with the batch's own statistics.
///
/// Forward: μ_c = mean x, σ²_c = mean (x - μ)², x̂ = (x - μ) / √(σ² + ε), y = γ x̂ + β.
/// Backward, with m = N·(spatial size) values per channel:
///   dβ = Σ g,  dγ = Σ g x̂,  dx = γ / √(σ² + ε) · (g - dβ/m - x̂ dγ/m).
/// Two passes each way instead of the dozen a composition of element-wise ops needs.
extension Kernels {
    /// The layout of `[N, C, spatial...]`: per channel, `batch` runs of `spatial` values.
    private static func channelLayout(_ shape: [Int]) -> (batch: Int, channels: Int, spatial: Int) {
        (shape[0], shape[1], shape[2...].reduce(1, *))
    }

    /// y = γ x̂ + β with per-channel batch statistics.
    static func batchNorm(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double) -> Tensor {
        switch x.dtype {
        case .float32: batchNorm(x, scale, offset, epsilon, Float.self)
        case .float64: batchNorm(x, scale, offset, epsilon, Double.self)
        }
    }

    /// Σ f(run[i]) over a run, with eight independent partial sums in Double so the loop
    /// pipelines (a single running sum would wait on every addition).
    @inline(__always)
    private static func runSum<S: TensorScalar>(_ run: UnsafeMutablePointer<S>, _ n: Int, _ f: (Double) -> Double) -> Double {
        var partial = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        var i = 0
        while i + 8 <= n {
            partial.0 += f(Double(run[i])); partial.1 += f(Double(run[i + 1]))
            partial.2 += f(Double(run[i + 2])); partial.3 += f(Double(run[i + 3]))
            partial.4 += f(Double(run[i + 4])); partial.5 += f(Double(run[i + 5]))
            partial.6 += f(Double(run[i + 6])); partial.7 += f(Double(run[i + 7]))
            i += 8
        }
        var total = ((partial.0 + partial.1) + (partial.2 + partial.3)) + ((partial.4 + partial.5) + (partial.6 + partial.7))
        while i < n {
            total += f(Double(run[i]))
            i += 1
        }
        return total
    }

    /// Per-channel mean and 1/√(σ² + ε), accumulated in Double for accuracy.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func channelStatistics<S: TensorScalar>(_ p: UnsafeMutablePointer<S>, _ shape: [Int], _ epsilon: Double)
        -> (mean: [Double], inverseStd: [Double]) {
        let (batch, channels, spatial) = channelLayout(shape)
        let count = Double(batch * spatial)
        var mean = [Double](repeating: 0, count: channels), inverseStd = mean
        if S.self == Float.self {
            let x = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
            for c in 0..<channels {
                let sums = FloatRuns.channelSums(x, nil, batch: batch, channels: channels, spatial: spatial, channel: c)
                mean[c] = sums.mean
                inverseStd[c] = 1 / (sums.variance + epsilon).squareRoot()
            }
            return (mean, inverseStd)
        }
        for c in 0..<channels {
            var sum = 0.0
            for b in 0..<batch { sum += runSum(p + (b * channels + c) * spatial, spatial) { $0 } }
            let mu = sum / count
            var squares = 0.0
            for b in 0..<batch { squares += runSum(p + (b * channels + c) * spatial, spatial) { ($0 - mu) * ($0 - mu) } }
            mean[c] = mu
            inverseStd[c] = 1 / (squares / count + epsilon).squareRoot()
        }
        return (mean, inverseStd)
    }

    private static func batchNorm<S: TensorScalar>(_ x: Tensor, _ scale: Tensor, _ offset: Tensor, _ epsilon: Double,
                                                   _: S.Type) -> Tensor {
        let (batch, channels, spatial) = channelLayout(x.shape)
        let p = x.buffer.pointer(S.self)
        let (mean, inverseStd) = channelStatistics(p, x.shape, epsilon)
        let out = Buffer(dtype: x.dtype, count: x.scalarCount)
        let d = out.pointer(S.self), gamma = scale.buffer.pointer(S.self), beta = offset.buffer.pointer(S.self)
        for c in 0..<channels {
            let a = S(Double(gamma[c]) * inverseStd[c])
            let b = beta[c] - a * S(mean[c])
            for n in 0..<batch {
                let base = (n * channels + c) * spatial
                let source = p + base, destination = d + base
                for i in 0..<spatial { destination[i] = a * source[i] + b }
            }
        }
        return Tensor(buffer: out, shape: x.shape)
    }

    /// (dx, dγ, dβ) of batch normalization for the output cotangent g.
    static func batchNormBackward(_ g: Tensor, _ x: Tensor, scale: Tensor, epsilon: Double) -> (Tensor, Tensor, Tensor) {
        switch x.dtype {
        case .float32: batchNormBackward(g, x, scale, epsilon, Float.self)
        case .float64: batchNormBackward(g, x, scale, epsilon, Double.self)
        }
    }

    private static func batchNormBackward<S: TensorScalar>(_ g: Tensor, _ x: Tensor, _ scale: Tensor, _ epsilon: Double,
                                                           _: S.Type) -> (Tensor, Tensor, Tensor) {
        let (batch, channels, spatial) = channelLayout(x.shape)
        let px = x.buffer.pointer(S.self), pg = g.buffer.pointer(S.self), gamma = scale.buffer.pointer(S.self)
        // Float reads x and g once for the statistics and the sums together (FloatRuns.channelSums).
        var (mean, inverseStd) = S.self == Float.self
            ? ([Double](repeating: 0, count: channels), [Double](repeating: 0, count: channels))
            : channelStatistics(px, x.shape, epsilon)
        let dx = Buffer(dtype: x.dtype, count: x.scalarCount)
        let dScale = Buffer(dtype: x.dtype, count: channels), dOffset = Buffer(dtype: x.dtype, count: channels)
        let pdx = dx.pointer(S.self), pds = dScale.pointer(S.self), pdo = dOffset.pointer(S.self)
        let count = Double(batch * spatial)
        for c in 0..<channels {
            // Σ g and Σ g x̂ = σ⁻¹ (Σ g x - μ Σ g).
            var sumG = 0.0, sumGX = 0.0
            if S.self == Float.self {
                let sums = FloatRuns.channelSums(UnsafeMutableRawPointer(px).assumingMemoryBound(to: Float.self),
                                                 UnsafeMutableRawPointer(pg).assumingMemoryBound(to: Float.self),
                                                 batch: batch, channels: channels, spatial: spatial, channel: c)
                (mean[c], inverseStd[c]) = (sums.mean, 1 / (sums.variance + epsilon).squareRoot())
                sumG = sums.g
                sumGX = sums.gCentered + mean[c] * sumG  // so that the line below gives σ⁻¹ Σ g (x - μ)
            } else {
                for n in 0..<batch {
                    let base = (n * channels + c) * spatial
                    sumG += runSum(pg + base, spatial) { $0 }
                    sumGX += dot(pg + base, px + base, spatial)
                }
            }
            let sumGXHat = (sumGX - mean[c] * sumG) * inverseStd[c]
            pdo[c] = S(sumG)
            pds[c] = S(sumGXHat)
            // dx = γ σ⁻¹ (g - Σg/m - x̂ Σ(g x̂)/m), written as dx = k g + k₁ x + k₀.
            let k = Double(gamma[c]) * inverseStd[c]
            let k1 = -k * inverseStd[c] * sumGXHat / count
            let k0 = -k * sumG / count - k1 * mean[c]
            let (a, b, e) = (S(k), S(k1), S(k0))
            for n in 0..<batch {
                let base = (n * channels + c) * spatial
                let gRun = pg + base, xRun = px + base, destination = pdx + base
                for i in 0..<spatial { destination[i] = a * gRun[i] + b * xRun[i] + e }
            }
        }
        return (Tensor(buffer: dx, shape: x.shape), Tensor(buffer: dScale, shape: [channels]),
                Tensor(buffer: dOffset, shape: [channels]))
    }

    /// Σ a[i] b[i] in Double with eight partial sums.
    @inline(__always)
    private static func dot<S: TensorScalar>(_ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ n: Int) -> Double {
        var partial = (0.0, 0.0, 0.0, 0.0)
        var i = 0
        while i + 4 <= n {
            partial.0 += Double(a[i]) * Double(b[i]); partial.1 += Double(a[i + 1]) * Double(b[i + 1])
            partial.2 += Double(a[i + 2]) * Double(b[i + 2]); partial.3 += Double(a[i + 3]) * Double(b[i + 3])
            i += 4
        }
        var total = (partial.0 + partial.1) + (partial.2 + partial.3)
        while i < n {
            total += Double(a[i]) * Double(b[i])
            i += 1
        }
        return total
    }
}

/// Sums over Float runs in SIMD lanes: each lane adds at most n/8 values of a run in Float,
/// and the runs are then added lane by lane in Double.
enum FloatRuns {
    /// Eight lanes: without AVX code generation wider vectors spill registers in the four-sum loop.
    typealias Lanes = SIMD8<Float>
    typealias DoubleLanes = SIMD8<Double>

    @inline(__always) private static func load(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> Lanes {
        UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
    }

    /// Per-lane running sums in Double of Σ (x - k), Σ (x - k)², Σ g and Σ g (x - k).
    struct ShiftedSums {
        var sum = DoubleLanes(), squares = DoubleLanes(), g = DoubleLanes(), gx = DoubleLanes()
    }

    /// Adds a run of n values (and cotangents g) into `sums`: each lane adds at most n/8 values
    /// in Float, then the lanes join the Double sums as a vector (no per-run horizontal sum).
    @inline(__always)
    static func accumulate(_ x: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>?, _ n: Int, shift: Float,
                           into sums: inout ShiftedSums) {
        let k = Lanes(repeating: shift)
        var sum = Lanes(), squares = sum, sumG = sum, sumGX = sum
        var i = 0
        if let g {
            while i + Lanes.scalarCount <= n {
                let d = load(x, i) - k, gv = load(g, i)
                sum += d; squares += d * d; sumG += gv; sumGX += gv * d
                i += Lanes.scalarCount
            }
            sums.g += DoubleLanes(sumG)
            sums.gx += DoubleLanes(sumGX)
        } else {
            while i + Lanes.scalarCount <= n {
                let d = load(x, i) - k
                sum += d; squares += d * d
                i += Lanes.scalarCount
            }
        }
        sums.sum += DoubleLanes(sum)
        sums.squares += DoubleLanes(squares)
        while i < n {
            let d = Double(x[i] - shift)
            sums.sum[0] += d; sums.squares[0] += d * d
            if let g { sums.g[0] += Double(g[i]); sums.gx[0] += Double(g[i]) * d }
            i += 1
        }
    }

    /// One pass over channel `channel` of `[batch, channels, spatial]` values (and cotangents g):
    /// the mean μ, the biased variance σ², Σ g and Σ g (x - μ).
    ///
    /// Sums are taken about k = the channel's first value, which keeps them small:
    ///   μ = k + d with d = Σ (x - k) / m,   σ² = Σ (x - k)² / m - d²,   Σ g (x - μ) = Σ g (x - k) - d Σ g.
    static func channelSums(_ x: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>?, batch: Int, channels: Int,
                            spatial: Int, channel c: Int) -> (mean: Double, variance: Double, g: Double, gCentered: Double) {
        let shift = x[c * spatial]
        var sums = ShiftedSums()
        for b in 0..<batch {
            let base = (b * channels + c) * spatial
            accumulate(x + base, g.map { $0 + base }, spatial, shift: shift, into: &sums)
        }
        let (sum, squares, sumG, sumGX) = (sums.sum.sum(), sums.squares.sum(), sums.g.sum(), sums.gx.sum())
        let count = Double(batch * spatial)
        let d = sum / count
        return (Double(shift) + d, Swift.max(0, squares / count - d * d), sumG, sumGX - d * sumG)
    }
}
