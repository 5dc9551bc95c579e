import GraphDiagrams
import Testing

/// What first-order MAML drops, counted on the MAML figure's graph.
@Suite struct MAMLGraphTests {
    /// The figure's network has four parameter tensors (w1, b1, w2, b2).
    let parameterCount = 4

    /// Second order records a backward-of-backward pass (order 2); first order never does.
    @Test(arguments: [1, 2])
    func onlySecondOrderHasOrderTwoNodes(steps: Int) throws {
        let second = try DiagramPresets.maml(steps: steps).nodeCounts()
        let first = try DiagramPresets.maml(steps: steps, firstOrder: true).nodeCounts()
        #expect((second[2] ?? 0) > 0)
        #expect(first.keys.max() == 1)
    }

    /// Each recorded inner gradient is one backward pass through the same loss as FO-MAML's
    /// outer pass, so it has exactly as many nodes: order 1 holds K of them in MAML, one in FO-MAML.
    /// In FO-MAML the step α·g multiplies two constants, so each parameter's update has one node fewer.
    @Test(arguments: [1, 2, 3])
    func firstOrderKeepsForwardAndDropsTheInnerGradients(steps: Int) throws {
        let second = try DiagramPresets.maml(steps: steps).nodeCounts()
        let first = try DiagramPresets.maml(steps: steps, firstOrder: true).nodeCounts()
        #expect(second[1] == steps * first[1]!)
        #expect(second[0]! - first[0]! == steps * parameterCount)
    }

    /// With one inner step the second-order graph is the first-order one plus exactly its
    /// backward-of-backward (order 2) nodes and the four α·g products.
    @Test func oneStepDifferenceIsTheOrderTwoNodes() throws {
        let second = try DiagramPresets.maml(steps: 1)
        let first = try DiagramPresets.maml(steps: 1, firstOrder: true)
        #expect(second.nodeCounts().values.reduce(0, +) - first.nodeCounts().values.reduce(0, +)
                == second.nodeCounts()[2]! + parameterCount)
    }

    /// Inner steps and the query loss become clusters; FO-MAML's inner gradients are not in the graph.
    @Test func scopesBecomeClusters() throws {
        let dot = try DiagramPresets.maml(steps: 2).dot()
        #expect(dot.contains("label=\"inner step 1\""))
        #expect(dot.contains("label=\"inner step 2\""))
        #expect(dot.contains("label=\"query loss\""))
        let first = try DiagramPresets.maml(steps: 2, firstOrder: true)
        #expect(!first.nodes.contains { $0.derivativeOrder == 1 && $0.scopePath.first?.hasPrefix("inner step") == true })
    }

    @Test func zeroStepsIsRejected() {
        #expect(throws: DiagramError.invalidSetting("MAML diagrams take 1 to 5 inner steps, got 0")) {
            try DiagramPresets.maml(steps: 0)
        }
    }
}
