/// Checks reverse mode against central finite differences along random directions, at every
/// order from 1 to `order` (what HIPS autograd's `check_grads` does).
///
/// Order 1. With a random weighting u of the output (u = 1 for a scalar output), the scalar
/// F₁(x) = ⟨u, f(x)⟩ has directional derivative, along a random direction v of the inputs,
///
///     ⟨∇F₁(x), v⟩  ≈  (F₁(x + h v) − F₁(x − h v)) / 2h,
///
/// the left side from reverse mode, the right from two evaluations (error O(h²)).
/// Order k + 1. The same check on F_{k+1}(x) = ⟨w, ∇F_k(x)⟩ for a random w: its gradient is a
/// reverse pass over the recorded pass that computed ∇F_k, so order 2 checks every VJP's own VJP
/// on this function, order 3 the next level, and so on.
///
/// Each comparison passes when |reverse − numeric| / max(1, |reverse|, |numeric|) ≤ `tolerance`.
/// Inputs must be `float64` (finite differences in Float lose half their digits). The random
/// numbers come from `SeededGenerator(seed:)`, so a check is the same on every run. Throws
/// `GradientCheckFailure`, listing every comparison that missed, when one does; returns all of
/// them otherwise.
@discardableResult
public func checkGradients(_ f: @escaping ([Tensor]) -> Tensor, at inputs: [Tensor], order: Int = 2,
                           directions: Int = 2, step: Double = 1e-6, tolerance: Double = 1e-6,
                           seed: UInt64 = 0) throws -> [DirectionalDerivativeCheck] {
    check(order >= 1 && directions >= 1, "checkGradients: order and directions must be at least 1, got \(order) and \(directions)")
    for (index, input) in inputs.enumerated() {
        check(input.dtype == .float64, "checkGradients: input \(index) of shape \(input.shape) is \(input.dtype); finite differences need float64")
    }
    let points = inputs.map { $0.detached() }
    var generator = SeededGenerator(seed: seed)
    let output = f(points)
    let weights = output.scalarCount == 1 ? Tensor.ones(output.shape) : Tensor.randomNormal(output.shape, generator: &generator)
    var function: ([Tensor]) -> Tensor = { xs in (f(xs) * weights).sum() }
    var checks: [DirectionalDerivativeCheck] = []
    for k in 1...order {
        let gradient = grad(function)(points)
        for d in 0..<directions {
            let v = points.map { Tensor.randomNormal($0.shape, generator: &generator) }
            let reverse = zip(gradient, v).reduce(0) { $0 + ($1.0 * $1.1).sum().scalar }
            let plus = function(zip(points, v).map { $0.addingScaled($1, by: step) }).scalar
            let minus = function(zip(points, v).map { $0.addingScaled($1, by: -step) }).scalar
            checks.append(DirectionalDerivativeCheck(order: k, direction: d, reverseMode: reverse,
                                                     finiteDifference: (plus - minus) / (2 * step)))
        }
        guard k < order else { break }
        let w = gradient.map { Tensor.randomNormal($0.shape, generator: &generator) }
        let previous = function
        function = { xs in zip(grad(previous)(xs), w).map { ($0 * $1).sum() }.reduce(Tensor(0), +) }
    }
    let misses = checks.filter { !($0.relativeError <= tolerance) }
    if !misses.isEmpty { throw GradientCheckFailure(misses: misses, tolerance: tolerance) }
    return checks
}

/// `checkGradients` for a function of one tensor.
@discardableResult
public func checkGradients(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, order: Int = 2, directions: Int = 2,
                           step: Double = 1e-6, tolerance: Double = 1e-6, seed: UInt64 = 0) throws -> [DirectionalDerivativeCheck] {
    try checkGradients({ f($0[0]) }, at: [x], order: order, directions: directions, step: step, tolerance: tolerance, seed: seed)
}

/// `checkGradients` for a function of named parameters.
@discardableResult
public func checkGradients(_ f: @escaping (Parameters) -> Tensor, at params: Parameters, order: Int = 2, directions: Int = 2,
                           step: Double = 1e-6, tolerance: Double = 1e-6, seed: UInt64 = 0) throws -> [DirectionalDerivativeCheck] {
    let names = params.names
    return try checkGradients({ f(Parameters(names: names, tensors: $0)) }, at: params.tensors, order: order,
                              directions: directions, step: step, tolerance: tolerance, seed: seed)
}

/// One comparison made by `checkGradients`: a directional derivative of the order-k function
/// from reverse mode and from central differences.
public struct DirectionalDerivativeCheck: Sendable, CustomStringConvertible {
    /// The derivative order checked (1 for the gradient, 2 for the VJP of the VJP, ...).
    public let order: Int
    /// Which random direction (0, 1, ...).
    public let direction: Int
    /// ⟨∇F, v⟩ from reverse mode.
    public let reverseMode: Double
    /// (F(x + hv) − F(x − hv)) / 2h.
    public let finiteDifference: Double

    /// |reverse − numeric| / max(1, |reverse|, |numeric|).
    public var relativeError: Double {
        Swift.abs(reverseMode - finiteDifference) / Swift.max(1, Swift.abs(reverseMode), Swift.abs(finiteDifference))
    }

    /// One line: order, direction, both values and the error.
    public var description: String {
        "order \(order), direction \(direction): reverse mode \(reverseMode), finite differences \(finiteDifference) (relative error \(relativeError))"
    }
}

/// Reverse mode and finite differences disagreed beyond the tolerance.
public struct GradientCheckFailure: Error, CustomStringConvertible {
    /// The comparisons that missed.
    public let misses: [DirectionalDerivativeCheck]
    /// The tolerance they missed.
    public let tolerance: Double

    /// Every miss, one per line.
    public var description: String {
        "checkGradients: \(misses.count) directional derivative(s) off by more than \(tolerance):\n"
            + misses.map { "  \($0)" }.joined(separator: "\n")
    }
}
