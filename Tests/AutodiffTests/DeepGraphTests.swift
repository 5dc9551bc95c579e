import Foundation
import Testing
import Autodiff

/// Runs `body` on a thread with a stack of `bytes` and waits for it: work that recursed once
/// per graph node would overflow such a stack within a few thousand nodes.
func onSmallStack(bytes: Int = 512 << 10, _ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { body(); done.signal() }
    thread.stackSize = bytes
    thread.start()
    done.wait()
}

/// The chain y ← y + ε y², `links` times (3 nodes a link), and its first and second derivatives
/// in plain Double: d ← d (1 + 2εy), s ← s (1 + 2εy) + 2ε d².
enum QuadraticChain {
    static let epsilon = 1e-7

    static func apply(_ x: Tensor, links: Int) -> Tensor {
        var y = x
        for _ in 0..<links { y = y + y * y * epsilon }
        return y
    }

    static func derivatives(at x: Double, links: Int) -> (first: Double, second: Double) {
        var (y, d, s) = (x, 1.0, 0.0)
        for _ in 0..<links {
            (s, d) = (s * (1 + 2 * epsilon * y) + 2 * epsilon * d * d, d * (1 + 2 * epsilon * y))
            y += epsilon * y * y
        }
        return (d, s)
    }
}

/// Long graphs are walked, swept and released without recursion: the stack does not grow with
/// the number of nodes.
@Suite("Deep graphs")
struct DeepGraphTests {
    @Test("grad of a 20,000-link chain and its release run on a 512 kB stack") func longChain() async {
        await #expect(processExitsWith: .success) {
            onSmallStack {
                let g = grad { (x: Tensor) in
                    var y = x
                    for _ in 0..<20_000 { y = y * 1.0000001 + 0 }
                    return y
                }(Tensor(1.0))
                check(Swift.abs(g.scalar - Foundation.pow(1.0000001, 20_000)) < 1e-9, "wrong derivative \(g.scalar)")
            }
        }
    }

    @Test("a 5,000-step unrolled inner loop differentiates to its learning rate and is released on a 512 kB stack")
    func longUnrolledLoop() async {
        await #expect(processExitsWith: .success) {
            onSmallStack {
                // w_k = (1 - 2α a) ⊙ w_{k-1} for L(w) = Σ a w², so d(Σ w_K)/dα = Σ -2aK (1 - 2αa)^(K-1) w₀.
                let (alpha, a, w0, steps) = (1e-4, [1.0, 3.0], [1.0, -2.0], 5000)
                let rate = Tensor(alpha).variable()
                var w = Tensor(w0)
                for _ in 0..<steps { w = w - rate * grad { (v: Tensor) in (v.squared * Tensor(a)).sum() }(w) }
                let got = gradients(of: w.sum(), wrt: [rate])[0].scalar
                let expected = zip(a, w0).reduce(0) { sum, term in
                    sum - 2 * term.0 * Double(steps) * Foundation.pow(1 - 2 * alpha * term.0, Double(steps - 1)) * term.1
                }
                check(Swift.abs(got - expected) <= 1e-9 * Swift.abs(expected), "got \(got), expected \(expected)")
            }
        }
    }

    @Test("a 1,000,000-node graph: first and second derivatives, and its release, on a 512 kB stack")
    func millionNodes() async {
        await #expect(processExitsWith: .success) {
            onSmallStack {
                let links = 333_334  // 3 nodes a link: 1,000,002 nodes
                let (first, second) = QuadraticChain.derivatives(at: 1.0, links: links)
                let f = { (x: Tensor) in QuadraticChain.apply(x, links: links) }
                let g = grad(f)(Tensor(1.0)).scalar
                check(Swift.abs(g - first) <= 1e-10 * first, "first derivative \(g), expected \(first)")
                let h = grad(grad(f))(Tensor(1.0)).scalar
                check(Swift.abs(h - second) <= 1e-10 * second, "second derivative \(h), expected \(second)")
            }
        }
    }
}
