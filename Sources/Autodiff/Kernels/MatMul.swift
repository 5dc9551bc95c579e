import COpenBLAS

/// How many threads OpenBLAS may use; one by default so results and timings are reproducible.
public enum BLASThreads {
    /// Sets the number of OpenBLAS threads for the whole process.
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(count)) }
}

let blasSingleThreaded: Void = { openblas_set_num_threads(1) }()

/// The shapes of a (batched) matrix product, after transposes and batch broadcasting.
struct MatMulShape {
    let m: Int, n: Int, k: Int
    let batch: [Int]
    var output: [Int] { batch + [m, n] }

    init(_ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool) {
        check(a.count >= 2 && b.count >= 2,
              "matmul: both operands need at least 2 axes, got shapes \(a) and \(b)")
        let (am, ak) = transposeA ? (a[a.count - 1], a[a.count - 2]) : (a[a.count - 2], a[a.count - 1])
        let (bk, bn) = transposeB ? (b[b.count - 1], b[b.count - 2]) : (b[b.count - 2], b[b.count - 1])
        check(ak == bk, "matmul: inner dimensions differ for shapes \(a) and \(b)"
              + (transposeA || transposeB ? " (transposeA: \(transposeA), transposeB: \(transposeB))" : ""))
        guard let batch = Shapes.broadcast(Array(a.dropLast(2)), Array(b.dropLast(2))) else {
            fatalError("matmul: cannot broadcast batch axes of shapes \(a) and \(b)")
        }
        (m, n, k, self.batch) = (am, bn, ak, batch)
    }
}

extension Kernels {
    /// `op(a) @ op(b)` over broadcast batch axes, where op transposes the last two axes when asked.
    static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        _ = blasSingleThreaded
        check(a.dtype == b.dtype, "matmul: dtypes differ (\(a.dtype) and \(b.dtype)) for shapes \(a.shape) and \(b.shape)")
        let dims = MatMulShape(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
        let out = Buffer(dtype: a.dtype, count: dims.output.reduce(1, *))
        let (m, n, k) = (dims.m, dims.n, dims.k)
        if m == 0 || n == 0 { return Tensor(buffer: out, shape: dims.output) }
        if k == 0 {
            return Tensor(buffer: .zeros(dtype: a.dtype, count: out.count), shape: dims.output)
        }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        // Outer products (k = 1) cost less as plain loops than as BLAS calls (measured on the sine workload).
        func gemm(_ aOffset: Int, _ bOffset: Int, _ cOffset: Int, rows: Int) {
            if k == 1 {
                switch a.dtype {
                case .float32:
                    outerProduct(a.buffer.pointer(Float.self) + aOffset, b.buffer.pointer(Float.self) + bOffset,
                                 out.pointer(Float.self) + cOffset, m: rows, n: n)
                case .float64:
                    outerProduct(a.buffer.pointer(Double.self) + aOffset, b.buffer.pointer(Double.self) + bOffset,
                                 out.pointer(Double.self) + cOffset, m: rows, n: n)
                }
                return
            }
            switch a.dtype {
            case .float32:
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(rows), Int32(n), Int32(k), 1,
                            a.buffer.pointer(Float.self) + aOffset, Int32(lda),
                            b.buffer.pointer(Float.self) + bOffset, Int32(ldb), 0,
                            out.pointer(Float.self) + cOffset, Int32(n))
            case .float64:
                cblas_dgemm(CblasRowMajor, ta, tb, Int32(rows), Int32(n), Int32(k), 1,
                            a.buffer.pointer(Double.self) + aOffset, Int32(lda),
                            b.buffer.pointer(Double.self) + bOffset, Int32(ldb), 0,
                            out.pointer(Double.self) + cOffset, Int32(n))
            }
        }
        let batchCount = dims.batch.reduce(1, *)
        // A shared right operand and an untransposed left one: one tall product does every batch.
        if bBatch.reduce(1, *) == 1 && !transposeA && aBatch.reduce(1, *) == batchCount {
            gemm(0, 0, 0, rows: batchCount * m)
            return Tensor(buffer: out, shape: dims.output)
        }
        let aStrides = Shapes.broadcastStrides(aBatch, to: dims.batch)
        let bStrides = Shapes.broadcastStrides(bBatch, to: dims.batch)
        var index = [Int](repeating: 0, count: dims.batch.count)
        for batch in 0..<batchCount {
            var aIndex = 0, bIndex = 0
            for axis in index.indices {
                aIndex += index[axis] * aStrides[axis]
                bIndex += index[axis] * bStrides[axis]
            }
            gemm(aIndex * m * k, bIndex * k * n, batch * m * n, rows: m)
            var axis = index.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < dims.batch[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(buffer: out, shape: dims.output)
    }

    /// C = op(A) op(B) for k = 1, an outer product: whatever the transposes, op(A)'s one column
    /// and op(B)'s one row are contiguous runs (a leading dimension of 1 or a length-1 axis), so
    /// C[i, j] = a[i] · b[j].
    @inline(__always)
    private static func outerProduct<S: TensorScalar>(
        _ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>, m: Int, n: Int
    ) {
        for i in 0..<m {
            let scale = a[i], row = c + i * n
            for j in 0..<n { row[j] = scale * b[j] }
        }
    }
}
