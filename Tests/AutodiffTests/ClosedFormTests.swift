import Foundation
import Testing
import Autodiff

@Suite("Closed-form derivatives")
struct ClosedFormTests {
    @Test("d²/dx² sin x = -sin x, element-wise")
    func secondDerivativeOfSine() {
        let x = Tensor([-2, -0.5, 0, 0.3, 1.7, 3])
        let second = grad { (x: Tensor) in grad { (x: Tensor) in sin(x).sum() }(x).sum() }(x)
        for (value, point) in zip(second.scalars, x.scalars) {
            #expect(Swift.abs(value + Foundation.sin(point)) < 1e-14)
        }
    }

    @Test("the third derivative of x³ is 6 everywhere")
    func thirdDerivativeOfCube() {
        let d3 = grad(grad(grad { (x: Tensor) in x * x * x }))
        for point in [-3.0, -1, 0, 0.5, 2] {
            #expect(d3(Tensor(point)).scalar == 6)
        }
    }

    @Test("f, f', f'' and f''' of sin(x) x by nesting grad")
    func nestedGradOfSineTimesX() {
        let f: (Tensor) -> Tensor = { x in sin(x) * x }
        let x = 0.7
        #expect(Swift.abs(grad(f)(Tensor(x)).scalar - (Foundation.sin(x) + x * Foundation.cos(x))) < 1e-14)
        #expect(Swift.abs(grad(grad(f))(Tensor(x)).scalar - (2 * Foundation.cos(x) - x * Foundation.sin(x))) < 1e-14)
        #expect(Swift.abs(grad(grad(grad(f)))(Tensor(x)).scalar - (-3 * Foundation.sin(x) - x * Foundation.cos(x))) < 1e-14)
    }

    @Test("the Hessian of xᵀAx is A + Aᵀ")
    func hessianOfQuadraticForm() {
        let a = Tensor(rows: [[1, 2, 0], [-1, 3, 4], [0.5, 0, -2]])
        let f: (Tensor) -> Tensor = { x in matmul(matmul(x.reshaped([1, 3]), a), x.reshaped([3, 1])).sum() }
        let h = hessian(f, at: Tensor([0.3, -1, 2]))
        #expect(h.shape == [3, 3])
        #expect(h.scalars == (a + a.transposed).scalars)
    }

    @Test("Hessian-vector products match the explicit Hessian")
    func hessianVectorProduct() {
        let f: (Tensor) -> Tensor = { x in (exp(x) * sin(x.sum())).sum() + x.pow(3).sum() }
        let x = Tensor([0.1, -0.4, 0.8, 0.3])
        let v = Tensor([1, -2, 0.5, 3])
        let explicit = matmul(hessian(f, at: x), v.reshaped([4, 1])).flattened()
        let product = Autodiff.hessianVectorProduct(f, at: x, along: v)
        for (p, e) in zip(product.scalars, explicit.scalars) {
            #expect(Swift.abs(p - e) < 1e-12)
        }
    }

    @Test("no perturbation confusion: d/dx [x · d/dy (x + y)] = 1")
    func noPerturbationConfusion() {
        for point in [-2.0, 0, 3] {
            let derivative = grad { (x: Tensor) in x * grad { (y: Tensor) in x + y }(x) }(Tensor(point))
            #expect(derivative.scalar == 1)
        }
    }

    @Test("the gradient with respect to an unused input is zeros of its shape")
    func unusedInputGetsZeros() {
        let grads = grad { (xs: [Tensor]) in xs[0].squared.sum() }([Tensor([1, 2]), Tensor.ones([2, 3])])
        #expect(grads[0].scalars == [2, 4])
        #expect(grads[1].shape == [2, 3] && grads[1].scalars.allSatisfy { $0 == 0 })
        let constant = Tensor([1, 2])
        let viaTape = gradients(of: Tensor([3]).variable().sum(), wrt: [constant])
        #expect(viaTape[0].scalars == [0, 0])
    }

    @Test("at 0, pow(x, p) for p < 1 and sqrt(x) have derivative 0 at every order, never ∞ or NaN")
    func derivativesAtZero() {
        let zero = Tensor([0.0, 0.0])
        let d = { (f: @escaping (Tensor) -> Tensor) in grad { (x: Tensor) in f(x).sum() } }
        let dd = { (f: @escaping (Tensor) -> Tensor) in grad { (x: Tensor) in d(f)(x).sum() } }
        for f: (Tensor) -> Tensor in [{ sqrt($0) }, { pow($0, 0.5) }, { pow($0, 0) }, { pow($0, -1) }, { pow($0, 1.5) }] {
            #expect(d(f)(zero).scalars == [0, 0])
            #expect(dd(f)(zero).scalars == [0, 0])
        }
        // Away from 0 both are 1 / (2√x), and they agree.
        let x = Tensor([0.25, 4])
        #expect(d { sqrt($0) }(x).scalars == [1, 0.25])
        #expect(d { pow($0, 0.5) }(x).scalars == [1, 0.25])
        #expect(d { pow($0, 1.5) }(Tensor([4.0])).scalar == 3)
    }

    @Test("a constant function has a zero gradient")
    func constantFunction() {
        #expect(grad { (x: Tensor) in Tensor(5) }(Tensor([1, 2, 3])).scalars == [0, 0, 0])
    }
}
