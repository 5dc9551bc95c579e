import Testing
import Autodiff

/// A function differentiated by `grad` may read tracked tensors it was not given: variables of
/// an enclosing differentiation, or ones its closure captured. Their derivatives must flow
/// through the inner gradient, to every order and in both styles of the API.
@Suite("Tracked tensors captured by grad")
struct CapturedTensorTests {
    @Test("d/dx [x · d/dy (x y²)] at y = 1 is 4x (6 at x = 1.5)")
    func capturedVariable() {
        let x = Tensor(1.5).variable()
        let inner = grad { (y: Tensor) in x * y * y }(Tensor(1.0))
        #expect(inner.scalar == 3)
        #expect(gradients(of: x * inner, wrt: [x])[0].scalar == 6)
    }

    @Test("a hyper-gradient through one SGD step reaches a captured regularization weight: -0.4")
    func capturedHyperparameter() {
        // w₁ = w₀ - 0.1 (2(w₀ - 1) + 2λw₀), so dw₁/dλ = -0.2 w₀ = -0.4 at w₀ = 2.
        let lam = Tensor(0.1).variable(), w0 = Tensor(2.0)
        let w1 = w0 - 0.1 * grad { (w: Tensor) in (w - 1).squared + lam * w.squared }(w0)
        #expect(gradients(of: w1, wrt: [lam])[0].scalar == -0.4)
    }

    @Test("valueAndGrad keeps both the value and the gradient tracked through a captured variable")
    func valueAndGradCaptured() {
        let x = Tensor(1.5).variable()
        let (value, gradient) = valueAndGrad { (y: Tensor) in x * y * y }(Tensor(2.0))
        #expect(gradients(of: value, wrt: [x])[0].scalar == 4)       // y²
        #expect(gradients(of: gradient, wrt: [x])[0].scalar == 4)    // 2y
        let named = valueAndGrad { (p: Parameters) in (x * p.require("w")).squared }(["w": Tensor(3.0)])
        #expect(gradients(of: named.gradient.require("w"), wrt: [x])[0].scalar == 4 * 1.5 * 3)  // d/dx 2x²w = 4xw
    }

    @Test("a value that reads only captured tensors stays tracked")
    func valueOfCapturedOnly() {
        let x = Tensor(3.0).variable()
        let (value, gradient) = valueAndGrad { (_: Tensor) in x.squared }(Tensor(1.0))
        #expect(gradient.scalar == 0)
        #expect(gradients(of: value, wrt: [x])[0].scalar == 6)
    }

    @Test("captured tensors get exact gradients to third order, checked by finite differences",
          arguments: [0.4, 1.3])
    func capturedToThirdOrder(point: Double) throws {
        // g(x) = x · ∂/∂y [sin(x y) y²] at y = 0.7: every order of x-derivative goes through the inner grad.
        let f = { (x: Tensor) in x * grad { (y: Tensor) in sin(x * y) * y * y }(Tensor(0.7)) }
        try checkGradients(f, at: Tensor([point]), order: 3, tolerance: 1e-5)
        let unrolled = { (alpha: Tensor) -> Tensor in
            var w = Tensor([0.5, -1.2])
            for _ in 0..<3 { w = w - alpha * grad { (v: Tensor) in (exp(alpha * v) + v.squared).sum() }(w) }
            return w.squared.sum()
        }
        try checkGradients(unrolled, at: Tensor(point / 4), order: 3, tolerance: 1e-5)
    }

    @Test("the PyTorch style with captured variables, alone and mixed with grad")
    func pytorchStyle() throws {
        let x = Tensor(1.5).variable()
        let y = Tensor(1.0).variable()
        let inner = gradients(of: x * y * y, wrt: [y], createGraph: true)[0]
        #expect(gradients(of: x * inner, wrt: [x])[0].scalar == 6)
        // grad inside, gradients outside, to second order.
        let g = grad { (y: Tensor) in x * x * y * y }(Tensor(1.0))  // 2x²y = 2x²
        let dg = gradients(of: g, wrt: [x], createGraph: true)[0]   // 4x
        #expect(dg.scalar == 6)
        #expect(gradients(of: dg, wrt: [x])[0].scalar == 4)
        // gradients inside, grad outside.
        let outer = grad { (x: Tensor) -> Tensor in
            let v = Tensor(2.0).variable()
            return x * gradients(of: x * v * v, wrt: [v], createGraph: true)[0]  // x · 2xv = 4x²
        }
        #expect(outer(Tensor(1.5)).scalar == 12)
        try checkGradients({ x in grad { (y: Tensor) in x * x * y * y * y }(x) }, at: Tensor(0.8), order: 3)
    }

    @Test("with nothing tracked outside, a gradient is a constant")
    func topLevelGradientIsConstant() {
        let c = Tensor(2.0)
        let g = grad { (y: Tensor) in c * y * y }(Tensor(1.0))
        #expect(!g.isTracked && g.scalar == 4)
        let (value, _) = valueAndGrad { (y: Tensor) in y.squared }(Tensor(3.0))
        #expect(!value.isTracked)
    }
}
