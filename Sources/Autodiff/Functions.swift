// Element-wise math functions, as free functions (`exp(x)`) in the style of NumPy.

/// e^x element-wise.
public func exp(_ x: Tensor) -> Tensor { .apply(.exp, [x]) }
/// Natural logarithm element-wise.
public func log(_ x: Tensor) -> Tensor { .apply(.log, [x]) }
/// Sine element-wise.
public func sin(_ x: Tensor) -> Tensor { .apply(.sin, [x]) }
/// Cosine element-wise.
public func cos(_ x: Tensor) -> Tensor { .apply(.cos, [x]) }
/// Square root element-wise.
public func sqrt(_ x: Tensor) -> Tensor { .apply(.sqrt, [x]) }
/// Hyperbolic tangent element-wise.
public func tanh(_ x: Tensor) -> Tensor { .apply(.tanh, [x]) }
/// Logistic sigmoid 1 / (1 + e^-x) element-wise.
public func sigmoid(_ x: Tensor) -> Tensor { .apply(.sigmoid, [x]) }
/// max(x, 0) element-wise.
public func relu(_ x: Tensor) -> Tensor { .apply(.relu, [x]) }
/// |x| element-wise.
public func abs(_ x: Tensor) -> Tensor { .apply(.abs, [x]) }
/// x^p element-wise for a constant exponent.
public func pow(_ x: Tensor, _ p: Double) -> Tensor { x.pow(p) }
/// x^y element-wise for a tensor exponent: e^(y log x), so x must be positive.
public func pow(_ x: Tensor, _ y: Tensor) -> Tensor { exp(y * log(x)) }
/// -1, 0 or 1 element-wise (no gradient).
public func sign(_ x: Tensor) -> Tensor { Kernels.unary(x, .sign) }

/// `mask != 0 ? a : b` element-wise with broadcasting; the mask gets no gradient.
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    .apply(.select, [mask.detached(), a, b])
}

/// The larger of a and b element-wise (the gradient goes to a on ties).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { select(a .>= b, a, b) }
/// The smaller of a and b element-wise (the gradient goes to a on ties).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { select(a .<= b, a, b) }
/// The larger of x and a number element-wise.
public func maximum(_ x: Tensor, _ value: Double) -> Tensor { maximum(x, x.constant(value)) }
/// The smaller of x and a number element-wise.
public func minimum(_ x: Tensor, _ value: Double) -> Tensor { minimum(x, x.constant(value)) }
