import Testing
import Autodiff

/// Element-wise ops, broadcasting and sums take shortcuts for common layouts (equal shapes, a
/// scalar, a trailing block such as a bias row, one run of axes such as the middle axis of
/// per-task rows [T, 1, w] in [T, n, w]) and walk the general broadcast index space otherwise. Every layout is checked here against the definition, written
/// with explicit multi-indices and no kernel code.
@Suite("Broadcast layouts against the index-wise definition")
struct BroadcastLayoutTests {
    /// Shape pairs covering each layout: same, scalar either side, trailing blocks either side
    /// (with and without leading 1s), a run of middle or last axes either side (with size-1 axes
    /// inside the run), and general broadcasts that need the strided walk.
    static let pairs: [([Int], [Int])] = [
        ([2, 3], [2, 3]), ([2, 3], []), ([], [2, 3]), ([4, 2, 3], [3]), ([3], [4, 2, 3]),
        ([4, 2, 3], [1, 2, 3]), ([1, 1, 3], [4, 2, 3]), ([2, 1, 3], [2, 4, 3]), ([2, 4, 3], [2, 1, 3]),
        ([5, 1], [5, 4]), ([5, 4], [5, 1]), ([2, 3, 1, 4, 5], [2, 1, 1, 1, 5]), ([4, 1, 2], [3, 4, 5, 2]),
        ([2, 1], [1, 3]), ([2, 3, 4, 5], [1, 3, 1, 1]), ([2, 1, 4], [1, 3, 1]),
    ]

    /// The row-major multi-index of flat position `flat` in `shape`.
    static func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count), rest = flat
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// The flat position in `shape` that broadcasting reads for the output multi-index `index`.
    static func broadcastRead(_ index: [Int], _ shape: [Int]) -> Int {
        let aligned = Array(index.suffix(shape.count))
        return zip(aligned, shape).reduce(0) { flat, pair in flat * pair.1 + (pair.1 == 1 ? 0 : pair.0) }
    }

    static func values(_ shape: [Int], offset: Double, dtype: DType) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { Double($0) * 0.5 + offset }, dtype: dtype)
    }

    @Test("a ∘ b for every layout, Float and Double", arguments: pairs)
    func binaryOps(_ pair: ([Int], [Int])) {
        for dtype in [DType.float64, .float32] {
            let a = Self.values(pair.0, offset: 1, dtype: dtype), b = Self.values(pair.1, offset: 2, dtype: dtype)
            let rank = max(pair.0.count, pair.1.count)
            let padded = { (shape: [Int]) in Array(repeating: 1, count: rank - shape.count) + shape }
            let shape = zip(padded(pair.0), padded(pair.1)).map { max($0, $1) }
            let count = shape.reduce(1, *)
            let operands = (0..<count).map { flat -> (Double, Double) in
                let index = Self.multiIndex(flat, shape)
                return (a.scalars[Self.broadcastRead(index, pair.0)], b.scalars[Self.broadcastRead(index, pair.1)])
            }
            let cases: [(String, Tensor, (Double, Double) -> Double)] = [
                ("+", a + b, +), ("-", a - b, -), ("/", a / b, /), ("addingScaled", a.addingScaled(b, by: -0.25), { $0 - 0.25 * $1 }),
            ]
            for (name, result, definition) in cases {
                #expect(result.shape == shape, "\(name) \(pair): shape \(result.shape)")
                let expected = operands.map(definition)
                let tolerance = dtype == .float32 ? 1e-6 : 1e-15
                #expect(zip(result.scalars, expected).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) },
                        "\(name) \(pair) \(dtype): \(result.scalars) against \(expected)")
            }
        }
    }

    @Test("broadcast(to:) and sum(toShape:) for every layout", arguments: [
        ([3], [2, 4, 3]), ([], [2, 3]), ([], [7]), ([4], [5, 4]), ([1, 3], [4, 3]), ([2, 1, 3], [2, 4, 3]), ([4, 1], [4, 5]),
        ([1, 1, 1], [2, 2, 2]), ([2, 1, 1, 5], [2, 3, 4, 5]), ([2, 1, 1, 1], [2, 3, 1, 4]), ([1, 3, 1], [2, 3, 4]),
        ([1, 3], [1, 3]), ([3], [1, 3]),
    ] as [([Int], [Int])])
    func broadcastAndSum(_ pair: ([Int], [Int])) {
        let (small, large) = pair
        let x = Self.values(small, offset: 1, dtype: .float64)
        let broadcast = x.broadcast(to: large)
        let reads = (0..<large.reduce(1, *)).map { Self.broadcastRead(Self.multiIndex($0, large), small) }
        #expect(broadcast.scalars == reads.map { x.scalars[$0] })
        // The sum is broadcasting's adjoint: every element of y adds into the element it was read from.
        let y = Self.values(large, offset: -3, dtype: .float64)
        var expected = [Double](repeating: 0, count: max(1, small.reduce(1, *)))
        for (flat, read) in reads.enumerated() { expected[read] += y.scalars[flat] }
        let summed = y.sum(toShape: small)
        #expect(summed.shape == small)
        #expect(zip(summed.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(pair): \(summed.scalars) against \(expected)")
    }
}
