/// Matrix products with a side of length 1, run as plain loops instead of BLAS calls.
///
/// With C = op(A) op(B) of size m × n and inner length k, three shapes need no matrix kernel:
/// - k = 1: C[i, j] = a[i] · b[j], an outer product;
/// - n = 1: C[i] = Σₖ op(A)[i, k] · b[k], a matrix times a vector;
/// - m = 1: C[j] = Σₖ a[k] · op(B)[k, j], a vector times a matrix.
/// In each, the length-1 side's operand is one contiguous run (its leading dimension is 1 or the
/// run is its only row), and the other operand is read either row by row (a dot product per
/// output) or as a weighted sum of its rows (one pass per row, every output at once). On the
/// sinusoid network's last layer and gradients (10 × 40 by 40 × 1 and the like) a BLAS call
/// costs 85–150 ns where these loops take a fraction of that. Large products keep BLAS, whose
/// wider vector units win once the call's cost no longer dominates.
enum SmallProduct: Equatable {
    /// C[i, j] = a[i] · b[j].
    case outer
    /// C[r] = Σₖ rows[r, k] · vector[k]: the matrix operand read row by row.
    case rowDots(matrixIsA: Bool)
    /// C = Σₖ vector[k] · rows[k, :]: the matrix operand's rows weighted and summed.
    case rowCombination(matrixIsA: Bool)

    /// Products at most this large (m · n · k multiply-adds) with a side of 1 run as loops.
    static let largestLoopProduct = 16_384

    /// The loop that computes op(A) op(B) for these sizes, or nil when BLAS should.
    init?(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        if k == 1 {
            self = .outer
        } else if m * n * k > Self.largestLoopProduct {
            return nil
        } else if n == 1 {
            // op(A) is m × k: rows of A when untransposed, columns (stored as rows of length m) when transposed.
            self = transposeA ? .rowCombination(matrixIsA: true) : .rowDots(matrixIsA: true)
        } else if m == 1 {
            // op(B) is k × n: rows of B when untransposed, columns (stored as rows of length k) when transposed.
            self = transposeB ? .rowDots(matrixIsA: false) : .rowCombination(matrixIsA: false)
        } else {
            return nil
        }
    }

    /// C = op(A) op(B) for an m × n result with inner length k.
    @_specialize(where S == Float) @_specialize(where S == Double)
    func run<S: TensorScalar>(_ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>,
                              m: Int, n: Int, k: Int) {
        switch self {
        case .outer:
            Kernels.outerProduct(a, b, c, m: m, n: n)
        case .rowDots(let matrixIsA):
            // n = 1: C[i] = A-row i · b (rows of length k); m = 1: C[j] = B-row j · a.
            matrixIsA ? Kernels.rowDots(a, b, c, rows: m, length: k) : Kernels.rowDots(b, a, c, rows: n, length: k)
        case .rowCombination(let matrixIsA):
            // n = 1: C = Σₖ b[k] · A-row k (rows of length m); m = 1: C = Σₖ a[k] · B-row k.
            matrixIsA ? Kernels.rowCombination(a, weights: b, c, rows: k, length: m)
                      : Kernels.rowCombination(b, weights: a, c, rows: k, length: n)
        }
    }
}

extension Kernels {
    /// C = op(A) op(B) for k = 1, an outer product: whatever the transposes, op(A)'s one column
    /// and op(B)'s one row are contiguous runs (a leading dimension of 1 or a length-1 axis), so
    /// C[i, j] = a[i] · b[j].
    @inline(__always)
    static func outerProduct<S: TensorScalar>(
        _ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ c: UnsafeMutablePointer<S>, m: Int, n: Int
    ) {
        for i in 0..<m {
            let scale = a[i], row = c + i * n
            for j in 0..<n { row[j] = scale * b[j] }
        }
    }

    /// out[r] = Σₖ matrix[r, k] · vector[k] for `rows` contiguous rows of `length`.
    ///
    /// Four partial sums run side by side (lane l adds the k ≡ l mod 4 terms), are added
    /// lane 0 + 1 + 2 + 3, and the last k mod 4 terms follow in order: a fixed order, so every
    /// call on the same numbers gives the same bits.
    @inline(__always)
    static func rowDots<S: TensorScalar>(_ matrix: UnsafeMutablePointer<S>, _ vector: UnsafeMutablePointer<S>,
                                         _ out: UnsafeMutablePointer<S>, rows: Int, length: Int) {
        let whole = length & ~3
        for r in 0..<rows {
            let row = matrix + r * length
            var lanes = SIMD4<S>()
            for k in stride(from: 0, to: whole, by: 4) {
                lanes += Kernels.lanes(row + k) * Kernels.lanes(vector + k)
            }
            var total = lanes[0] + lanes[1] + lanes[2] + lanes[3]
            for k in whole..<length { total += row[k] * vector[k] }
            out[r] = total
        }
    }

    /// out = Σₖ weights[k] · matrix[k, :] for `rows` contiguous rows of `length`, summed in row order.
    @inline(__always)
    static func rowCombination<S: TensorScalar>(_ matrix: UnsafeMutablePointer<S>, weights: UnsafeMutablePointer<S>,
                                                _ out: UnsafeMutablePointer<S>, rows: Int, length: Int) {
        let first = weights[0]
        for j in 0..<length { out[j] = first * matrix[j] }
        for k in 1..<rows {
            let weight = weights[k], row = matrix + k * length
            for j in 0..<length { out[j] += weight * row[j] }
        }
    }
}
