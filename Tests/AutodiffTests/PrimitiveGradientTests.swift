import Testing
import Autodiff

/// One op under test: a name, the op, and the shapes and value ranges of its inputs.
struct OpCase: CustomTestStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    /// Inputs are drawn uniformly from this range (kept away from kinks and poles where needed).
    let range: ClosedRange<Double>
    let op: @Sendable ([Tensor]) -> Tensor

    init(_ name: String, _ shapes: [[Int]], range: ClosedRange<Double> = -1.5...1.5,
         _ op: @escaping @Sendable ([Tensor]) -> Tensor) {
        (self.name, self.shapes, self.range, self.op) = (name, shapes, range, op)
    }

    var testDescription: String { "\(name) \(shapes)" }

    /// Deterministic inputs for this case.
    func inputs(seed: UInt64 = 11) -> [Tensor] {
        var generator = SeededGenerator(seed: seed)
        return shapes.map { Tensor.randomUniform($0, low: range.lowerBound, high: range.upperBound, generator: &generator) }
    }

    /// Inputs whose entries are all at least `gap` away from zero (for relu, abs and sign kinks).
    func inputsAwayFromZero(gap: Double = 0.2) -> [Tensor] {
        inputs().map { t in Tensor(shape: t.shape, scalars: t.scalars.map { $0 >= 0 ? $0 + gap : $0 - gap }) }
    }
}

/// Every primitive (and the composites built on them), on several shapes, with broadcasting.
let opCases: [OpCase] = [
    OpCase("add", [[2, 3], [2, 3]]) { $0[0] + $0[1] },
    OpCase("add broadcast row", [[2, 3], [3]]) { $0[0] + $0[1] },
    OpCase("add broadcast both", [[2, 1], [1, 3]]) { $0[0] + $0[1] },
    OpCase("add scalar", [[3], []]) { $0[0] + $0[1] },
    OpCase("subtract broadcast", [[4, 1, 2], [3, 1]]) { $0[0] - $0[1] },
    OpCase("addingScaled", [[2, 3], [2, 3]]) { $0[0].addingScaled($0[1], by: -0.3) },
    OpCase("addingScaled broadcast", [[2, 1, 3], [4, 1]]) { $0[0].addingScaled($0[1], by: 1.7) },
    OpCase("multiply", [[2, 3], [2, 3]]) { $0[0] * $0[1] },
    OpCase("multiply broadcast", [[2, 1, 3], [4, 1]]) { $0[0] * $0[1] },
    OpCase("divide", [[2, 3], [3]], range: 0.5...2) { $0[0] / $0[1] },
    OpCase("divide by scalar tensor", [[2, 2], []], range: 0.5...2) { $0[0] / $0[1] },
    OpCase("subtract from a row", [[3], [2, 3]]) { $0[0] - $0[1] },
    OpCase("divide a scalar by a tensor", [[], [2, 2]], range: 0.5...2) { $0[0] / $0[1] },
    OpCase("negate", [[3, 2]]) { -$0[0] },
    OpCase("exp", [[2, 3]]) { exp($0[0]) },
    OpCase("log", [[2, 3]], range: 0.5...3) { log($0[0]) },
    OpCase("sin", [[5]]) { sin($0[0]) },
    OpCase("cos", [[5]]) { cos($0[0]) },
    OpCase("sqrt", [[2, 2]], range: 0.5...3) { sqrt($0[0]) },
    OpCase("tanh", [[2, 3]]) { tanh($0[0]) },
    OpCase("sigmoid", [[2, 3]]) { sigmoid($0[0]) },
    OpCase("pow 3", [[4]]) { $0[0].pow(3) },
    OpCase("pow 0.5", [[4]], range: 0.5...2) { $0[0].pow(0.5) },
    OpCase("pow -1", [[4]], range: 0.5...2) { $0[0].pow(-1) },
    OpCase("pow tensor exponent", [[3], [3]], range: 0.5...2) { pow($0[0], $0[1]) },
    OpCase("maximum", [[6], [6]]) { maximum($0[0], $0[1]) },
    OpCase("minimum broadcast", [[2, 3], [3]]) { minimum($0[0], $0[1]) },
    OpCase("select", [[2, 3], [2, 3]]) { select(Tensor(rows: [[1, 0, 1], [0, 1, 0]]), $0[0], $0[1]) },
    OpCase("reshape", [[2, 3]]) { $0[0].reshaped([3, 2]) * Tensor(rows: [[1, 2], [3, 4], [5, 6]]) },
    OpCase("broadcast", [[3, 1]]) { $0[0].broadcast(to: [2, 3, 4]) },
    OpCase("broadcast a row", [[4]]) { $0[0].broadcast(to: [2, 3, 4]) },
    OpCase("sum leading axes", [[2, 3, 4]]) { $0[0].sum(toShape: [3, 4]) },
    OpCase("sum all", [[2, 3]]) { $0[0].sum() },
    OpCase("sum axis 0", [[2, 3]]) { $0[0].sum(axis: 0) },
    OpCase("sum axes keeping", [[2, 3, 4]]) { $0[0].sum(axes: [0, 2], keepingDimensions: true) },
    OpCase("mean axis -1", [[3, 4]]) { $0[0].mean(axis: -1) },
    OpCase("variance", [[3, 4]]) { $0[0].variance(axes: [1]) },
    OpCase("max axis", [[3, 4]]) { $0[0].max(axis: 1) },
    OpCase("max all", [[2, 3]]) { $0[0].max() },
    OpCase("min axes", [[2, 3, 2]]) { $0[0].min(axes: [0, 2]) },
    OpCase("permute", [[2, 3, 4]]) { $0[0].permuted([2, 0, 1]) },
    OpCase("transpose", [[3, 2]]) { $0[0].transposed },
    OpCase("slice", [[4, 5]]) { $0[0].sliced(lower: [1, 0], upper: [3, 4]) },
    OpCase("slice axis", [[3, 6]]) { $0[0].sliced(axis: 1, 2..<5) },
    OpCase("pad", [[2, 2]]) { $0[0].padded(lower: [1, 2], toShape: [4, 5]) },
    OpCase("gather repeated", [[4, 3]]) { $0[0].gathered(axis: 0, indices: [2, 0, 2, 3]) },
    OpCase("gather axis 1", [[2, 4]]) { $0[0].gathered(axis: 1, indices: [3, 1]) },
    OpCase("scatterAdd", [[3, 2]]) { $0[0].scatterAdd(axis: 0, indices: [1, 1, 4], size: 5) },
    OpCase("take", [[2, 3]]) { $0[0].take(indices: [5, 0, 0, 3], shape: [2, 2]) },
    OpCase("put", [[4]]) { $0[0].put(indices: [1, 4, 1, 0], shape: [2, 3]) },
    OpCase("concat", [[2, 3], [1, 3]]) { concat([$0[0], $0[1]], axis: 0) },
    OpCase("concat axis 1", [[2, 1], [2, 3]]) { concat([$0[0], $0[1]], axis: 1) },
    OpCase("stack", [[3], [3]]) { stack([$0[0], $0[1]], axis: 1) },
    OpCase("matmul", [[2, 3], [3, 4]]) { matmul($0[0], $0[1]) },
    OpCase("matmul Aᵀ", [[3, 2], [3, 4]]) { matmul($0[0], $0[1], transposeA: true) },
    OpCase("matmul Bᵀ", [[2, 3], [4, 3]]) { matmul($0[0], $0[1], transposeB: true) },
    OpCase("matmul AᵀBᵀ", [[3, 2], [4, 3]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    OpCase("matmul batched shared B", [[2, 3, 4], [4, 2]]) { matmul($0[0], $0[1]) },
    OpCase("matmul outer product", [[2, 3, 1], [2, 1, 4]]) { matmul($0[0], $0[1]) },
    OpCase("matmul outer product transposed", [[1, 3], [4, 1]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    OpCase("matmul outer product Aᵀ", [[1, 3], [1, 4]]) { matmul($0[0], $0[1], transposeA: true) },
    OpCase("matmul outer product Bᵀ", [[2, 3, 1], [4, 1]]) { matmul($0[0], $0[1], transposeB: true) },
    OpCase("matmul batched shared A", [[3, 4], [2, 4, 2]]) { matmul($0[0], $0[1]) },
    OpCase("matmul batch broadcast", [[2, 1, 2, 3], [3, 3, 2]]) { matmul($0[0], $0[1]) },
    OpCase("matmul matrix · vector", [[2, 3, 5], [2, 5, 1]]) { matmul($0[0], $0[1]) },
    OpCase("matmul Aᵀ · vector", [[5, 3], [1, 5]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    OpCase("matmul vector · matrix", [[2, 1, 6], [2, 6, 3]]) { matmul($0[0], $0[1]) },
    OpCase("matmul vector · Bᵀ", [[6, 1], [3, 6]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    OpCase("matmul tiled B", [[2, 3, 4], [4, 5]]) { matmul($0[0], $0[1].expandingShape(at: 0).broadcast(to: [2, 4, 5])) },
    OpCase("matmul Aᵀ tiled Bᵀ", [[2, 4, 3], [5, 4]]) {
        matmul($0[0], $0[1].expandingShape(at: 0).broadcast(to: [2, 5, 4]), transposeA: true, transposeB: true)
    },
    OpCase("conv2d", [[2, 2, 5, 5], [3, 2, 3, 3], [3]]) { conv2d($0[0], filters: $0[1], bias: $0[2]) },
    OpCase("conv2d stride 2 padding 1", [[1, 1, 5, 4], [2, 1, 3, 3]]) { conv2d($0[0], filters: $0[1], stride: 2, padding: 1) },
    OpCase("maxPool2d", [[1, 2, 4, 5]]) { maxPool2d($0[0]) },
    OpCase("maxPool2d 3x3, cropped", [[2, 1, 7, 8]]) { maxPool2d($0[0], size: 3) },
    OpCase("batchNormMaxPool", [[3, 2, 4, 4], [2], [2]]) { batchNormMaxPool($0[0], scale: $0[1], offset: $0[2]) },
    OpCase("batchNorm batch statistics", [[4, 2, 2, 2], [2], [2]]) { batchNorm($0[0], scale: $0[1], offset: $0[2]) },
    OpCase("batchNorm on [N, C]", [[5, 3], [3], [3]]) { batchNorm($0[0], scale: $0[1], offset: $0[2]) },
    OpCase("batchNorm given statistics", [[3, 2], [2], [2], [2], [2]], range: 0.5...1.5) {
        batchNorm($0[0], mean: $0[1], variance: $0[2], scale: $0[3], offset: $0[4])
    },
    OpCase("softmax", [[2, 4]]) { softmax($0[0]) },
    OpCase("logSoftmax axis 0", [[3, 2]]) { logSoftmax($0[0], axis: 0) },
    OpCase("logSumExp", [[2, 5]]) { logSumExp($0[0], axis: 1) },
    OpCase("crossEntropy", [[4, 3]]) { crossEntropy(logits: $0[0], labels: [0, 2, 1, 2]) },
    OpCase("meanSquaredError", [[3, 1], [3, 1]]) { meanSquaredError($0[0], $0[1]) },
]

/// Ops with kinks at zero, checked on inputs kept away from it.
let kinkedOpCases: [OpCase] = [
    OpCase("relu", [[2, 4]]) { relu($0[0]) },
    OpCase("abs", [[2, 4]]) { abs($0[0]) },
    OpCase("meanAbsoluteError", [[4], [4]]) { meanAbsoluteError($0[0], $0[1] * 0) },
]

@Suite("Every primitive against finite differences")
struct PrimitiveGradientTests {
    @Test("first and second order (the VJP of the VJP)", arguments: opCases)
    func firstAndSecondOrder(_ c: OpCase) throws {
        try checkGradients(scalarized(c.op), at: c.inputs(), order: 2)
    }

    @Test("first and second order away from kinks", arguments: kinkedOpCases)
    func kinked(_ c: OpCase) throws {
        try checkGradients(scalarized(c.op), at: c.inputsAwayFromZero(), order: 2)
    }

    @Test("Float gradients agree with Double ones", arguments: opCases.filter { !["pow tensor exponent", "reshape", "select"].contains($0.name) })
    func floatMatchesDouble(_ c: OpCase) {
        let f = scalarized(c.op)
        let doubles = c.inputs()
        let wrappedFloat: ([Tensor]) -> Tensor = { xs in
            let y = c.op(xs)
            var generator = SeededGenerator(seed: 3)
            let w = Tensor.randomNormal(y.shape, dtype: .float32, generator: &generator)
            return (w * sin(y)).sum()
        }
        let expected = grad(f)(doubles)
        let actual = grad(wrappedFloat)(doubles.map { $0.converted(to: .float32) })
        for (e, a) in zip(expected, actual) {
            #expect(a.dtype == .float32)
            for (x, y) in zip(e.scalars, a.scalars) {
                #expect(relativeError(x, y) < 1e-4, "\(c.name): \(x) vs \(y)")
            }
        }
    }
}
