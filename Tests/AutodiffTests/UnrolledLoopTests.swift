import Testing
import Autodiff

/// A gradient step in an unrolled loop must cost the same at step 10 and at step 1000: its
/// backward pass visits the nodes made since its inputs, never the history behind them.
@Suite("Unrolled loops")
struct UnrolledLoopTests {
    /// L(w) = Σ a w² + sin(w₀ w₁) for a w of two entries.
    static func loss(_ w: Tensor) -> Tensor {
        (w.squared * Tensor([1, 3])).sum() + sin(w.sum() * w.sum())
    }

    @Test("the PyTorch style: every step's gradient walks the same nodes, however long the history")
    func pytorchStyle() {
        let rate = Tensor(0.01).variable()
        var w = Tensor([0.5, -0.3]).variable()
        var walked: [Int] = []
        for _ in 0..<1000 {
            let loss = Self.loss(w)
            walked.append(backwardPassNodes(of: loss, wrt: [w]).count)
            w = w - rate * gradients(of: loss, wrt: [w], createGraph: true)[0]
        }
        #expect(Set(walked.dropFirst()).count == 1, "walked \(walked.prefix(3)) ... \(walked.suffix(3))")
        #expect(walked.last! < 30)
        // The outer pass still reaches the whole history.
        #expect(backwardPassNodes(of: w.sum(), wrt: [rate]).count > 1000 * walked.last!)
    }

    @Test("the functional style: grad inside an unrolled loop walks only its own step")
    func functionalStyle() {
        let rate = Tensor(0.01).variable()
        var w = Tensor([0.5, -0.3]).variable()
        var walked: [Int] = []
        for _ in 0..<1000 {
            // What grad does inside: a variable linked to w, and a pass from the loss back to it.
            let v = w.variable()
            walked.append(backwardPassNodes(of: Self.loss(v), wrt: [v]).count)
            w = w - rate * grad(Self.loss)(w)
        }
        #expect(Set(walked).count == 1 && walked[0] < 30)
    }
}
