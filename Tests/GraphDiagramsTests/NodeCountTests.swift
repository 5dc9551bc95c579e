import Autodiff
import Foundation
import GraphDiagrams
import Testing

/// Node counts by derivative order, reasoned from each primitive's VJP.
@Suite struct NodeCountTests {
    /// f(x) = Σ x·x on a vector. Forward: x, multiply, sum (3). Backward: the sum's VJP
    /// broadcasts the constant seed (no node); the product's VJP makes g·x twice and adds
    /// them, since both operands are x (3 nodes of order 1).
    @Test func sumOfSquaresHasThreeForwardAndThreeBackwardNodes() throws {
        let x = Tensor([1, 2, 3]).variable(named: "x")
        let f = (x * x).sum()
        let df = gradients(of: f, wrt: [x], createGraph: true)[0]
        let picture = try Diagram(outputs: [f, df], labels: ["f", "df"])
        #expect(picture.nodeCounts() == [0: 3, 1: 3])
        #expect(df.scalars == [2, 4, 6])
    }

    /// f = sin(x)·x: forward x, sin, multiply (3). First pass: 1·x, 1·sin x, cos x,
    /// (1·x)·cos x, and the add joining x's two cotangents (5). Second pass over those:
    /// two products at the 1·x·cos x node, sin/multiply/negate for cos's VJP, the product
    /// through 1·x plus an add, and cos/multiply/add for the forward sin's VJP (10).
    @Test func gradOfGradPresetCountsNodesOfEachPass() {
        #expect(DiagramPresets.gradOfGrad().nodeCounts() == [0: 3, 1: 5, 2: 10])
    }

    /// Of the first pass, f″ needs only cos x and 1·x (the products' VJPs read operands, not
    /// results); of the forward pass only x itself.
    @Test func secondDerivativeAloneReachesFewerEarlierNodes() {
        let x = Tensor(0.5).variable(named: "x")
        let f = sin(x) * x
        let df = gradients(of: f, wrt: [x], createGraph: true)[0]
        let ddf = gradients(of: df, wrt: [x], createGraph: true)[0]
        #expect(diagram(of: ddf, label: "f″").nodeCounts() == [0: 1, 1: 2, 2: 10])
        #expect(Swift.abs(ddf.scalar - (2 * Foundation.cos(0.5) - 0.5 * Foundation.sin(0.5))) < 1e-12)
    }

    /// Collapsing merges boxes but keeps every primitive: the operations listed across boxes
    /// are exactly the uncollapsed diagram's.
    @Test func collapsingKeepsEveryOperation() {
        let plain = DiagramPresets.adamStep()
        let collapsed = DiagramPresets.adamStep(options: DiagramOptions(collapseElementwiseChains: true))
        #expect(collapsed.nodes.count < plain.nodes.count)
        #expect(collapsed.nodes.flatMap(\.operations).sorted() == plain.nodes.flatMap(\.operations).sorted())
        #expect(collapsed.nodes.contains { $0.operations.count > 1 })
    }

    /// Only straight chains merge (each box takes in at most one element-wise operand). In f′,
    /// the final add takes in (1·x)·cos x; cos x and 1·x also feed the second pass, and 1·sin x
    /// arrives second, so 5 nodes make 4 boxes. In f″, six of the ten nodes are taken in by
    /// their only user (the chains sin→multiply→negate, multiply→multiply→add, cos→multiply→add),
    /// leaving 4 boxes. The forward pass keeps 3: x is a variable, and sin also feeds f′.
    @Test func collapsingMergesOnlyStraightChains() {
        let collapsed = DiagramPresets.gradOfGrad(options: DiagramOptions(collapseElementwiseChains: true))
        #expect(collapsed.nodeCounts() == [0: 3, 1: 4, 2: 4])
        #expect(collapsed.nodes.map(\.operations.count).max() == 3)
    }

    /// Constants add boxes (and edges) of their own but never count as recorded nodes.
    @Test func constantsAreShownOnlyWhenAsked() {
        let hidden = DiagramPresets.gradOfGrad()
        let shown = DiagramPresets.gradOfGrad(options: DiagramOptions(showConstants: true))
        #expect(!hidden.nodes.contains { $0.kind == .constant })
        #expect(shown.nodes.contains { $0.kind == .constant })
        #expect(shown.nodeCounts() == hidden.nodeCounts())
    }
}
