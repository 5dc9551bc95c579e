// Neural-network functions composed from primitives, so each is differentiable to any order.

/// log Σ exp(x) over `axis`, stabilized by subtracting the (constant) maximum.
public func logSumExp(_ x: Tensor, axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    let shift = x.max(axis: axis, keepingDimensions: true).detached()
    let result = log(exp(x - shift).sum(axis: axis, keepingDimensions: true)) + shift
    return keepingDimensions ? result : result.reshaped(result.shape.enumerated()
        .filter { $0.offset != x.normalized([axis], "logSumExp")[0] }.map(\.element))
}

/// log softmax over `axis`: x - logΣexp(x).
public func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    x - logSumExp(x, axis: axis, keepingDimensions: true)
}

/// softmax over `axis`: e^x / Σ e^x.
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor { exp(logSoftmax(x, axis: axis)) }

/// One-hot rows: `[labels.count, classes]` with 1 at each label (a constant).
public func oneHot(_ labels: [Int], classes: Int, dtype: DType = .float64) -> Tensor {
    var values = [Double](repeating: 0, count: labels.count * classes)
    for (row, label) in labels.enumerated() {
        check(label >= 0 && label < classes, "oneHot: label \(label) out of range 0..<\(classes)")
        values[row * classes + label] = 1
    }
    return Tensor(shape: [labels.count, classes], scalars: values, dtype: dtype)
}

/// Mean cross-entropy of `[n, classes]` logits against integer labels: -mean log softmax(logits)[label].
public func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    check(logits.rank == 2 && logits.shape[0] == labels.count,
          "crossEntropy: logits of shape \(logits.shape) for \(labels.count) labels (expected [\(labels.count), classes])")
    let picked = logSoftmax(logits, axis: 1) * oneHot(labels, classes: logits.shape[1], dtype: logits.dtype)
    return -picked.sum() / Double(labels.count)
}

/// Mean squared error: mean((prediction - target)²).
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    check(prediction.shape == target.shape,
          "meanSquaredError: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
    return (prediction - target).squared.mean()
}

/// Mean absolute error: mean(|prediction - target|).
public func meanAbsoluteError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    check(prediction.shape == target.shape,
          "meanAbsoluteError: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
    return abs(prediction - target).mean()
}

/// The index of the largest entry of each row of a `[n, classes]` tensor (first one on ties).
public func argmax(_ x: Tensor) -> [Int] {
    check(x.rank == 2, "argmax: expected [n, classes], got \(x.shape)")
    let (rows, columns) = (x.shape[0], x.shape[1])
    return (0..<rows).map { r in
        var best = 0
        for c in 1..<Swift.max(columns, 1) where x.buffer.double(at: r * columns + c) > x.buffer.double(at: r * columns + best) {
            best = c
        }
        return best
    }
}

/// The fraction of rows whose largest logit is at the label.
public func accuracy(logits: Tensor, labels: [Int]) -> Double {
    let predicted = argmax(logits)
    check(predicted.count == labels.count, "accuracy: \(predicted.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// 2-D convolution (cross-correlation) of `[N, C, H, W]` images with `[O, C, kh, kw]` filters,
/// by im2col and a matrix product: y[n] = W · cols(x[n]); plus an optional `[O]` bias.
public func conv2d(_ x: Tensor, filters: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    check(x.rank == 4 && filters.rank == 4 && x.shape[1] == filters.shape[1],
          "conv2d: input \(x.shape) and filters \(filters.shape) do not match ([N, C, H, W] and [O, C, kh, kw])")
    let geometry = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                                kernelHeight: filters.shape[2], kernelWidth: filters.shape[3],
                                stride: stride, padding: padding)
    if let bias {
        check(bias.shape == [filters.shape[0]], "conv2d: bias of shape \(bias.shape) for \(filters.shape[0]) filters")
    }
    check(x.dtype == filters.dtype && (bias?.dtype ?? x.dtype) == x.dtype,
          "conv2d: input, filters and bias must share a dtype")
    return .apply(.conv2d(geometry), [x, filters] + (bias.map { [$0] } ?? []))
}

/// The VJP of the fused `conv2d`, written with primitives so that a recorded backward pass can
/// be differentiated again. With cols = im2col(x), W as [O, C·kh·kw] and G the cotangent g as
/// [O, N·Ho·Wo] (g's first two axes swapped, then flattened), convolution is y = W · cols + b and
///
///     dW = G · colsᵀ,   dx = col2im(Wᵀ · G),   db = Σ over the columns of G.
///
/// These are exactly the operations reverse mode would run through that composition, in the
/// same order and with the same values, without the forward product W · cols, which a
/// backward pass never reads. Only the `needed` cotangents are computed.
func conv2dVJP(_ g: Tensor, _ x: Tensor, filters: Tensor, bias: Tensor?, geometry: ConvGeometry, needed: [Bool]) -> [Tensor?] {
    let (batch, outChannels) = (x.shape[0], filters.shape[0])
    let columns = g.permuted([1, 0, 2, 3]).reshaped([outChannels, batch * geometry.outputHeight * geometry.outputWidth])
    let dx = needed[0] ? matmul(filters.reshaped([outChannels, geometry.patchSize]), columns, transposeA: true).col2im(geometry) : nil
    let dw = needed[1] ? matmul(columns, x.im2col(geometry), transposeB: true).reshaped(filters.shape) : nil
    guard bias != nil else { return [dx, dw] }
    return [dx, dw, needed[2] ? columns.sum(toShape: [outChannels, 1]).reshaped([outChannels]) : nil]
}

/// Max pooling over non-overlapping `size`x`size` windows of `[N, C, H, W]` (H and W cropped to multiples).
///
/// One pass finds each window's winner and its value. For those fixed winners pooling is the
/// linear map "pick the winners", whose adjoint routes each gradient back to its winner (and
/// the adjoint of that picks again), so pooling is differentiable to any order (ties go to the
/// first maximum in reading order).
public func maxPool2d(_ x: Tensor, size: Int = 2) -> Tensor {
    check(x.rank == 4 && size >= 1 && x.shape[2] >= size && x.shape[3] >= size,
          "maxPool2d: expected [N, C, H, W] with H, W >= \(size), got \(x.shape)")
    let (values, winners) = Kernels.maxPool(x, size: size)
    return .record(.pickWinners(winners), [x], value: values)
}

/// Batch normalization with the batch's own statistics followed by max-pooling, fused:
/// the values and gradients of `maxPool2d(batchNorm(x, scale:offset:epsilon:), size:)`.
///
/// The normalized tensor is never stored: each plane is normalized in cache and pooled at once.
/// The backward pass, whose cotangent reaches only the winners, takes its sums over the pooled
/// elements and writes dx in one pass; recorded for a higher order, it differentiates the
/// composition, so it has derivatives of every order.
public func batchNormMaxPool(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double = 1e-5, size: Int = 2) -> Tensor {
    check(x.rank == 4 && size >= 1 && x.shape[2] >= size && x.shape[3] >= size,
          "batchNormMaxPool: expected [N, C, H, W] with H, W >= \(size), got \(x.shape)")
    check(scale.shape == [x.shape[1]] && offset.shape == [x.shape[1]],
          "batchNormMaxPool: scale \(scale.shape) and offset \(offset.shape) must be [C] for input \(x.shape)")
    let (values, saved) = Kernels.batchNormMaxPool(x, scale: scale, offset: offset, epsilon: epsilon, size: size)
    return .record(.batchNormMaxPool(saved), [x, scale, offset], value: values)
}

/// Batch normalization of `[N, C, ...]` with given per-channel statistics:
/// y = γ (x - μ) / √(σ² + ε) + β, where μ, σ², γ, β have shape `[C]`.
public func batchNorm(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
                      epsilon: Double = 1e-5) -> Tensor {
    let c = x.shape[1]
    for (name, t) in [("mean", mean), ("variance", variance), ("scale", scale), ("offset", offset)] {
        check(t.shape == [c], "batchNorm: \(name) has shape \(t.shape), expected [\(c)] for input \(x.shape)")
    }
    var channelShape = [Int](repeating: 1, count: x.rank)
    channelShape[1] = c
    let inverseStd = 1 / sqrt(variance.reshaped(channelShape) + epsilon)
    return (x - mean.reshaped(channelShape)) * (inverseStd * scale.reshaped(channelShape)) + offset.reshaped(channelShape)
}

/// Per-channel mean and (biased) variance of `[N, C, ...]` over every axis but the channel one.
public func batchStatistics(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
    let axes = [0] + Array(2..<x.rank)
    return (x.mean(axes: axes), x.variance(axes: axes))
}

/// Batch normalization with the batch's own statistics (training mode; the reference MAML
/// behaviour): y = γ (x - μ_B) / √(σ²_B + ε) + β, one fused kernel each way.
public func batchNorm(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double = 1e-5) -> Tensor {
    check(x.rank >= 2 && scale.shape == [x.shape[1]] && offset.shape == [x.shape[1]],
          "batchNorm: scale \(scale.shape) and offset \(offset.shape) must be [C] for input \(x.shape)")
    return .apply(.batchNorm(epsilon: epsilon), [x, scale, offset])
}

/// The same function as `batchNorm(_:scale:offset:)` composed from primitives; its VJP
/// differentiates this, so batch norm has derivatives of every order.
func composedBatchNorm(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Double) -> Tensor {
    let (mean, variance) = batchStatistics(x)
    return batchNorm(x, mean: mean, variance: variance, scale: scale, offset: offset, epsilon: epsilon)
}
