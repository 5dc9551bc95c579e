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
        let plan = MatMulPlan(a.shape, sharedMatrixShape(b, batchOf: a) ?? b.shape, transposeA: transposeA, transposeB: transposeB,
                              dtype: a.dtype)
        let out = Buffer(dtype: a.dtype, count: plan.dims.output.reduce(1, *))
        plan.run(a.buffer.raw, b.buffer.raw, out.raw)
        CaptureRecorder.active?.append(kernel: "matmul \(a.shape) \(b.shape) \(transposeA) \(transposeB) \(a.dtype)", reads: [a.buffer, b.buffer], writes: [out]) { s in
            let (left, right, destination) = (s[0], s[1], s[2])
            return { table in plan.run(table[left], table[right], table[destination]) }
        }
        return Tensor(buffer: out, shape: plan.dims.output)
    }
}

extension Kernels {
    /// B's own matrix shape when B is one matrix repeated over batch axes that A has too (the
    /// tiled parameters of a meta-batch before the tasks' updates part them): the product then
    /// reads that one matrix for every batch, and with an untransposed A runs as one tall
    /// product instead of one per batch (the same numbers; see `MatMulPlan`). Nil otherwise, and
    /// for an input of a running capture, which later replays may fill with any values.
    static func sharedMatrixShape(_ b: Tensor, batchOf a: Tensor) -> [Int]? {
        guard b.rank > 2, let period = b.buffer.repeatedPeriod, CaptureRecorder.active?.isInput(b.buffer) != true else { return nil }
        let matrix = Array(b.shape.suffix(2))
        guard period == matrix.reduce(1, *), Array(b.shape.dropLast(2)) == Array(a.shape.dropLast(2)) else { return nil }
        return matrix
    }
}

/// A batched matrix product worked out for given shapes: which products on which offsets, each
/// a BLAS call or, for a side of 1, a loop (`SmallProduct`).
struct MatMulPlan {
    let dims: MatMulShape
    let transposeA: Bool, transposeB: Bool
    let dtype: DType
    /// Each gemm's offsets into A, B and C (in elements) and its row count.
    let calls: [(a: Int, b: Int, c: Int, rows: Int)]
    /// The loop that runs each call instead of BLAS when a side is 1 and the product is small.
    let loop: SmallProduct?

    init(_ aShape: [Int], _ bShape: [Int], transposeA: Bool, transposeB: Bool, dtype: DType) {
        let dims = MatMulShape(aShape, bShape, transposeA: transposeA, transposeB: transposeB)
        (self.dims, self.transposeA, self.transposeB, self.dtype) = (dims, transposeA, transposeB, dtype)
        let (m, n, k) = (dims.m, dims.n, dims.k)
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        let batchCount = dims.batch.reduce(1, *)
        if m == 0 || n == 0 || k == 0 {
            calls = []
        } else if bBatch.reduce(1, *) == 1 && !transposeA && aBatch.reduce(1, *) == batchCount {
            // A shared right operand and an untransposed left one: one tall product does every batch.
            calls = [(0, 0, 0, batchCount * m)]
        } else {
            let aStrides = Shapes.broadcastStrides(aBatch, to: dims.batch)
            let bStrides = Shapes.broadcastStrides(bBatch, to: dims.batch)
            var index = [Int](repeating: 0, count: dims.batch.count)
            var calls: [(a: Int, b: Int, c: Int, rows: Int)] = []
            for batch in 0..<batchCount {
                var aIndex = 0, bIndex = 0
                for axis in index.indices {
                    aIndex += index[axis] * aStrides[axis]
                    bIndex += index[axis] * bStrides[axis]
                }
                calls.append((aIndex * m * k, bIndex * k * n, batch * m * n, m))
                var axis = index.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < dims.batch[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
            self.calls = calls
        }
        loop = calls.first.flatMap { SmallProduct(m: $0.rows, n: n, k: k, transposeA: transposeA, transposeB: transposeB) }
    }

    /// C = op(A) op(B) on raw memory.
    func run(_ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) {
        let (m, n, k) = (dims.m, dims.n, dims.k)
        if m == 0 || n == 0 { return }
        if k == 0 {
            c.initializeMemory(as: UInt8.self, repeating: 0, count: dims.output.reduce(1, *) * dtype.byteCount)
            return
        }
        let (n32, k32) = (Int32(n), Int32(k))
        let lda = transposeA ? Int32(m) : k32, ldb = transposeB ? k32 : n32
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        switch dtype {
        case .float32:
            run(a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self), c.assumingMemoryBound(to: Float.self)) {
                cblas_sgemm(CblasRowMajor, ta, tb, $0, n32, k32, 1, $1, lda, $2, ldb, 0, $3, n32)
            }
        case .float64:
            run(a.assumingMemoryBound(to: Double.self), b.assumingMemoryBound(to: Double.self), c.assumingMemoryBound(to: Double.self)) {
                cblas_dgemm(CblasRowMajor, ta, tb, $0, n32, k32, 1, $1, lda, $2, ldb, 0, $3, n32)
            }
        }
    }

    /// Every call of the plan, through the small-product loop or `gemm(rows, A, B, C)`.
    @inline(__always)
    private func run<S: TensorScalar>(
        _ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>,
        gemm: (Int32, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>) -> Void
    ) {
        if let loop {
            for call in calls { loop.run(a + call.a, b + call.b, c + call.c, m: call.rows, n: dims.n, k: dims.k) }
        } else {
            for call in calls { gemm(Int32(call.rows), a + call.a, b + call.b, c + call.c) }
        }
    }
}
