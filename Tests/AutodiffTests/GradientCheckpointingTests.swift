import Testing
import Autodiff

/// Counts how often a checkpointed body runs, and remembers one node it made.
final class BodyProbe: @unchecked Sendable {
    var runs = 0
    weak var node: GraphNode?
}

/// A few steps of a nonlinear map that reads a captured variable `c`: the same code is run
/// plainly and inside `checkpointed`, and every gradient must agree to the last bit.
func steps(_ x: Tensor, _ c: Tensor, count: Int, probe: BodyProbe? = nil) -> [Tensor] {
    probe?.runs += 1
    var y = x, outputs: [Tensor] = []
    for _ in 0..<count {
        let g = grad { (v: Tensor) in (sin(v * c) * v).sum() }(y)   // a recorded inner gradient
        y = y - 0.3 * g + c * y.squared
        outputs.append(y)
    }
    probe?.node = y.node
    return outputs
}

@Suite("Gradient checkpointing")
struct GradientCheckpointingTests {
    let x0 = Tensor([0.3, -0.7, 1.1])
    let c0 = Tensor(0.4)

    /// The loss of `outputs`, with every output used (the middle one twice).
    func loss(_ outputs: [Tensor]) -> Tensor {
        (outputs[0] * outputs[1]).sum() + outputs[1].squared.sum() + exp(outputs[2]).sum()
    }

    @Test("gradients through a checkpointed segment equal the stored ones bit for bit, and the body runs once more")
    func bitIdentical() {
        let stored = grad { (xs: [Tensor]) in loss(steps(xs[0], xs[1], count: 3)) }([x0, c0])
        let probe = BodyProbe()
        let (value, rematerialized) = valueAndGrad { (p: Parameters) -> Tensor in
            let (x, c) = (p.require("x"), p.require("c"))
            return loss(checkpointed { steps(x, c, count: 3, probe: probe) })
        }(["x": x0, "c": c0])
        #expect(probe.runs == 2)
        #expect(rematerialized.require("x").scalars == stored[0].scalars)
        #expect(rematerialized.require("c").scalars == stored[1].scalars)
        #expect(value.scalar == loss(steps(x0, c0, count: 3)).scalar)
    }

    @Test("the segment's own graph is released as soon as it returns")
    func graphReleased() {
        let x = x0.variable(), c = c0.variable()
        let probe = BodyProbe()
        let outputs = checkpointed { steps(x, c, count: 2, probe: probe) }
        #expect(probe.node == nil)
        #expect(outputs.allSatisfy { $0.isTracked })
        let kept = steps(x, c, count: 2, probe: probe)
        #expect(probe.node != nil && kept.count == 2)
    }

    @Test("nested and chained segments, captured tensors and pass-through outputs, to third order")
    func higherOrders() throws {
        let f = { (xs: [Tensor]) -> Tensor in
            let (x, c) = (xs[0], xs[1])
            let first = checkpointed { steps(x, c, count: 2) + [c] }         // c passes through as it is
            let second = checkpointed { checkpointed { steps(first[1], c, count: 1) } + [first[0] * 2] }
            return loss([first[0], second[0], second[1]])
        }
        let plain = { (xs: [Tensor]) -> Tensor in
            let first = steps(xs[0], xs[1], count: 2)
            let second = steps(first[1], xs[1], count: 1)
            return loss([first[0], second[0], first[0] * 2])
        }
        #expect(grad(f)([x0, c0]).map(\.scalars) == grad(plain)([x0, c0]).map(\.scalars))
        try checkGradients(f, at: [x0, c0], order: 3, tolerance: 1e-5)
    }

    @Test("constant and passed-through outputs come back as they are, and no recording means no segment")
    func constants() {
        let c = c0.variable()
        #expect(checkpointed { [c * 2, c] }[1].node === c.node)
        let outputs = checkpointed { [Tensor([1, 2]) * 3] }
        #expect(!outputs[0].isTracked && outputs[0].scalars == [3, 6])
        let x = x0.variable()
        let unrecorded = withoutRecording { checkpointed { [x * 2] } }
        #expect(!unrecorded[0].isTracked)
    }
}
