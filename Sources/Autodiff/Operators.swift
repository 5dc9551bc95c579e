// Arithmetic on tensors, with NumPy broadcasting, and with plain numbers on either side.

extension Tensor {
    /// A scalar of this tensor's dtype.
    @inline(__always) func constant(_ value: Double) -> Tensor { Tensor(value, dtype: dtype) }

    /// Element-wise sum (broadcasting).
    public static func + (a: Tensor, b: Tensor) -> Tensor { apply(.add, [a, b]) }
    /// Element-wise difference (broadcasting).
    public static func - (a: Tensor, b: Tensor) -> Tensor { apply(.subtract, [a, b]) }
    /// Element-wise product (broadcasting).
    public static func * (a: Tensor, b: Tensor) -> Tensor { apply(.multiply, [a, b]) }
    /// Element-wise quotient (broadcasting).
    public static func / (a: Tensor, b: Tensor) -> Tensor { apply(.divide, [a, b]) }
    /// `self + scale · other` as one operation (broadcasting): a gradient step θ − α∇L is
    /// `theta.addingScaled(gradient, by: -alpha)`, one pass over the elements forward and one
    /// multiplication backward instead of two of each.
    public func addingScaled(_ other: Tensor, by scale: Double) -> Tensor { Tensor.apply(.addScaled(scale), [self, other]) }
    /// Element-wise negation.
    public static prefix func - (a: Tensor) -> Tensor { apply(.negate, [a]) }

    /// Adds a number to every element.
    public static func + (a: Tensor, b: Double) -> Tensor { a + a.constant(b) }
    /// Adds a number to every element.
    public static func + (a: Double, b: Tensor) -> Tensor { b.constant(a) + b }
    /// Subtracts a number from every element.
    public static func - (a: Tensor, b: Double) -> Tensor { a - a.constant(b) }
    /// Subtracts every element from a number.
    public static func - (a: Double, b: Tensor) -> Tensor { b.constant(a) - b }
    /// Multiplies every element by a number.
    public static func * (a: Tensor, b: Double) -> Tensor { a * a.constant(b) }
    /// Multiplies every element by a number.
    public static func * (a: Double, b: Tensor) -> Tensor { b.constant(a) * b }
    /// Divides every element by a number.
    public static func / (a: Tensor, b: Double) -> Tensor { a / a.constant(b) }
    /// Divides a number by every element.
    public static func / (a: Double, b: Tensor) -> Tensor { b.constant(a) / b }

    /// `self = self + other`.
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    /// `self = self - other`.
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    /// `self = self * other`.
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }

    /// x^p element-wise, for a constant exponent.
    public func pow(_ p: Double) -> Tensor { Tensor.apply(.power(p), [self]) }
    /// x² element-wise.
    public var squared: Tensor { pow(2) }

    // Comparisons (the standard library's `.>` family) give constant 0/1 masks: no gradient.

    /// 1 where a > b, else 0 (no gradient).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { Kernels.binary(a, b, .greater, name: ".>") }
    /// 1 where a >= b, else 0 (no gradient).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { Kernels.binary(a, b, .greaterEqual, name: ".>=") }
    /// 1 where a < b, else 0 (no gradient).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { Kernels.binary(a, b, .less, name: ".<") }
    /// 1 where a <= b, else 0 (no gradient).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { Kernels.binary(a, b, .lessEqual, name: ".<=") }
    /// 1 where a == b, else 0 (no gradient).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { Kernels.binary(a, b, .equal, name: ".==") }
    /// 1 where a > b, else 0 (no gradient).
    public static func .> (a: Tensor, b: Double) -> Tensor { a .> a.constant(b) }
    /// 1 where a >= b, else 0 (no gradient).
    public static func .>= (a: Tensor, b: Double) -> Tensor { a .>= a.constant(b) }
    /// 1 where a < b, else 0 (no gradient).
    public static func .< (a: Tensor, b: Double) -> Tensor { a .< a.constant(b) }
    /// 1 where a <= b, else 0 (no gradient).
    public static func .<= (a: Tensor, b: Double) -> Tensor { a .<= a.constant(b) }
    /// 1 where a == b, else 0 (no gradient).
    public static func .== (a: Tensor, b: Double) -> Tensor { a .== a.constant(b) }
}
