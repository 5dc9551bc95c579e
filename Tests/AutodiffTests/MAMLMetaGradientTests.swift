import Testing
import Autodiff

/// MAML on the linear model ŷ = w x with one inner gradient step, derived by hand.
///
/// Inner (support) loss: Lₛ(w) = mean((w xₛ - yₛ)²), so ∇Lₛ(w) = 2 (w Sxx - Sxy) with
/// Sxx = mean(xₛ²) and Sxy = mean(xₛ yₛ). One step: w' = w - α ∇Lₛ(w).
/// Outer (query) loss: L_q(w') = mean((w' x_q - y_q)²), ∂L_q/∂w' = 2 (w' Qxx - Qxy).
/// Chain rule: dw'/dw = 1 - 2α Sxx, so the MAML meta-gradient is
///     dL_q/dw = 2 (w' Qxx - Qxy) (1 - 2α Sxx),
/// and first-order MAML drops the second factor: 2 (w' Qxx - Qxy).
///
/// With xₛ = [1, 2], yₛ = [2, 3], w = 0.5, α = 0.1, x_q = [3], y_q = [1]:
/// Sxx = 2.5, Sxy = 4, ∇Lₛ = 2 (1.25 - 4) = -5.5, w' = 0.5 + 0.55 = 1.05;
/// Qxx = 9, Qxy = 3, ∂L_q/∂w' = 2 (9.45 - 3) = 12.9; dw'/dw = 1 - 0.5 = 0.5;
/// meta-gradient = 6.45, first-order = 12.9.
@Suite("MAML meta-gradient of a linear model, by hand")
struct MAMLMetaGradientTests {
    let xs = Tensor([1, 2]), ys = Tensor([2, 3])
    let xq = Tensor([3]), yq = Tensor([1])
    let alpha = 0.1

    func loss(_ w: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { (w * x - y).squared.mean() }

    func metaObjective(_ w: Tensor) -> Tensor {
        let adapted = w - alpha * grad { (w: Tensor) in loss(w, xs, ys) }(w)
        return loss(adapted, xq, yq)
    }

    @Test("second order: 2 (w' Qxx - Qxy)(1 - 2α Sxx) = 6.45")
    func secondOrder() {
        let g = grad(metaObjective)(Tensor(0.5)).scalar
        #expect(Swift.abs(g - 6.45) < 1e-12)
    }

    @Test("first order drops dw'/dw: 12.9")
    func firstOrder() {
        let g = withFirstOrderGradients { grad(metaObjective)(Tensor(0.5)).scalar }
        #expect(Swift.abs(g - 12.9) < 1e-12)
    }

    @Test("PyTorch style: variables, createGraph and a backward pass give the same")
    func tapeStyle() {
        let w = Tensor(0.5).variable(named: "w")
        let inner = gradients(of: loss(w, xs, ys), wrt: [w], createGraph: true)[0]
        let adapted = w - alpha * inner
        let outer = gradients(of: loss(adapted, xq, yq), wrt: [w])[0]
        #expect(Swift.abs(outer.scalar - 6.45) < 1e-12)
        #expect(!outer.isTracked)
        let detachedInner = gradients(of: loss(w, xs, ys), wrt: [w], createGraph: false)[0]
        let firstOrder = gradients(of: loss(w - alpha * detachedInner, xq, yq), wrt: [w])[0]
        #expect(Swift.abs(firstOrder.scalar - 12.9) < 1e-12)
    }

    @Test("stopGradient on the inner gradient equals first order")
    func stopGradientIsFirstOrder() {
        let g = grad { (w: Tensor) in
            let inner = stopGradient(grad { (w: Tensor) in loss(w, xs, ys) }(w))
            return loss(w - alpha * inner, xq, yq)
        }(Tensor(0.5))
        #expect(Swift.abs(g.scalar - 12.9) < 1e-12)
    }
}
