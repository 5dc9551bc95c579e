import Testing
@testable import Autodiff

/// The F(4x4, 3x3) kernels against the F(2x2, 3x3) ones: the same convolution, its dx and its
/// dW through different transforms, so they agree up to rounding.
@Suite("Winograd F(4x4, 3x3) kernels against F(2x2, 3x3)")
struct WinogradF4Tests {
    @Test("the tile side is 4 where F(4x4) multiplies less, counting the tiles over the border",
          arguments: [(28, 4), (14, 4), (7, 4), (8, 4), (6, 2)])
    func tileSide(side: Int, expected: Int) {
        let g = ConvGeometry(channels: 64, height: side, width: side, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        #expect(Kernels.winogradTileSide(g) == expected)
    }

    /// Random values in [-1, 1] of `shape`.
    func random(_ shape: [Int], dtype: DType, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.randomUniform(shape, low: -1, high: 1, dtype: dtype, generator: &generator)
    }

    /// (y, dx, dW) of the convolution of x with w for the output cotangent gy, by F(2x2) and by F(4x4).
    func bothWays<S: TensorScalar>(_ x: Tensor, _ w: Tensor, _ gy: Tensor, _: S.Type) -> (f2: [[Double]], f4: [[Double]]) {
        let (batch, channels, h, wide, outChannels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[0])
        let g = ConvGeometry(channels: channels, height: h, width: wide, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let back = ConvGeometry(channels: outChannels, height: h, width: wide, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let (px, pw, pg) = (x.buffer.pointer(S.self), w.buffer.pointer(S.self), gy.buffer.pointer(S.self))
        func values(_ buffer: Buffer) -> [Double] { (0..<buffer.count).map { buffer.double(at: $0) } }
        func run(side: Int) -> [[Double]] {
            let y = Buffer(dtype: S.dtype, count: batch * outChannels * h * wide), dx = Buffer(dtype: S.dtype, count: x.scalarCount)
            if side == 4 {
                Kernels.winogradF4Images(px, batch: batch, g, filters: Kernels.winogradF4ForwardFilters(pw, outChannels: outChannels, channels: channels),
                                         outChannels: outChannels, bias: nil, into: y.pointer(S.self))
                let both = Kernels.winogradF4Backward(px, pg, filters: pw, batch: batch, g, outChannels: outChannels,
                                                      needed: (input: true, filters: true))
                // Each gradient alone is the same computation as both together, bit for bit.
                let dxAlone = Kernels.winogradF4Backward(px, pg, filters: pw, batch: batch, g, outChannels: outChannels,
                                                         needed: (input: true, filters: false))
                let dwAlone = Kernels.winogradF4Backward(px, pg, filters: pw, batch: batch, g, outChannels: outChannels,
                                                         needed: (input: false, filters: true))
                let neither = Kernels.winogradF4Backward(px, pg, filters: pw, batch: batch, g, outChannels: outChannels,
                                                         needed: (input: false, filters: false))
                #expect(dxAlone.dw == nil && dwAlone.dx == nil && neither.dx == nil && neither.dw == nil)
                #expect(values(dxAlone.dx!) == values(both.dx!) && values(dwAlone.dw!) == values(both.dw!))
                return [values(y), values(both.dx!), values(both.dw!)]
            }
            Kernels.winogradImages(px, batch: batch, g, filters: Kernels.winogradForwardFilters(pw, outChannels: outChannels, channels: channels),
                                   outChannels: outChannels, bias: nil, into: y.pointer(S.self))
            Kernels.winogradImages(pg, batch: batch, back, filters: Kernels.winogradBackwardFilters(pw, outChannels: outChannels, channels: channels),
                                   outChannels: channels, bias: nil, into: dx.pointer(S.self))
            return [values(y), values(dx), values(Kernels.winogradWeightGradient(px, pg, batch: batch, g, outChannels: outChannels))]
        }
        return (run(side: 2), run(side: 4))
    }

    @Test("y, dx and dW agree with F(2x2): the Omniglot 14x14 layer over two chunks of images, odd and uneven sides",
          arguments: [([10, 64, 14, 14], 64), ([3, 8, 7, 7], 12), ([2, 8, 9, 6], 4), ([1, 4, 5, 11], 8)])
    func matchesF2(shape: [Int], outChannels: Int) {
        for dtype in DType.allCases {
            let x = random(shape, dtype: dtype, seed: 1), w = random([outChannels, shape[1], 3, 3], dtype: dtype, seed: 2)
            let gy = random([shape[0], outChannels, shape[2], shape[3]], dtype: dtype, seed: 3)
            let (f2, f4) = dtype == .float32 ? bothWays(x, w, gy, Float.self) : bothWays(x, w, gy, Double.self)
            // Relative to the largest value of each result, the scale of its rounding errors.
            for (name, (a, b)) in zip(["y", "dx", "dW"], zip(f2, f4)) {
                let scale = a.map(Swift.abs).max() ?? 1
                let largest = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
                #expect(largest / scale < (dtype == .float64 ? 1e-13 : 1e-5), "\(dtype) \(shape) \(name): \(largest / scale)")
            }
        }
    }

    @Test("the cost of a convolution: the direct multiply-adds, and the point-wise products of the tiles actually used")
    func convolutionCost() {
        func geometry(_ channels: Int, _ side: Int) -> ConvGeometry {
            ConvGeometry(channels: channels, height: side, width: side, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        }
        // 14x14, 64 to 64 channels: F(4x4) over 4x4 = 16 tiles of 36 points.
        let middle = ConvolutionCost(geometry(64, 14), outChannels: 64)
        #expect(middle.direct == 196 * 64 * 576 && middle.performed == 16 * 36 * 64 * 64 && middle.winogradTileSide == 4)
        // 6x6: F(2x2) over 9 tiles of 16 points; one input channel or 3x3 images: column matrices.
        #expect(ConvolutionCost(geometry(64, 6), outChannels: 64).performed == 9 * 16 * 64 * 64)
        let first = ConvolutionCost(geometry(1, 28), outChannels: 64)
        #expect(first.direct == 784 * 64 * 9 && first.performed == first.direct && first.winogradTileSide == 0)
        #expect(ConvolutionCost(geometry(64, 3), outChannels: 64).winogradTileSide == 0)
    }
}
