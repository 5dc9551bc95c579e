import Autodiff
import GraphDiagrams
import Testing

/// The text listing: one line per recorded operation, for notes and for `diff`.
@Suite struct ListingTests {
    @Test func oneLinePerOperationWithItsFields() throws {
        let listing = DiagramPresets.gradOfGrad().listing()
        let lines = listing.split(separator: "\n").map(String.init)
        #expect(lines.first == "# f(x) = sin(x)·x, its gradient and the gradient of that")
        #expect(lines.count == 1 + 18)
        #expect(lines[1] == "n0 = variable \"x\" | scalar | order 0")
        #expect(lines[2] == "n1 = sin(n0) | scalar | order 0 | f(x) = sin(x)·x")
        #expect(lines.contains("n7 = add(n3, n6) | scalar | order 1 | f′(x) | differentiates f(x) = sin(x)·x | output \"f′\""))
        #expect(lines.filter { $0.contains("| order 2 |") }.count == 10)
    }

    /// Constants appear as values or shapes among the operands; memory adds a column and a total.
    @Test func constantsShapesAndMemory() {
        let x = Tensor([1, 2, 3]).variable(named: "x")
        let y = (x * Tensor([2, 2, 2]) + 1).sum()
        let listing = diagram(of: y, label: "y", options: DiagramOptions(showMemory: true)).listing()
        #expect(listing.contains("n1 = multiply(n0, constant 3) | [3] | order 0 | keeps 48 B"))
        #expect(listing.contains("n2 = add(n1, 1) | [3] | order 0 | keeps 32 B"))
        // x 24, the product 24 and its constant 24, the sum 24 and its 1 8, the total 8.
        #expect(listing.hasSuffix("# kept for the backward passes: 112 B\n"))
    }

    /// The same computation lists the same; first-order MAML lists no inner gradient.
    @Test func listingsCompareLineByLine() throws {
        #expect(try DiagramPresets.maml(steps: 2).listing() == DiagramPresets.maml(steps: 2).listing())
        let second = try DiagramPresets.maml(steps: 1).listing()
        let first = try DiagramPresets.maml(steps: 1, firstOrder: true).listing()
        #expect(second.contains("inner step 1/gradient"))
        #expect(!first.contains("inner step 1/gradient"))
        #expect(String(decoding: try DiagramPresets.maml(steps: 1).renderData(format: .txt), as: UTF8.self) == second)
    }
}
