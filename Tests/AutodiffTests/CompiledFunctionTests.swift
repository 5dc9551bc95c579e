import Testing
import Autodiff

/// The bits of every element, to compare results exactly.
func bitPatterns(_ tensors: [Tensor]) -> [[UInt64]] {
    tensors.map { t in t.dtype == .float32 ? t.floats.map { UInt64($0.bitPattern) } : t.scalars.map(\.bitPattern) }
}

/// A small regression loss of w (a [3, 4] matrix) on data x [5, 3] and y [5, 4]:
/// mean((relu(x w + b) - y)²), with b a row that broadcasts.
private func loss(_ w: Tensor, _ b: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor {
    (relu(matmul(x, w) + b) - y).squared.mean()
}

private func randomInputs(seed: UInt64, rows: Int = 5, dtype: DType = .float32) -> [Tensor] {
    var g = SeededGenerator(seed: seed)
    return [Tensor.randomNormal([3, 4], generator: &g).converted(to: dtype),
            Tensor.randomNormal([4], generator: &g).converted(to: dtype),
            Tensor.randomNormal([rows, 3], generator: &g).converted(to: dtype),
            Tensor.randomNormal([rows, 4], generator: &g).converted(to: dtype)]
}

/// First order: the loss and its gradient with respect to w and b.
private func firstOrder(_ inputs: [Tensor]) -> [Tensor] {
    let (x, y) = (inputs[2], inputs[3])
    let gradients = grad { (wb: [Tensor]) in loss(wb[0], wb[1], x, y) }([inputs[0], inputs[1]])
    return [loss(inputs[0], inputs[1], x, y)] + gradients
}

/// Second order: the gradient of the loss after one gradient step (a one-step MAML objective).
private func secondOrder(_ inputs: [Tensor]) -> [Tensor] {
    let (x, y) = (inputs[2], inputs[3])
    return grad { (wb: [Tensor]) in
        let g = grad { (inner: [Tensor]) in loss(inner[0], inner[1], x, y) }(wb)
        return loss(wb[0].addingScaled(g[0], by: -0.1), wb[1].addingScaled(g[1], by: -0.1), x, y)
    }([inputs[0], inputs[1]])
}

@Suite struct CompiledFunctionTests {
    @Test(arguments: [DType.float32, .float64])
    func replayMatchesTheDynamicPathBitForBitAtFirstOrder(dtype: DType) {
        let compiled = CompiledFunction(firstOrder)
        for seed in 0..<5 as Range<UInt64> {
            let inputs = randomInputs(seed: seed, dtype: dtype)
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(firstOrder(inputs)))
        }
        #expect(compiled.statistics == .init(captures: 1, replays: 4, dynamicRuns: 0))
    }

    @Test(arguments: [DType.float32, .float64])
    func replayMatchesTheDynamicPathBitForBitAtSecondOrder(dtype: DType) {
        let compiled = CompiledFunction(secondOrder)
        for seed in 0..<5 as Range<UInt64> {
            let inputs = randomInputs(seed: seed, dtype: dtype)
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(secondOrder(inputs)))
        }
        #expect(compiled.statistics.replays == 4)
    }

    @Test func newShapesCaptureAnotherProgramAndStillAgree() {
        let compiled = CompiledFunction(secondOrder)
        for rows in [5, 7, 5, 7, 2] {
            let inputs = randomInputs(seed: UInt64(rows), rows: rows)
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(secondOrder(inputs)))
        }
        #expect(compiled.statistics == .init(captures: 3, replays: 2, dynamicRuns: 0))
    }

    @Test func anUnsupportedOperationRunsDynamically() {
        // Permuting has no recording kernel: the capture is refused and every call runs dynamically.
        let body = { (inputs: [Tensor]) -> [Tensor] in
            [grad { (w: Tensor) in (matmul(inputs[2], w.permuted([1, 0]).permuted([1, 0])) - inputs[3]).squared.sum() }(inputs[0])]
        }
        let compiled = CompiledFunction(body)
        for seed in 0..<3 as Range<UInt64> {
            let inputs = randomInputs(seed: seed)
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(body(inputs)))
        }
        #expect(compiled.statistics == .init(captures: 1, replays: 0, dynamicRuns: 2))
        #expect(compiled.dynamicReason(for: randomInputs(seed: 0)) != nil)
    }

    @Test func readingComputedValuesRunsDynamically() {
        // Control flow on a computed value: the program could not follow it, so it is never replayed.
        let body = { (inputs: [Tensor]) -> [Tensor] in
            let s = (inputs[2] * inputs[2]).sum()
            return [s.scalar > 10 ? s * 2 : s]
        }
        let compiled = CompiledFunction(body)
        for seed in 0..<3 as Range<UInt64> {
            let inputs = randomInputs(seed: seed)
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(body(inputs)))
        }
        #expect(compiled.statistics.dynamicRuns == 2)
    }

    @Test func returnedTensorsKeepTheirValuesAcrossReplays() {
        let compiled = CompiledFunction(firstOrder)
        let first = compiled(randomInputs(seed: 1))
        let kept = bitPatterns(first)
        _ = compiled(randomInputs(seed: 2))
        _ = compiled(randomInputs(seed: 3))
        #expect(bitPatterns(first) == kept)
    }

    @Test func fusedChainsAndRepeatedWorkGiveTheSameBits() {
        // (a + b) · c − a fuses into one loop; the second matmul and sum repeat the first ones.
        let body = { (x: [Tensor]) -> [Tensor] in
            let chain = ((x[0] + x[1]) * x[2] - x[0]) / x[1]
            return [chain, matmul(x[0], x[1]) + matmul(x[0], x[1]), chain.sum() + chain.sum()]
        }
        let compiled = CompiledFunction(body)
        var g = SeededGenerator(seed: 4)
        for _ in 0..<3 {
            let inputs = (0..<3).map { _ in Tensor.randomNormal([6, 6], generator: &g) }
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(body(inputs)))
        }
        // Captured: add, multiply, subtract, divide, 2 matmuls, add, 2 sums, add.
        #expect(compiled.instructionCount(for: [Tensor.zeros([6, 6]), .zeros([6, 6]), .zeros([6, 6])]).map { $0 < 10 } == true)
    }

    @Test("relu's and abs's backward masks fuse into the multiply that reads them, with the same bits",
          arguments: [DType.float32, .float64])
    func masksFuseIntoTheirProduct(dtype: DType) {
        // The gradients of Σ relu(x)·y and Σ |x|·y are y·1[x > 0] and y·sign(x): a mask kernel, then a multiply.
        let body = { (x: [Tensor]) -> [Tensor] in
            grad { (v: [Tensor]) in (relu(v[0]) * x[1]).sum() + (abs(v[1]) * x[1]).sum() }([x[0], x[0]])
        }
        let compiled = CompiledFunction(body)
        var g = SeededGenerator(seed: 8)
        for _ in 0..<3 {
            // Zeros among the values: the masks' ties, where step gives 0 and sign 0.
            let x = Tensor.randomNormal([7, 5], generator: &g).converted(to: dtype) * (Tensor.randomNormal([7, 5], generator: &g) .> 0).converted(to: dtype)
            let inputs = [x, Tensor.randomNormal([7, 5], generator: &g).converted(to: dtype)]
            #expect(bitPatterns(compiled(inputs)) == bitPatterns(body(inputs)))
        }
        // The seed broadcast to [7, 5] and its product with y (each run once, both terms read them),
        // then step and sign each inside the multiply that reads it: four kernels instead of six.
        let zeros = [Tensor.zeros([7, 5], dtype: dtype), .zeros([7, 5], dtype: dtype)]
        #expect(compiled.instructionCount(for: zeros) == 4)
    }

    @Test func aCompiledFunctionInsideAnotherIsCapturedWithIt() {
        let inner = CompiledFunction { x in [x[0] * x[1] + x[0]] }
        let outer = CompiledFunction { x in [inner(x)[0] * x[1]] }
        let reference = { (x: [Tensor]) in [(x[0] * x[1] + x[0]) * x[1]] }
        var g = SeededGenerator(seed: 5)
        for _ in 0..<3 {
            let inputs = (0..<2).map { _ in Tensor.randomNormal([4, 3], generator: &g) }
            #expect(bitPatterns(outer(inputs)) == bitPatterns(reference(inputs)))
        }
        #expect(outer.statistics == .init(captures: 1, replays: 2, dynamicRuns: 0))
    }

    @Test func theSameTensorTwiceIsTwoInputs() {
        let body = { (inputs: [Tensor]) -> [Tensor] in [matmul(inputs[0], inputs[1]) + inputs[0]] }
        let compiled = CompiledFunction(body)
        let a = Tensor(rows: [[1, 2], [3, 4]]), b = Tensor(rows: [[0.5, -1], [2, 0.25]])
        #expect(bitPatterns(compiled([a, a])) == bitPatterns(body([a, a])))
        #expect(bitPatterns(compiled([a, b])) == bitPatterns(body([a, b])))
        #expect(compiled.statistics.replays == 1)
    }
}
