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
        check(stride > 0 && padding >= 0 && outputHeight > 0 && outputWidth > 0,
              "conv2d: a \(kernelHeight)x\(kernelWidth) kernel with stride \(stride) and padding \(padding) does not fit a \(height)x\(width) image")
    }

    /// A compact description used in diagrams.
    public var description: String { "\(kernelHeight)x\(kernelWidth)/s\(stride)/p\(padding)" }
}

extension Kernels {
    /// Unfolds image patches with the batch folded into the columns:
    /// `[N, C, H, W]` -> `[C*kh*kw, N*Ho*Wo]`, zeros where a window hangs over the padding.
    ///
    /// Row (c, ki, kj), column (n, oi, oj) holds x[n, c, oi*s + ki - p, oj*s + kj - p]. With this
    /// layout a convolution of the whole batch is one matrix product W[O, C*kh*kw] · cols.
    static func im2col(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
        check(x.rank == 4 && x.shape[1] == g.channels && x.shape[2] == g.height && x.shape[3] == g.width,
              "im2col: expected [N, \(g.channels), \(g.height), \(g.width)], got \(x.shape)")
        let n = x.shape[0]
        let out = Buffer(dtype: x.dtype, count: g.patchSize * n * g.outputHeight * g.outputWidth)
        switch x.dtype {
        case .float32: patches(g, batch: n, image: x.buffer.pointer(Float.self), columns: out.pointer(Float.self), fold: false)
        case .float64: patches(g, batch: n, image: x.buffer.pointer(Double.self), columns: out.pointer(Double.self), fold: false)
        }
        return Tensor(buffer: out, shape: [g.patchSize, n * g.outputHeight * g.outputWidth])
    }

    /// Folds `[C*kh*kw, N*Ho*Wo]` columns back into `[N, C, H, W]` images, adding overlapping
    /// patches: the adjoint of `im2col`.
    static func col2im(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
        let positions = g.outputHeight * g.outputWidth
        check(cols.rank == 2 && cols.shape[0] == g.patchSize && cols.shape[1] % positions == 0,
              "col2im: expected [\(g.patchSize), N*\(positions)], got \(cols.shape)")
        let n = cols.shape[1] / positions
        let out = Buffer.zeros(dtype: cols.dtype, count: n * g.channels * g.height * g.width)
        switch cols.dtype {
        case .float32: patches(g, batch: n, image: out.pointer(Float.self), columns: cols.buffer.pointer(Float.self), fold: true)
        case .float64: patches(g, batch: n, image: out.pointer(Double.self), columns: cols.buffer.pointer(Double.self), fold: true)
        }
        return Tensor(buffer: out, shape: [n, g.channels, g.height, g.width])
    }

    /// Copies a short run eight elements at a time, without a library call.
    @inline(__always)
    private static func copyRun<S: TensorScalar>(from source: UnsafeMutablePointer<S>, to destination: UnsafeMutablePointer<S>,
                                                 count: Int) {
        var k = 0
        if S.self == Float.self {
            let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
            while k + 8 <= count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self),
                              toByteOffset: k * 4, as: SIMD8<Float>.self)
                k += 8
            }
        }
        while k < count { destination[k] = source[k]; k += 1 }
    }

    /// Adds a short run into another eight elements at a time.
    @inline(__always)
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addRun<S: TensorScalar>(from source: UnsafeMutablePointer<S>, to destination: UnsafeMutablePointer<S>,
                                                count: Int) {
        var k = 0
        if S.self == Float.self {
            let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
            while k + 8 <= count {
                let sum = to.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                    + from.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                to.storeBytes(of: sum, toByteOffset: k * 4, as: SIMD8<Float>.self)
                k += 8
            }
        }
        while k < count { destination[k] += source[k]; k += 1 }
    }

    /// Copies between images and columns: image -> columns (zeros in the padding) when
    /// unfolding, columns -> image (adding) when folding. Each (row, image, output row) is a
    /// run of output columns whose source columns are `stride` apart; the runs that fall in
    /// the padding are cut off up front, so the inner loop has no bounds checks.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func patches<S: TensorScalar>(_ g: ConvGeometry, batch: Int, image: UnsafeMutablePointer<S>,
                                                 columns: UnsafeMutablePointer<S>, fold: Bool) {
        let (oh, ow, s, p) = (g.outputHeight, g.outputWidth, g.stride, g.padding)
        let positions = oh * ow
        let rowLength = batch * positions
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let row = (c * g.kernelHeight + ki) * g.kernelWidth + kj
                    // Output columns oj with 0 <= oj*s + kj - p < W.
                    let first = Swift.max(0, (p - kj + s - 1) / s)
                    let last = Swift.min(ow, (g.width + p - kj + s - 1) / s)
                    for b in 0..<batch {
                        let plane = image + (b * g.channels + c) * g.height * g.width
                        let base = columns + row * rowLength + b * positions
                        for oi in 0..<oh {
                            let i = oi * s + ki - p
                            let out = base + oi * ow
                            guard i >= 0 && i < g.height && first < last else {
                                if !fold { for oj in 0..<ow { out[oj] = 0 } }
                                continue
                            }
                            let source = plane + i * g.width + (first * s + kj - p)
                            if fold {
                                if s == 1 {
                                    addRun(from: out + first, to: source, count: last - first)
                                } else {
                                    for oj in first..<last { source[(oj - first) * s] += out[oj] }
                                }
                            } else {
                                // Runs are short (a row of the output), so plain loops beat memset/memmove calls.
                                for oj in 0..<first { out[oj] = 0 }
                                if s == 1 {
                                    copyRun(from: source, to: out + first, count: last - first)
                                } else {
                                    for oj in first..<last { out[oj] = source[(oj - first) * s] }
                                }
                                for oj in last..<ow { out[oj] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }
}
