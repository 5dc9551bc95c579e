/// An n-dimensional array of Float or Double, row-major, with value semantics.
///
/// A tensor is immutable: every operation returns a new tensor. When an operand is being
/// differentiated (it carries a graph node), the result records the operation so that
/// `gradients(of:wrt:)` and `grad` can run reverse mode through it, to any order.
public struct Tensor: @unchecked Sendable {
    let buffer: Buffer
    /// The size of each axis, outermost first; `[]` for a scalar.
    public let shape: [Int]
    /// The recorded operation that produced this tensor, or nil for a constant.
    public let node: GraphNode?

    init(buffer: Buffer, shape: [Int], node: GraphNode? = nil) {
        self.buffer = buffer
        self.shape = shape
        self.node = node
    }

    /// The element type.
    public var dtype: DType { buffer.dtype }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements (1 for a scalar).
    public var scalarCount: Int { buffer.count }
    /// Whether this tensor is tracked by the graph (it depends on a variable being differentiated).
    public var isTracked: Bool { node != nil }

    /// The elements in row-major order, converted to Double.
    public var scalars: [Double] {
        CaptureRecorder.active?.noteValueRead(buffer)
        return switch dtype {
        case .float64: Array(UnsafeBufferPointer(start: buffer.pointer(Double.self), count: scalarCount))
        case .float32: UnsafeBufferPointer(start: buffer.pointer(Float.self), count: scalarCount).map(Double.init)
        }
    }

    /// The elements in row-major order, converted to Float.
    public var floats: [Float] {
        CaptureRecorder.active?.noteValueRead(buffer)
        return switch dtype {
        case .float32: Array(UnsafeBufferPointer(start: buffer.pointer(Float.self), count: scalarCount))
        case .float64: UnsafeBufferPointer(start: buffer.pointer(Double.self), count: scalarCount).map(Float.init)
        }
    }

    /// The single element of a one-element tensor, as Double.
    public var scalar: Double {
        check(scalarCount == 1, "scalar: the tensor has shape \(shape), not one element")
        return buffer.double(at: 0)
    }

    /// Element at a multi-index, as Double.
    public subscript(_ index: Int...) -> Double {
        check(index.count == rank, "subscript: \(index.count) indices for a tensor of shape \(shape)")
        var flat = 0
        for (axis, i) in index.enumerated() {
            check(i >= 0 && i < shape[axis], "subscript: index \(i) out of range for axis \(axis) of shape \(shape)")
            flat = flat * shape[axis] + i
        }
        return buffer.double(at: flat)
    }

    /// A tensor of the given shape from row-major values.
    public init(shape: [Int], scalars: [Double], dtype: DType = .float64) {
        checkShape(shape, "Tensor(shape:scalars:)")
        let count = shape.reduce(1, *)
        check(count == scalars.count,
              "Tensor(shape:scalars:): shape \(shape) holds \(count) elements but \(scalars.count) were given")
        let buffer = Buffer(dtype: dtype, count: count)
        switch dtype {
        case .float32:
            let p = buffer.pointer(Float.self)
            for i in 0..<count { p[i] = Float(scalars[i]) }
        case .float64:
            let p = buffer.pointer(Double.self)
            for i in 0..<count { p[i] = scalars[i] }
        }
        CaptureRecorder.active?.noteConstant(buffer)
        self.init(buffer: buffer, shape: shape)
    }

    /// A Float tensor of the given shape from row-major values.
    public init(shape: [Int], floats: [Float]) {
        checkShape(shape, "Tensor(shape:floats:)")
        let count = shape.reduce(1, *)
        check(count == floats.count,
              "Tensor(shape:floats:): shape \(shape) holds \(count) elements but \(floats.count) were given")
        let buffer = Buffer(dtype: .float32, count: count)
        floats.withUnsafeBufferPointer { src in
            buffer.pointer(Float.self).update(from: src.baseAddress!, count: count)
        }
        CaptureRecorder.active?.noteConstant(buffer)
        self.init(buffer: buffer, shape: shape)
    }

    /// A scalar (rank-0) tensor.
    public init(_ value: Double, dtype: DType = .float64) {
        self.init(shape: [], scalars: [value], dtype: dtype)
    }

    /// A vector (rank-1) tensor.
    public init(_ values: [Double], dtype: DType = .float64) {
        self.init(shape: [values.count], scalars: values, dtype: dtype)
    }

    /// A matrix (rank-2) tensor from its rows.
    public init(rows: [[Double]], dtype: DType = .float64) {
        let columns = rows.first?.count ?? 0
        check(rows.allSatisfy { $0.count == columns }, "Tensor(rows:): rows have different lengths")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 }, dtype: dtype)
    }

    /// A tensor filled with one value.
    public static func full(_ value: Double, shape: [Int], dtype: DType = .float64) -> Tensor {
        checkShape(shape, "full")
        return Kernels.fill(value, shape: shape, dtype: dtype)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float64) -> Tensor {
        checkShape(shape, "zeros")
        let buffer = Buffer.zeros(dtype: dtype, count: shape.reduce(1, *))
        CaptureRecorder.active?.noteConstant(buffer)
        return Tensor(buffer: buffer, shape: shape)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float64) -> Tensor {
        checkShape(shape, "ones")
        return Kernels.fill(1, shape: shape, dtype: dtype)
    }

    /// Zeros with this tensor's shape and dtype.
    public func zerosLike() -> Tensor { .zeros(shape, dtype: dtype) }

    /// Ones with this tensor's shape and dtype.
    public func onesLike() -> Tensor { .ones(shape, dtype: dtype) }

    /// `[0, 1, ..., count - 1]` as a vector.
    public static func range(_ count: Int, dtype: DType = .float64) -> Tensor {
        check(count >= 0, "range: negative count \(count)")
        return Tensor(shape: [count], scalars: (0..<count).map(Double.init), dtype: dtype)
    }

    /// The same values as a constant: gradients do not flow through the result (stop-gradient, detach).
    public func detached() -> Tensor { Tensor(buffer: buffer, shape: shape) }

    /// The same values converted to another dtype, as a constant.
    public func converted(to dtype: DType) -> Tensor {
        dtype == self.dtype ? detached() : Tensor(shape: shape, scalars: scalars, dtype: dtype)
    }
}

/// Stops gradients: returns `x`'s value as a constant.
public func stopGradient(_ x: Tensor) -> Tensor { x.detached() }
