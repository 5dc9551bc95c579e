import Autodiff
import GraphDiagrams
import Testing

/// Nodes recorded by a backward pass know the scope of the operation they differentiate (the
/// hook the overviews group by).
@Suite struct BackwardScopeTests {
    @Test func backwardNodesNameWhatTheyDifferentiate() {
        let x = Tensor(0.5).variable(named: "x")
        let f = withScope("forward") { sin(x) * x }
        let df = withScope("first pass") { gradients(of: f, wrt: [x], createGraph: true)[0] }
        let ddf = withScope("second pass") { gradients(of: df, wrt: [x], createGraph: true)[0] }
        let order = GraphNode.postOrder(from: [ddf.node!])
        for node in order {
            switch node.derivativeOrder {
            case 0: #expect(node.differentiatedScope == nil)
            case 1: #expect(node.differentiatedScope?.path == ["forward"])
            default: #expect(["forward", "first pass"].contains(node.differentiatedScope?.path.first ?? ""))
            }
        }
        #expect(order.contains { $0.differentiatedScope?.path == ["first pass"] })
    }

    /// An unrecorded backward pass records nothing, and later forward nodes carry no source.
    @Test func unrecordedPassesLeaveNoTrace() {
        let x = Tensor([1, 2]).variable()
        let y = withScope("f") { (x * x).sum() }
        _ = gradients(of: y, wrt: [x])
        let z = (x + 1).sum()
        #expect(z.node?.differentiatedScope == nil)
    }
}
