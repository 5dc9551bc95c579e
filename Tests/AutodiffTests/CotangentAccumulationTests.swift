import Testing
import Autodiff

/// A node with several users sums their cotangents; an unrecorded pass adds into the running
/// sum's own buffer. These tests pin down that this never changes a buffer anyone else holds
/// and gives the same numbers as the recorded (allocating) sum.
@Suite("Cotangent accumulation")
struct CotangentAccumulationTests {
    @Test("a node used by several operations gets the sum of their cotangents")
    func sumOverUsers() {
        let x = Tensor([1.0, -2.0, 0.5])
        // f(x) = Σ (2x + 3x + x²) ⇒ f'(x) = 5 + 2x
        let g = grad { (x: Tensor) in (x * 2 + x * 3 + x * x).sum() }(x)
        #expect(g.scalars == [7.0, 1.0, 6.0])
    }

    @Test("a seed the caller holds, passed on unchanged to two inputs, is never written")
    func callerSeedStaysIntact() {
        let x = Tensor([1.0, 2.0, 3.0]).variable()
        let y = x.reshaped([3])
        let seed = Tensor([1.0, 2.0, 3.0])
        // add's VJP hands the same seed to both operands, so y's slot first holds the caller's tensor.
        let dx = gradients(of: y + y, wrt: [x], seed: seed)[0]
        #expect(dx.scalars == [2.0, 4.0, 6.0])
        #expect(seed.scalars == [1.0, 2.0, 3.0])
    }

    @Test("a target's own cotangent is not changed by sums further down the graph")
    func targetCotangentIsIndependent() {
        let x = Tensor([0.5, -1.5]).variable()
        let y = x.variable()  // y is a target and also leads to x
        let out = (y * 4 + y * y).sum()
        let (dy, dx) = { let g = gradients(of: out, wrt: [y, x]); return (g[0], g[1]) }()
        // d/dy = 4 + 2y; x receives exactly y's cotangent.
        #expect(dy.scalars == [5.0, 1.0])
        #expect(dx.scalars == dy.scalars)
    }

    @Test("in-place and recorded accumulation give the same gradients", arguments: [DType.float64, .float32])
    func inPlaceMatchesRecorded(dtype: DType) {
        var generator = SeededGenerator(seed: 5)
        let w = Tensor.randomNormal([4, 4], dtype: dtype, generator: &generator)
        let x = Tensor.randomNormal([3, 4], dtype: dtype, generator: &generator)
        let f = { (w: Tensor) -> Tensor in
            let h = relu(matmul(x, w)) + matmul(x, w) * 0.5
            return (matmul(h, w, transposeB: true) * h.sum(axis: 1, keepingDimensions: true)).sum()
        }
        let wv = w.variable()
        let unrecorded = gradients(of: f(wv), wrt: [wv])[0]
        let wr = w.variable()
        let recorded = gradients(of: f(wr), wrt: [wr], createGraph: true)[0]
        #expect(unrecorded.scalars == recorded.scalars)
    }
}
