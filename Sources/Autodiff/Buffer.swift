#if os(Linux)
/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_MMAP_THRESHOLD: Int32 = -3

/// Keeps freed tensor buffers in the allocator instead of returning them to the system.
///
/// glibc serves blocks above 128 kB with fresh `mmap`s and unmaps them on free, so every
/// [25, 40, 40] Float buffer of a meta-batch would page-fault anew; raising the thresholds
/// lets the allocator recycle them.
private let allocatorTuned: Void = {
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)  // glibc's largest allowed value on 64-bit
    _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
}()
#else
private let allocatorTuned: Void = ()
#endif

/// Contiguous, immutable-after-creation memory holding a tensor's elements.
///
/// A buffer is written once by the kernel that creates it and only read afterwards, which is
/// what gives `Tensor` value semantics without copy-on-write.
final class Buffer: @unchecked Sendable {
    let dtype: DType
    let count: Int
    let raw: UnsafeMutableRawPointer
    /// Set when the buffer holds its first `repeatedPeriod` elements repeated end to end (what
    /// broadcasting over new leading axes writes: a meta-batch's tiled parameters), so a matrix
    /// product can read one copy as a shared operand. Set by the kernel that fills the buffer,
    /// cleared by the one in-place write (`Kernels.addInPlace`).
    var repeatedPeriod: Int?

    /// Allocates uninitialized storage for `count` elements.
    init(dtype: DType, count: Int) {
        _ = allocatorTuned
        self.dtype = dtype
        self.count = count
        raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * dtype.byteCount, alignment: 16)
        CaptureRecorder.active?.noteAllocation(self)
    }

    /// Allocates storage filled with zeros.
    static func zeros(dtype: DType, count: Int) -> Buffer {
        let b = Buffer(dtype: dtype, count: count)
        b.raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * dtype.byteCount)
        return b
    }

    deinit { raw.deallocate() }

    /// The elements as a typed pointer; `S` must match `dtype`.
    @inline(__always) func pointer<S: TensorScalar>(_: S.Type) -> UnsafeMutablePointer<S> {
        raw.assumingMemoryBound(to: S.self)
    }

    /// Element `i` converted to Double.
    func double(at i: Int) -> Double {
        CaptureRecorder.active?.noteValueRead(self)
        return switch dtype {
        case .float32: Double(raw.assumingMemoryBound(to: Float.self)[i])
        case .float64: raw.assumingMemoryBound(to: Double.self)[i]
        }
    }
}
