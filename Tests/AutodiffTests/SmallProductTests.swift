import Testing
@testable import Autodiff

/// Products with a side of 1 run as loops (`SmallProduct`); these check them against the
/// definition C[i, j] = Σₖ op(A)[i, k] op(B)[k, j], exactly, on integer-valued operands.
@Suite("Matrix products with a side of 1")
struct SmallProductTests {
    /// op(A) op(B) summed straight from the definition, batch by batch.
    static func definition(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
        let (av, bv) = (a.scalars, b.scalars)
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1]), (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac), n = transposeB ? br : bc
        let batches = a.scalarCount / (ar * ac)
        var out: [Double] = []
        for batch in 0..<batches {
            let ao = batch * ar * ac, bo = batch * br * bc
            for i in 0..<m {
                for j in 0..<n {
                    out.append((0..<k).reduce(0.0) { sum, p in
                        sum + av[ao + (transposeA ? p * ac + i : i * ac + p)] * bv[bo + (transposeB ? j * bc + p : p * bc + j)]
                    })
                }
            }
        }
        return out
    }

    /// Small integers, so every sum is exact whatever its order.
    static func integers(_ shape: [Int], dtype: DType, generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in Double(Int(generator.next() % 9)) - 4 }, dtype: dtype)
    }

    /// (A's shape, B's shape, transposeA, transposeB, the loop expected), every transpose of n = 1 and m = 1.
    static let cases: [([Int], [Int], Bool, Bool, SmallProduct?)] = [
        ([3, 10, 40], [3, 40, 1], false, false, .rowDots(matrixIsA: true)),
        ([3, 40, 10], [3, 1, 40], true, true, .rowCombination(matrixIsA: true)),
        ([3, 1, 10], [3, 10, 40], false, false, .rowCombination(matrixIsA: false)),
        ([3, 10, 1], [3, 40, 10], true, true, .rowDots(matrixIsA: false)),
        ([4, 7], [7, 1], false, false, .rowDots(matrixIsA: true)),          // k not a multiple of 4
        ([1, 7], [7, 1], false, false, .rowDots(matrixIsA: true)),          // a dot product
        ([7, 1], [1, 5], false, false, .outer),
        ([300, 100], [100, 1], false, false, nil),                          // too large: BLAS
        ([5, 6], [6, 3], false, false, nil),                                // no side of 1: BLAS
    ]

    @Test("each shape with a side of 1 takes its loop, and large or general shapes take BLAS")
    func choice() {
        for (aShape, bShape, transposeA, transposeB, expected) in Self.cases {
            let plan = MatMulPlan(aShape, bShape, transposeA: transposeA, transposeB: transposeB, dtype: .float32)
            #expect(plan.loop == expected, "\(aShape) \(bShape) transposeA \(transposeA) transposeB \(transposeB)")
        }
    }

    @Test("loops and BLAS give the definition's numbers exactly", arguments: [DType.float32, .float64])
    func exact(dtype: DType) {
        var generator = SeededGenerator(seed: 31)
        for (aShape, bShape, transposeA, transposeB, _) in Self.cases {
            let a = Self.integers(aShape, dtype: dtype, generator: &generator)
            let b = Self.integers(bShape, dtype: dtype, generator: &generator)
            let product = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
            #expect(product.scalars == Self.definition(a, b, transposeA: transposeA, transposeB: transposeB),
                    "\(aShape) \(bShape) transposeA \(transposeA) transposeB \(transposeB)")
        }
    }
}

/// A matrix tiled over a batch (`broadcast` along new leading axes) is read as one shared
/// operand; anything else that only looks alike is not.
@Suite("Products with a tiled matrix")
struct TiledMatrixProductTests {
    @Test("a tiled B is read once, and the product equals the untiled one to the bit", arguments: [false, true])
    func tiled(transposeB: Bool) {
        var generator = SeededGenerator(seed: 5)
        let a = Tensor.randomNormal([3, 10, 40], dtype: .float32, generator: &generator)
        let matrix = Tensor.randomNormal([40, 40], dtype: .float32, generator: &generator)
        let tiled = matrix.expandingShape(at: 0).broadcast(to: [3, 40, 40])
        #expect(Kernels.sharedMatrixShape(tiled, batchOf: a) == [40, 40])
        #expect(matmul(a, tiled, transposeB: transposeB).scalars == matmul(a, matrix, transposeB: transposeB).scalars)
    }

    @Test("batches that differ, a broadcast inside the batch, a changed buffer: not shared")
    func notShared() {
        var generator = SeededGenerator(seed: 6)
        let a = Tensor.randomNormal([3, 10, 4], generator: &generator)
        let distinct = Tensor.randomNormal([3, 4, 5], generator: &generator)
        #expect(Kernels.sharedMatrixShape(distinct, batchOf: a) == nil)
        // [3, 1, 5] → [3, 4, 5] repeats rows within each batch, not one matrix over the batch.
        let rows = Tensor.randomNormal([3, 1, 5], generator: &generator).broadcast(to: [3, 4, 5])
        #expect(Kernels.sharedMatrixShape(rows, batchOf: a) == nil)
        // A's batch must be B's: [2, 3] tiles over a batch of 3 are not A's batch of 2.
        let tiled = Tensor.randomNormal([4, 5], generator: &generator).expandingShape(at: 0).broadcast(to: [3, 4, 5])
        #expect(Kernels.sharedMatrixShape(tiled, batchOf: Tensor.randomNormal([2, 10, 4], generator: &generator)) == nil)
        // Accumulating into the buffer in place ends the repeat.
        let changed = Tensor.randomNormal([4, 5], generator: &generator).expandingShape(at: 0).broadcast(to: [3, 4, 5])
        Kernels.addInPlace(distinct, into: changed.buffer)
        #expect(Kernels.sharedMatrixShape(changed, batchOf: a) == nil)
    }

    @Test("a compiled function given a tiled matrix first and a general one later computes both right")
    func tiledInputOfACapture() {
        var generator = SeededGenerator(seed: 7)
        let compiled = CompiledFunction { x in [matmul(x[0], x[1])] }
        let a = Tensor.randomNormal([3, 10, 4], generator: &generator)
        let tiled = Tensor.randomNormal([4, 5], generator: &generator).expandingShape(at: 0).broadcast(to: [3, 4, 5])
        let distinct = Tensor.randomNormal([3, 4, 5], generator: &generator)
        // The capture sees the tiled matrix; the replay must not take the next input for one.
        #expect(compiled([a, tiled])[0].scalars == matmul(a, tiled).scalars)
        #expect(compiled([a, distinct])[0].scalars == matmul(a, distinct).scalars)
        #expect(compiled.statistics.replays == 1)
    }
}
