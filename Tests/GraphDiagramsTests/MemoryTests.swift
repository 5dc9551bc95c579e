import Autodiff
import GraphDiagrams
import Testing

/// The memory view counts exactly the tensors a recorded graph keeps alive for its backward
/// passes, each once.
@Suite struct MemoryTests {
    /// y = Σ sin(x)·x on three Doubles keeps x, sin(x) and the product (24 bytes each) and the
    /// sum (8 bytes): 80 bytes, counted where each is made.
    @Test func smallGraphKeepsItsOutputsOnce() throws {
        let x = Tensor([1, 2, 3]).variable(named: "x")
        let y = (sin(x) * x).sum()
        let picture = diagram(of: y, options: DiagramOptions(showMemory: true))
        #expect(picture.keptBytes == 80)
        #expect(picture.nodes.map(\.keptBytes) == [24, 24, 24, 8])
        let product = try #require(picture.nodes.first { $0.operations == ["multiply"] })
        #expect(product.kept.map(\.role) == ["output", "input 1", "input 2"])
        #expect(product.kept.map(\.isCounted) == [true, false, false])
        #expect(product.kept.map(\.bytes) == [24, 24, 24])
    }

    /// A constant is counted at the first node that reads it; one tensor read twice is counted
    /// once; Float tensors count 4 bytes an element.
    @Test func constantsAndSharedTensorsCountOnce() {
        let x = Tensor(shape: [4], floats: [1, 2, 3, 4]).variable(named: "x")
        let c = Tensor(shape: [4], floats: [2, 2, 2, 2])
        let y = ((x * c) + (x * c)).sum()
        // x 16, c 16, two products 16 each, their sum 16, the total 4.
        #expect(diagram(of: y).keptBytes == 16 + 16 + 16 + 16 + 16 + 4)
    }

    /// A variable re-watched by an inner gradient shares its source's memory (identity node).
    @Test func rewatchedVariablesShareMemory() {
        let x = Tensor([1, 2]).variable(named: "x")
        let inner = x.variable(named: "x again")
        let y = (inner * inner).sum()
        // x 16, the identity 0 (same memory), the product 16, the sum 8.
        #expect(diagram(of: y).keptBytes == 40)
    }

    /// The bytes are those of the distinct tensors the recorded nodes hold (values and inputs),
    /// for MAML through two steps, and they split over scopes without loss.
    @Test func mamlBytesAreTheDistinctTensorsOfTheGraph() throws {
        let picture = try DiagramPresets.maml(steps: 2, options: DiagramOptions(showMemory: true))
        let perScope = Dictionary(grouping: picture.nodes) { $0.scopePath.first ?? "" }.mapValues { $0.reduce(0) { $0 + $1.keptBytes } }
        #expect(perScope.values.reduce(0, +) == picture.keptBytes)
        #expect(perScope["inner step 1"]! > 0 && perScope["inner step 2"]! > 0)
        // Second order keeps each inner gradient's graph: more per step than first order.
        let first = try DiagramPresets.maml(steps: 2, firstOrder: true)
        let firstPerScope = Dictionary(grouping: first.nodes) { $0.scopePath.first ?? "" }.mapValues { $0.reduce(0) { $0 + $1.keptBytes } }
        #expect(perScope["inner step 2"]! > firstPerScope["inner step 2"]!)
        // The overview keeps every byte: its boxes add up to the full graph's.
        #expect(picture.overview().keptBytes == picture.keptBytes)
        #expect(picture.dot().contains("inner step 1 · keeps"))
    }
}
