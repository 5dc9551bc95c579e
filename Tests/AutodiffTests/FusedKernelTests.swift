import Testing
import Autodiff

/// A 3x3-or-larger convolution written as a sum of shifted matrix products, from primitives only:
/// y[n, o] = Σ_{ki, kj} W[o, :, ki, kj] · xp[n, :, ki + i, kj + j] over the zero-padded input xp.
/// It shares no code with the fused kernels, so it is the reference they are checked against.
func shiftedSumConvolution(_ x: Tensor, filters: Tensor, bias: Tensor?, padding: Int) -> Tensor {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, kh, kw) = (filters.shape[0], filters.shape[2], filters.shape[3])
    let padded = x.padded(lower: [0, 0, padding, padding], toShape: [batch, channels, height + 2 * padding, width + 2 * padding])
    let (oh, ow) = (height + 2 * padding - kh + 1, width + 2 * padding - kw + 1)
    var total: Tensor? = nil
    for ki in 0..<kh {
        for kj in 0..<kw {
            let window = padded.sliced(lower: [0, 0, ki, kj], upper: [batch, channels, ki + oh, kj + ow])
            let columns = window.permuted([1, 0, 2, 3]).reshaped([channels, batch * oh * ow])
            let tap = filters.sliced(lower: [0, 0, ki, kj], upper: [outChannels, channels, ki + 1, kj + 1])
            let term = matmul(tap.reshaped([outChannels, channels]), columns)
            total = total.map { $0 + term } ?? term
        }
    }
    var y = total!
    if let bias { y = y + bias.reshaped([outChannels, 1]) }
    return y.reshaped([outChannels, batch, oh, ow]).permuted([1, 0, 2, 3])
}

/// Batch normalization with batch statistics written out from primitives (two-pass mean and variance).
func referenceBatchNorm(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double = 1e-5) -> Tensor {
    let (mean, variance) = batchStatistics(x)
    return batchNorm(x, mean: mean, variance: variance, scale: scale, offset: offset, epsilon: epsilon)
}

/// The largest relative difference between two lists of tensors of the same shapes.
func largestDifference(_ a: [Tensor], _ b: [Tensor]) -> Double {
    zip(a, b).flatMap { x, y in
        #expect(x.shape == y.shape)
        return zip(x.scalars, y.scalars).map(relativeError)
    }.max() ?? 0
}

/// op(inputs), then the gradients of Σ w ⊙ sin(op(inputs)) with respect to every input, for
/// fixed random weights w in the inputs' dtype (so the cotangent reaching op varies).
func scalarizedValueAndGradients(_ op: @escaping ([Tensor]) -> Tensor, _ inputs: [Tensor]) -> [Tensor] {
    let f = { (xs: [Tensor]) -> Tensor in
        let y = op(xs)
        var generator = SeededGenerator(seed: 3)
        return (Tensor.randomNormal(y.shape, dtype: y.dtype, generator: &generator) * sin(y)).sum()
    }
    return [op(inputs)] + grad(f)(inputs)
}

@Suite("Fused kernels against references built from primitives")
struct FusedKernelTests {
    /// Random inputs of the given shapes and dtype.
    func inputs(_ shapes: [[Int]], dtype: DType, seed: UInt64 = 5) -> [Tensor] {
        var generator = SeededGenerator(seed: seed)
        return shapes.map { Tensor.randomUniform($0, low: -1.5, high: 1.5, dtype: dtype, generator: &generator) }
    }

    @Test("channels-last convolution: value and gradients match the shifted-sum reference",
          arguments: [([2, 8, 5, 5], [3, 8, 3, 3], 1), ([3, 16, 4, 6], [5, 16, 3, 3], 0), ([1, 9, 3, 3], [2, 9, 3, 3], 2),
                      // Winograd tiles (3x3, padding 1, sides of at least 6, odd ones over a zero
                      // border), and a count of output channels that keeps the channels-last path.
                      ([2, 8, 8, 8], [4, 8, 3, 3], 1), ([1, 16, 14, 10], [8, 16, 3, 3], 1), ([2, 8, 7, 7], [4, 8, 3, 3], 1),
                      ([1, 8, 6, 9], [8, 8, 3, 3], 1), ([1, 8, 8, 8], [5, 8, 3, 3], 1)])
    func channelsLastConvolution(xShape: [Int], filterShape: [Int], padding: Int) {
        for dtype in DType.allCases {
            let xs = inputs([xShape, filterShape, [filterShape[0]]], dtype: dtype)
            let fused = scalarizedValueAndGradients({ conv2d($0[0], filters: $0[1], bias: $0[2], padding: padding) }, xs)
            let reference = scalarizedValueAndGradients({ shiftedSumConvolution($0[0], filters: $0[1], bias: $0[2], padding: padding) }, xs)
            // F(4x4, 3x3) Winograd tiles (sides of 7 and more) add and scale by up to 8 on the
            // way in and out, so in Float they round a few times more than a direct sum.
            let tolerance = dtype == .float64 ? 1e-12 : 5e-4
            #expect(largestDifference(fused, reference) < tolerance, "\(dtype) \(xShape) * \(filterShape) padding \(padding)")
        }
    }

    @Test("channels-last convolution of large images (column matrices bigger than the caches)")
    func channelsLastConvolutionOfLargeImages() {
        let xs = inputs([[3, 8, 64, 64], [4, 8, 3, 3]], dtype: .float32)
        let fused = scalarizedValueAndGradients({ conv2d($0[0], filters: $0[1], padding: 1) }, xs)
        let reference = scalarizedValueAndGradients({ shiftedSumConvolution($0[0], filters: $0[1], bias: nil, padding: 1) }, xs)
        #expect(largestDifference(fused, reference) < 1e-3)
    }

    @Test("channels-last and Winograd convolutions: first and second order against finite differences",
          arguments: [[1, 8, 3, 4], [1, 8, 8, 8], [2, 8, 7, 6]])
    func channelsLastConvolutionFiniteDifferences(xShape: [Int]) throws {
        let xs = inputs([xShape, [4, 8, 3, 3], [4]], dtype: .float64)
        try checkGradients(scalarized { conv2d($0[0], filters: $0[1], bias: $0[2], padding: 1) }, at: xs, order: 2)
    }

    @Test("2x2 max-pool: the gradient reaches the first maximum of each window, ties included",
          arguments: [[2, 3, 6, 20], [1, 2, 5, 21], [1, 1, 4, 8]])
    func maxPoolWinners(shape: [Int]) {
        for dtype in DType.allCases {
            // Values on a coarse grid, so that many windows have ties.
            let x = Tensor(shape: shape, scalars: inputs([shape], dtype: .float64)[0].scalars.map { ($0 * 2).rounded() },
                           dtype: dtype)
            let weights = inputs([[shape[0], shape[1], shape[2] / 2, shape[3] / 2]], dtype: dtype, seed: 9)[0]
            let gradient = grad { (x: Tensor) in (maxPool2d(x) * weights).sum() }(x)
            // The reference: scan each window in reading order and keep the first strict maximum.
            var expected = [Double](repeating: 0, count: x.scalarCount)
            let (h, w) = (shape[2], shape[3])
            for plane in 0..<(shape[0] * shape[1]) {
                for i in 0..<(h / 2) {
                    for j in 0..<(w / 2) {
                        var best = plane * h * w + 2 * i * w + 2 * j
                        for (di, dj) in [(0, 1), (1, 0), (1, 1)] {
                            let candidate = plane * h * w + (2 * i + di) * w + 2 * j + dj
                            if x.scalars[candidate] > x.scalars[best] { best = candidate }
                        }
                        expected[best] = weights.scalars[(plane * (h / 2) + i) * (w / 2) + j]
                    }
                }
            }
            #expect(gradient.scalars == expected, "\(dtype) \(shape)")
        }
    }

    @Test("fused batch norm: value and gradients match the two-pass reference",
          arguments: [[6, 4, 5, 5], [3, 2, 17], [5, 3]])
    func batchNormMatchesReference(shape: [Int]) {
        for dtype in DType.allCases {
            var xs = inputs([shape, [shape[1]], [shape[1]]], dtype: dtype)
            xs[0] = xs[0] * 3 + 7  // values far from zero: the one-pass sums must not lose the variance
            let fused = scalarizedValueAndGradients({ batchNorm($0[0], scale: $0[1], offset: $0[2]) }, xs)
            let reference = scalarizedValueAndGradients({ referenceBatchNorm($0[0], scale: $0[1], offset: $0[2]) }, xs)
            let tolerance = dtype == .float64 ? 1e-10 : 1e-4
            #expect(largestDifference(fused, reference) < tolerance, "\(dtype) \(shape)")
        }
    }

    @Test("fused batch norm: first and second order against finite differences, offset data")
    func batchNormFiniteDifferences() throws {
        var xs = inputs([[4, 3, 2, 3], [3], [3]], dtype: .float64)
        xs[0] = xs[0] + 5
        try checkGradients(scalarized { batchNorm($0[0], scale: $0[1], offset: $0[2]) }, at: xs, order: 2)
    }

    @Test("fused batch norm + max-pool: the same values and gradients as the composition",
          arguments: [([2, 3, 6, 20], 2), ([3, 2, 7, 7], 2), ([2, 2, 8, 7], 3)])
    func batchNormMaxPoolMatchesComposition(shape: [Int], size: Int) {
        for dtype in DType.allCases {
            var xs = inputs([shape, [shape[1]], [shape[1]]], dtype: dtype)
            xs[0] = xs[0] * 3 + 7
            // A negative scale turns the normalized windows' minima into their winners.
            xs[1] = xs[1] - 0.5
            let fused = batchNormMaxPool(xs[0], scale: xs[1], offset: xs[2], size: size)
            let composed = maxPool2d(batchNorm(xs[0], scale: xs[1], offset: xs[2]), size: size)
            #expect(fused.scalars == composed.scalars, "\(dtype) \(shape): the same arithmetic gives the same values")
            let fusedGradients = scalarizedValueAndGradients({ batchNormMaxPool($0[0], scale: $0[1], offset: $0[2], size: size) }, xs)
            let composedGradients = scalarizedValueAndGradients({ maxPool2d(batchNorm($0[0], scale: $0[1], offset: $0[2]), size: size) }, xs)
            let tolerance = dtype == .float64 ? 1e-10 : 1e-4
            #expect(largestDifference(fusedGradients, composedGradients) < tolerance, "\(dtype) \(shape)")
        }
    }

    @Test("fused batch norm + max-pool: first and second order against finite differences")
    func batchNormMaxPoolFiniteDifferences() throws {
        var xs = inputs([[3, 2, 4, 6], [2], [2]], dtype: .float64)
        xs[0] = xs[0] + 5
        try checkGradients(scalarized { batchNormMaxPool($0[0], scale: $0[1], offset: $0[2]) }, at: xs, order: 2)
    }

    @Test("max-pool routing writes every input element: zeros off the winners, cropped rows and columns included")
    func maxPoolRoutingCoversCroppedEdges() {
        for dtype in DType.allCases {
            let x = inputs([[2, 3, 7, 9]], dtype: dtype)[0]
            // A cotangent of ones: the gradient is 1 at each of the 2·3·3·4 winners and 0 elsewhere.
            let gradient = grad { (x: Tensor) in maxPool2d(x).sum() }(x)
            #expect(gradient.scalars.filter { $0 == 1 }.count == 2 * 3 * 3 * 4)
            #expect(gradient.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        }
    }
}
