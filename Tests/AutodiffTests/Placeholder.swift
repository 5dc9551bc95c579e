import Testing
import Autodiff

@Test func smoke() {
    let f: (Tensor) -> Tensor = { x in sin(x) * x }
    let x = Tensor(0.7)
    let d1 = grad(f)(x).scalar
    let d2 = grad(grad(f))(x).scalar
    let d3 = grad(grad(grad(f)))(x).scalar
    print(d1, d2, d3)
    #expect(abs(d1 - (Foundation.cos(0.7) * 0.7 + Foundation.sin(0.7))) < 1e-12)
    #expect(abs(d2 - (2 * Foundation.cos(0.7) - 0.7 * Foundation.sin(0.7))) < 1e-12)
    let confusion = grad { (x: Tensor) in x * grad { (y: Tensor) in x + y }(x) }(Tensor(3.0))
    #expect(confusion.scalar == 1)
    let a = Tensor.randomNormal([3, 4], generator: &gen)
    print(a)
}
nonisolated(unsafe) var gen = SeededGenerator(seed: 1)
import Foundation
