/// The geometry of a 2-D convolution window over `[batch, channels, height, width]` images.
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
    /// Input channels, height and width.
    public let channels: Int, height: Int, width: Int
    /// Kernel height and width.
    public let kernelHeight: Int, kernelWidth: Int
    /// Step between windows.
    public let stride: Int
    /// Zeros added on each side.
    public let padding: Int

    /// Output height: floor((H + 2p - kh) / s) + 1.
    public var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    /// Output width: floor((W + 2p - kw) / s) + 1.
    public var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Rows of the column matrix: C * kh * kw.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }

    /// A geometry; sizes must leave at least one output position.
    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0) {
        (self.channels, self.height, self.width) = (channels, height, width)
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
        precondition(stride > 0 && padding >= 0 && outputHeight > 0 && outputWidth > 0,
                     "conv2d: a \(kernelHeight)x\(kernelWidth) kernel with stride \(stride) and padding \(padding) does not fit a \(height)x\(width) image")
    }

    /// A compact description used in diagrams.
    public var description: String { "\(kernelHeight)x\(kernelWidth)/s\(stride)/p\(padding)" }
}

extension Kernels {
    /// Unfolds image patches: `[N, C, H, W]` -> `[N, C*kh*kw, Ho*Wo]` (zeros outside the image).
    static func im2col(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == g.channels && x.shape[2] == g.height && x.shape[3] == g.width,
                     "im2col: expected [N, \(g.channels), \(g.height), \(g.width)], got \(x.shape)")
        switch x.dtype {
        case .float32: return unfold(x, g, Float.self)
        case .float64: return unfold(x, g, Double.self)
        }
    }

    /// Folds columns back into images, adding overlapping patches: the adjoint of `im2col`.
    static func col2im(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
        let positions = g.outputHeight * g.outputWidth
        precondition(cols.rank == 3 && cols.shape[1] == g.patchSize && cols.shape[2] == positions,
                     "col2im: expected [N, \(g.patchSize), \(positions)], got \(cols.shape)")
        switch cols.dtype {
        case .float32: return fold(cols, g, Float.self)
        case .float64: return fold(cols, g, Double.self)
        }
    }

    /// Visits every (column-row, output-position) pair with its image offset, or -1 when it falls in the padding.
    @inline(__always)
    private static func forEachPatchElement(_ g: ConvGeometry, _ body: (_ column: Int, _ image: Int) -> Void) {
        let (oh, ow) = (g.outputHeight, g.outputWidth)
        let positions = oh * ow
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let row = (c * g.kernelHeight + ki) * g.kernelWidth + kj
                    for oi in 0..<oh {
                        let i = oi * g.stride + ki - g.padding
                        let rowInside = i >= 0 && i < g.height
                        for oj in 0..<ow {
                            let j = oj * g.stride + kj - g.padding
                            let inside = rowInside && j >= 0 && j < g.width
                            body(row * positions + oi * ow + oj, inside ? (c * g.height + i) * g.width + j : -1)
                        }
                    }
                }
            }
        }
    }

    private static func unfold<S: TensorScalar>(_ x: Tensor, _ g: ConvGeometry, _: S.Type) -> Tensor {
        let n = x.shape[0]
        let positions = g.outputHeight * g.outputWidth
        let out = Buffer(dtype: x.dtype, count: n * g.patchSize * positions)
        let src = x.buffer.pointer(S.self), dst = out.pointer(S.self)
        let imageSize = g.channels * g.height * g.width, colSize = g.patchSize * positions
        for b in 0..<n {
            let s = src + b * imageSize, d = dst + b * colSize
            forEachPatchElement(g) { column, image in d[column] = image >= 0 ? s[image] : 0 }
        }
        return Tensor(buffer: out, shape: [n, g.patchSize, positions])
    }

    private static func fold<S: TensorScalar>(_ cols: Tensor, _ g: ConvGeometry, _: S.Type) -> Tensor {
        let n = cols.shape[0]
        let imageSize = g.channels * g.height * g.width, colSize = cols.shape[1] * cols.shape[2]
        let out = Buffer.zeros(dtype: cols.dtype, count: n * imageSize)
        let src = cols.buffer.pointer(S.self), dst = out.pointer(S.self)
        for b in 0..<n {
            let s = src + b * colSize, d = dst + b * imageSize
            forEachPatchElement(g) { column, image in if image >= 0 { d[image] += s[column] } }
        }
        return Tensor(buffer: out, shape: [n, g.channels, g.height, g.width])
    }
}
