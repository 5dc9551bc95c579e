import Foundation

/// The element type of a tensor: 32-bit or 64-bit IEEE floating point.
///
/// Double is for exact checks and the small regression exercises; Float is for the
/// convolutional Omniglot work. Binary ops require both operands to share a dtype.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit floating point (`Float`).
    case float32
    /// 64-bit floating point (`Double`).
    case float64

    /// Bytes per element.
    public var byteCount: Int { self == .float32 ? 4 : 8 }

    /// The dtype's name, as printed in tensor descriptions.
    public var description: String { rawValue }
}

/// The scalar types a tensor can hold, with the math functions the kernels need.
///
/// Kernels are generic over this protocol and are called from a `switch` over `DType`,
/// so the compiler specializes each one for `Float` and `Double`.
public protocol TensorScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// The dtype that stores this scalar type.
    static var dtype: DType { get }
    /// e^x.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// Sine.
    static func sin(_ x: Self) -> Self
    /// Cosine.
    static func cos(_ x: Self) -> Self
    /// Hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// x^p.
    static func pow(_ x: Self, _ p: Self) -> Self
}

extension Float: TensorScalar {
    /// `.float32`.
    public static var dtype: DType { .float32 }
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.logf(x) }
    @inline(__always) public static func sin(_ x: Float) -> Float { Foundation.sinf(x) }
    @inline(__always) public static func cos(_ x: Float) -> Float { Foundation.cosf(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanhf(x) }
    @inline(__always) public static func pow(_ x: Float, _ p: Float) -> Float { Foundation.powf(x, p) }
}

extension Double: TensorScalar {
    /// `.float64`.
    public static var dtype: DType { .float64 }
    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inline(__always) public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) public static func pow(_ x: Double, _ p: Double) -> Double { Foundation.pow(x, p) }
}
