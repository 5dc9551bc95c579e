/// Every operation the graph records. Everything else (softmax, losses, convolution,
/// pooling, batch norm...) is composed from these, so it is differentiable to any order.
///
/// The table in `rule` gives each case's forward kernel and its vector-Jacobian product
/// side by side. VJPs are written with `Tensor` operations, so a backward pass run while
/// recording is itself a graph that can be differentiated again.
public enum Primitive: Sendable, CustomStringConvertible {
    /// A leaf being differentiated (made by `variable()` or by `grad`).
    case variable
    /// Passes its input through; marks where an inner `grad` takes over a tracked input.
    case identity
    /// Element-wise arithmetic with broadcasting.
    case add, subtract, multiply, divide
    /// a + c·b for a constant c, with broadcasting: a gradient step θ − α∇ as one operation.
    case addScaled(Double)
    /// Element-wise functions of one tensor.
    case negate, exp, log, sin, cos, sqrt, tanh, sigmoid, relu, abs
    /// x^p for a constant exponent p.
    case power(Double)
    /// mask != 0 ? a : b (inputs: mask, a, b; the mask gets no gradient).
    case select
    /// The same elements with a new shape.
    case reshape([Int])
    /// Repeats along size-1 and new leading axes.
    case broadcast([Int])
    /// Sum down to a shape that broadcasts back to the input's.
    case reduceSum([Int])
    /// Maximum down to a shape of the same rank (size 1 on reduced axes).
    case reduceMax([Int])
    /// Result axis i is input axis p[i].
    case permute([Int])
    /// The box lower..<upper on every axis.
    case slice(lower: [Int], upper: [Int])
    /// Zeros of `shape` with the input written at `lower`.
    case pad(lower: [Int], shape: [Int])
    /// Picks slices at `indices` along `axis`.
    case gather(axis: Int, indices: [Int])
    /// Adds slices into zeros at `indices` along `axis` (the adjoint of `gather`).
    case scatterAdd(axis: Int, indices: [Int], size: Int)
    /// Joins inputs along `axis`.
    case concat(axis: Int)
    /// Picks elements of the flattened input at `indices` into a tensor of `shape` (max-pooling's routing).
    case take(indices: [Int], shape: [Int])
    /// Adds the input's elements into zeros of `shape` at flat `indices` (the adjoint of `take`).
    case put(indices: [Int], shape: [Int])
    /// Picks each max-pooling window's winner (the values of a max-pool, given its winners).
    case pickWinners(PoolWinners)
    /// Zeros of the pooled input's shape with the input at the winners (the adjoint of `pickWinners`).
    case routeToWinners(PoolWinners)
    /// Batched matrix product of op(A) and op(B).
    case matmul(transposeA: Bool, transposeB: Bool)
    /// Unfolds image patches into columns (for convolution).
    case im2col(ConvGeometry)
    /// Folds columns back into images (the adjoint of `im2col`).
    case col2im(ConvGeometry)
    /// Batch normalization with batch statistics (inputs x, γ, β), as one fused kernel.
    case batchNorm(epsilon: Double)
    /// 2-D convolution (inputs x, filters and optionally a bias), as one fused kernel.
    case conv2d(ConvGeometry)
    /// Batch normalization with batch statistics then max-pooling (inputs x, γ, β), as one fused
    /// kernel; it keeps its winners and statistics for the backward pass.
    case batchNormMaxPool(PooledBatchNorm)
    /// Output `output` of a checkpointed segment (inputs: the tensors the segment read from
    /// outside); its graph is rebuilt by running the segment again (see `checkpointed(_:)`).
    case checkpoint(CheckpointedSegment, output: Int)

    /// A short name for diagrams and messages.
    public var description: String {
        switch self {
        case .variable: "variable"
        case .identity: "identity"
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        case .addScaled(let c): "a + \(c.formatted)·b"
        case .negate: "negate"
        case .exp: "exp"
        case .log: "log"
        case .sin: "sin"
        case .cos: "cos"
        case .sqrt: "sqrt"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .relu: "relu"
        case .abs: "abs"
        case .power(let p): "pow \(p.formatted)"
        case .select: "select"
        case .reshape: "reshape"
        case .broadcast: "broadcast"
        case .reduceSum: "sum"
        case .reduceMax: "max"
        case .permute(let p): "permute \(p)"
        case .slice: "slice"
        case .pad: "pad"
        case .gather(let axis, _): "gather axis \(axis)"
        case .scatterAdd(let axis, _, _): "scatter-add axis \(axis)"
        case .concat(let axis): "concat axis \(axis)"
        case .take: "take"
        case .put: "put"
        case .pickWinners(let w): "max-pool \(w.size)x\(w.size)"
        case .routeToWinners(let w): "route to \(w.size)x\(w.size) winners"
        case .matmul(let ta, let tb): "matmul" + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "")
        case .im2col(let g): "im2col \(g)"
        case .col2im(let g): "col2im \(g)"
        case .batchNorm: "batch norm"
        case .batchNormMaxPool(let saved): "batch norm + max-pool \(saved.winners.size)x\(saved.winners.size)"
        case .conv2d(let g): "conv2d \(g)"
        case .checkpoint(_, let output): "checkpointed output \(output)"
        }
    }

    /// Whether the primitive acts element by element (diagrams can collapse chains of these).
    public var isElementwise: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .addScaled, .negate, .exp, .log, .sin, .cos, .sqrt, .tanh,
             .sigmoid, .relu, .abs, .power, .select, .identity: true
        default: false
        }
    }
}

extension Double {
    /// Integers without a trailing ".0".
    var formatted: String { self == rounded() && Swift.abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

/// The forward kernel and VJP of one primitive.
struct Rule {
    /// Computes the output from constant inputs.
    let forward: ([Tensor]) -> Tensor
    /// Given the (tracked) inputs `x`, the output `y` and the output's cotangent `g`, returns
    /// each input's cotangent (nil where the input gets no gradient). `needed[i]` says
    /// whether input i's cotangent will be used; a rule may skip unneeded work.
    let vjp: (_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needed: [Bool]) -> [Tensor?]
}

extension Primitive {
    /// The table: each primitive's forward kernel beside its vector-Jacobian product.
    var rule: Rule {
        switch self {
        case .variable, .identity:
            Rule(forward: { $0.isEmpty ? Tensor.zeros([]) : $0[0] },
                 vjp: { _, _, g, _ in [g] })
        case .add:
            Rule(forward: { Kernels.binary($0[0], $0[1], .add, name: "add") },
                 vjp: { x, _, g, _ in [g.sum(toShape: x[0].shape), g.sum(toShape: x[1].shape)] })
        case .subtract:
            Rule(forward: { Kernels.binary($0[0], $0[1], .subtract, name: "subtract") },
                 vjp: { x, _, g, n in [g.sum(toShape: x[0].shape), n[1] ? (-g).sum(toShape: x[1].shape) : nil] })
        case .addScaled(let c):  // d(a + c b) = da + c db
            Rule(forward: { Kernels.binary($0[0], $0[1], .addScaled(c), name: "addScaled") },
                 vjp: { x, _, g, n in [n[0] ? g.sum(toShape: x[0].shape) : nil, n[1] ? (g * c).sum(toShape: x[1].shape) : nil] })
        case .multiply:  // d(ab) = b da + a db
            Rule(forward: { Kernels.binary($0[0], $0[1], .multiply, name: "multiply") },
                 vjp: { x, _, g, n in [n[0] ? (g * x[1]).sum(toShape: x[0].shape) : nil,
                                       n[1] ? (g * x[0]).sum(toShape: x[1].shape) : nil] })
        case .divide:  // d(a/b) = da / b - (a/b) db / b
            Rule(forward: { Kernels.binary($0[0], $0[1], .divide, name: "divide") },
                 vjp: { x, y, g, n in [n[0] ? (g / x[1]).sum(toShape: x[0].shape) : nil,
                                       n[1] ? (-(g * y) / x[1]).sum(toShape: x[1].shape) : nil] })
        case .negate:
            Rule(forward: { Kernels.unary($0[0], .negate) }, vjp: { _, _, g, _ in [-g] })
        case .exp:  // (e^x)' = e^x
            Rule(forward: { Kernels.unary($0[0], .exp) }, vjp: { _, y, g, _ in [g * y] })
        case .log:  // (log x)' = 1/x
            Rule(forward: { Kernels.unary($0[0], .log) }, vjp: { x, _, g, _ in [g / x[0]] })
        case .sin:  // (sin x)' = cos x
            Rule(forward: { Kernels.unary($0[0], .sin) }, vjp: { x, _, g, _ in [g * Autodiff.cos(x[0])] })
        case .cos:  // (cos x)' = -sin x
            Rule(forward: { Kernels.unary($0[0], .cos) }, vjp: { x, _, g, _ in [-(g * Autodiff.sin(x[0]))] })
        case .sqrt:  // (√x)' = 1 / (2√x) for x > 0, and 0 at x = 0 (see `power`)
            Rule(forward: { Kernels.unary($0[0], .sqrt) }, vjp: { _, y, g, _ in
                let positive = y .> 0
                return [Autodiff.select(positive, g / (2 * Autodiff.select(positive, y, y.onesLike())), g.zerosLike())]
            })
        case .tanh:  // (tanh x)' = 1 - tanh² x
            Rule(forward: { Kernels.unary($0[0], .tanh) }, vjp: { _, y, g, _ in [g * (1 - y * y)] })
        case .sigmoid:  // σ' = σ (1 - σ)
            Rule(forward: { Kernels.unary($0[0], .sigmoid) }, vjp: { _, y, g, _ in [g * (y * (1 - y))] })
        case .relu:  // relu'(x) = 1[x > 0], a constant mask
            Rule(forward: { Kernels.unary($0[0], .relu) },
                 vjp: { x, _, g, _ in [g * Kernels.unary(x[0], .step)] })
        case .abs:  // |x|' = sign x, a constant
            Rule(forward: { Kernels.unary($0[0], .abs) },
                 vjp: { x, _, g, _ in [g * Kernels.unary(x[0], .sign)] })
        case .power(let p):  // (x^p)' = p x^(p-1); at x = 0 with p < 1, where that is ∞ or 0·∞, it is 0
            Rule(forward: { Kernels.unary($0[0], .power(p)) },
                 vjp: { x, _, g, _ in [powerVJP(x[0], p, g)] })
        case .select:  // the gradient goes to the branch that was picked
            Rule(forward: { Kernels.select($0[0], $0[1], $0[2]) },
                 vjp: { x, _, g, n in
                     let zero = Tensor.zeros([], dtype: g.dtype)
                     return [nil,
                             n[1] ? Autodiff.select(x[0], g, zero).sum(toShape: x[1].shape) : nil,
                             n[2] ? Autodiff.select(x[0], zero, g).sum(toShape: x[2].shape) : nil]
                 })
        case .reshape(let shape):
            Rule(forward: { Tensor(buffer: $0[0].buffer, shape: shape) },
                 vjp: { x, _, g, _ in [g.reshaped(x[0].shape)] })
        case .broadcast(let shape):  // adjoint of broadcasting is summing
            Rule(forward: { Kernels.broadcastTo($0[0], shape) },
                 vjp: { x, _, g, _ in [g.sum(toShape: x[0].shape)] })
        case .reduceSum(let shape):  // adjoint of summing is broadcasting
            Rule(forward: { Kernels.reduceSum($0[0], to: shape) },
                 vjp: { x, _, g, _ in [g.broadcast(to: x[0].shape)] })
        case .reduceMax(let shape):  // ties share the gradient equally
            Rule(forward: { Kernels.reduceMax($0[0], to: shape) },
                 vjp: { x, y, g, _ in
                     let winners = Kernels.binary(x[0], Kernels.broadcastTo(y.detached(), x[0].shape), .equal, name: "max")
                     let share = Kernels.binary(winners, Kernels.reduceSum(winners, to: shape), .divide, name: "max")
                     return [g.broadcast(to: x[0].shape) * share]
                 })
        case .permute(let order):
            Rule(forward: { Kernels.permute($0[0], order) },
                 vjp: { _, _, g, _ in
                     var inverse = order
                     for (i, axis) in order.enumerated() { inverse[axis] = i }
                     return [g.permuted(inverse)]
                 })
        case .slice(let lower, let upper):
            Rule(forward: { Kernels.slice($0[0], lower: lower, upper: upper) },
                 vjp: { x, _, g, _ in [g.padded(lower: lower, toShape: x[0].shape)] })
        case .pad(let lower, let shape):
            Rule(forward: { Kernels.pad($0[0], lower: lower, shape: shape) },
                 vjp: { x, _, g, _ in [g.sliced(lower: lower, upper: zip(lower, x[0].shape).map(+))] })
        case .gather(let axis, let indices):
            Rule(forward: { Kernels.gather($0[0], axis: axis, indices: indices) },
                 vjp: { x, _, g, _ in [g.scatterAdd(axis: axis, indices: indices, size: x[0].shape[axis])] })
        case .scatterAdd(let axis, let indices, let size):
            Rule(forward: { Kernels.scatterAdd($0[0], axis: axis, indices: indices, size: size) },
                 vjp: { _, _, g, _ in [g.gathered(axis: axis, indices: indices)] })
        case .concat(let axis):
            Rule(forward: { Kernels.concat($0, axis: axis) },
                 vjp: { x, _, g, n in
                     var start = 0
                     return x.indices.map { i in
                         let size = x[i].shape[axis]
                         defer { start += size }
                         guard n[i] else { return nil }
                         var lower = [Int](repeating: 0, count: g.rank), upper = g.shape
                         (lower[axis], upper[axis]) = (start, start + size)
                         return g.sliced(lower: lower, upper: upper)
                     }
                 })
        case .take(let indices, let shape):  // linear: its adjoint adds back into place
            Rule(forward: { Kernels.take($0[0], indices: indices, shape: shape) },
                 vjp: { x, _, g, _ in [g.put(indices: indices, shape: x[0].shape)] })
        case .put(let indices, let shape):  // linear: its adjoint picks the same places
            Rule(forward: { Kernels.put($0[0], indices: indices, shape: shape) },
                 vjp: { x, _, g, _ in [g.take(indices: indices, shape: x[0].shape)] })
        case .pickWinners(let winners):  // linear in x for fixed winners: its adjoint routes back
            Rule(forward: { Kernels.pickWinners($0[0], winners) },
                 vjp: { _, _, g, _ in [.apply(.routeToWinners(winners), [g])] })
        case .routeToWinners(let winners):  // linear: its adjoint picks the same places
            Rule(forward: { Kernels.routeToWinners($0[0], winners) },
                 vjp: { _, _, g, _ in [.apply(.pickWinners(winners), [g])] })
        case .matmul(let ta, let tb):
            Rule(forward: { Kernels.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) },
                 vjp: { x, _, g, n in
                     let (a, b) = (x[0], x[1])
                     // C = op(A) op(B); each case's adjoints written without materialized transposes.
                     let (da, db): (() -> Tensor, () -> Tensor) = switch (ta, tb) {
                     case (false, false): ({ Autodiff.matmul(g, b, transposeB: true) }, { Autodiff.matmul(a, g, transposeA: true) })
                     case (false, true): ({ Autodiff.matmul(g, b) }, { Autodiff.matmul(g, a, transposeA: true) })
                     case (true, false): ({ Autodiff.matmul(b, g, transposeB: true) }, { Autodiff.matmul(a, g) })
                     case (true, true): ({ Autodiff.matmul(b, g, transposeA: true, transposeB: true) },
                                         { Autodiff.matmul(g, a, transposeA: true, transposeB: true) })
                     }
                     return [n[0] ? da().sum(toShape: a.shape) : nil, n[1] ? db().sum(toShape: b.shape) : nil]
                 })
        case .im2col(let geometry):  // linear: its adjoint is col2im
            Rule(forward: { Kernels.im2col($0[0], geometry) },
                 vjp: { _, _, g, _ in [g.col2im(geometry)] })
        case .col2im(let geometry):  // linear: its adjoint is im2col
            Rule(forward: { Kernels.col2im($0[0], geometry) },
                 vjp: { _, _, g, _ in [g.im2col(geometry)] })
        case .batchNorm(let epsilon):
            // A first-order pass uses the fused backward kernel; a recorded pass differentiates
            // the same function written with primitives, so higher orders stay exact.
            Rule(forward: { Kernels.batchNorm($0[0], scale: $0[1], offset: $0[2], epsilon: epsilon) },
                 vjp: { x, _, g, _ in
                     guard isRecording else {
                         let (dx, dScale, dOffset) = Kernels.batchNormBackward(g, x[0], scale: x[1], epsilon: epsilon)
                         return [dx, dScale, dOffset]
                     }
                     return gradients(of: composedBatchNorm(x[0], scale: x[1], offset: x[2], epsilon: epsilon),
                                      wrt: x, seed: g, createGraph: true)
                 })
        case .conv2d(let geometry):
            // A fused backward kernel at first order; when the backward pass is recorded, the
            // adjoint of the im2col + matmul form written with primitives (`conv2dVJP`).
            Rule(forward: { Kernels.conv2d($0[0], $0[1], $0.count > 2 ? $0[2] : nil, geometry) },
                 vjp: { x, _, g, n in
                     guard isRecording else { return Kernels.conv2dBackward(g, x[0], x[1], geometry, needed: n) }
                     return conv2dVJP(g, x[0], filters: x[1], bias: x.count > 2 ? x[2] : nil, geometry: geometry, needed: n)
                 })
        case .batchNormMaxPool(let saved):
            // First order: the fused kernel. Recorded: route g back to the winners and
            // differentiate batch norm composed from primitives, so higher orders stay exact.
            Rule(forward: { x in
                     let normalized = Kernels.batchNorm(x[0], scale: x[1], offset: x[2], epsilon: saved.epsilon)
                     return Kernels.pickWinners(normalized, saved.winners)
                 },
                 vjp: { x, y, g, n in
                     guard isRecording else {
                         let (dx, dScale, dOffset) = Kernels.batchNormMaxPoolBackward(g, x[0], scale: x[1], saved, needX: n[0])
                         return [dx, dScale, dOffset]
                     }
                     let routed = Tensor.apply(.routeToWinners(saved.winners), [g])
                     return Primitive.batchNorm(epsilon: saved.epsilon).rule.vjp(x, y, routed, n)
                 })
        case .checkpoint(let segment, let output):
            // The segment runs again for its graph. A sweep takes all outputs of a segment in one
            // pass (`ReverseGraph.sweepSegment`); this rule serves one output on its own.
            Rule(forward: { _ in CheckpointedSegment.run(segment.body, in: segment.context).0[output].detached() },
                 vjp: { x, _, g, n in
                     var seeds = [Tensor?](repeating: nil, count: segment.outputCount)
                     seeds[output] = g
                     return segment.backward(boundary: x, seeds: seeds, wanted: n, carried: Array(repeating: nil, count: x.count))
                 })
        }
    }
}

/// The cotangent of x for y = x^p: g · p x^(p-1).
///
/// The convention at zero: where the derivative of x^p is infinite or undefined at x = 0 (every
/// p < 1: √x, 1/x, x^0 = 1 whose 0 · x⁻¹ would be NaN) the derivative there is taken as 0, the
/// same value `sqrt` gives, so `pow(x, 0.5)` and `sqrt(x)` agree everywhere. The zeros are
/// replaced by ones before the power is taken (and the result masked afterwards), so no ∞
/// enters the recorded graph and every higher derivative at 0 is 0 too, never NaN.
private func powerVJP(_ x: Tensor, _ p: Double, _ g: Tensor) -> Tensor {
    switch p {
    case 0: return g.zerosLike()
    case 1: return g
    case 2: return g * (2 * x)
    case 1...: return g * (p * x.pow(p - 1))  // finite at 0
    default:
        let zero = x .== 0
        let safe = Autodiff.select(zero, x.onesLike(), x)
        return Autodiff.select(zero, Tensor(0, dtype: g.dtype), g * (p * safe.pow(p - 1)))
    }
}
