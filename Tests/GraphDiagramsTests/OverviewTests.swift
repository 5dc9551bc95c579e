import Autodiff
import GraphDiagrams
import Testing

/// The overview of MAML through K steps: one cluster of three boxes per step, the meta-gradient
/// as one box per step it runs back through, counts that add up to the full graph, and the
/// columns in order on the page.
@Suite struct OverviewTests {
    @Test(arguments: 1...5)
    func oneClusterOfThreeBoxesPerStep(steps: Int) throws {
        let full = try DiagramPresets.maml(steps: steps)
        let overview = full.overview()
        #expect(overview.nodeCounts() == full.nodeCounts())
        for k in 1...steps {
            let boxes = overview.nodes.filter { $0.scopePath == ["inner step \(k)"] }.compactMap(\.name)
            #expect(boxes == ["support loss", "gradient", "update θ" + String(Array("₀₁₂₃₄₅₆₇₈₉")[k])], "step \(k): \(boxes)")
        }
        let backward = overview.nodes.filter { $0.scopePath == ["meta-gradient ∇θ₀"] }.compactMap(\.name)
        #expect(Set(backward) == Set((1...steps).map { "through\ninner step \($0)" } + ["through\nquery loss"]))
        #expect(overview.nodes.allSatisfy { $0.derivativeOrder != 2 || $0.scopePath == ["meta-gradient ∇θ₀"] })
    }

    /// Every arrow of the full graph between two boxes of different groups is counted once in
    /// the overview, and the arrows the meta-gradient reads from each inner step are there.
    @Test func arrowCountsAddUpToTheFullGraph() throws {
        let full = try DiagramPresets.maml(steps: 3)
        let overview = full.overview()
        let group = { (node: DiagramNode) -> String in
            if node.scopePath.isEmpty { return "inputs" }
            if node.derivativeOrder == 2 { return "back " + (node.differentiatedScopePath.first ?? "") }
            return node.scopePath.prefix(2).joined(separator: "/")
        }
        let groupOf = Dictionary(uniqueKeysWithValues: full.nodes.map { ($0.id, group($0)) })
        let crossing = full.edges.filter { groupOf[$0.from] != groupOf[$0.to] }.count
        #expect(overview.edges.reduce(0) { $0 + $1.count } == crossing)
        let fromStep2 = full.edges.filter {
            groupOf[$0.from]!.hasPrefix("inner step 2/") && groupOf[$0.to] == "back inner step 2"
        }.count
        #expect(fromStep2 > 0)
        let dot = overview.dot()
        #expect(dot.contains("label=\"×\(fromStep2)\""), "the arrows from inner step 2 into its backward box are counted")
    }

    /// First-order MAML's overview has no gradient boxes and its meta-gradient runs back
    /// through the query loss only.
    @Test func firstOrderOverview() throws {
        let overview = try DiagramPresets.mamlOverview(steps: 3, firstOrder: true)
        #expect(!overview.nodes.contains { $0.name == "gradient" })
        #expect(overview.nodes.filter { $0.scopePath == ["meta-gradient ∇θ₀"] }.compactMap(\.name) == ["through\nquery loss"])
        #expect(overview.options.title == "First-order MAML: 3 inner steps, overview")
    }

    /// Laid out, the inner steps stand left to right in order, each with its backward box
    /// under it and the meta-gradient below the steps.
    @Test(arguments: 1...5)
    func columnsAreInOrderOnThePage(steps: Int) throws {
        let overview = try DiagramPresets.mamlOverview(steps: steps)
        let layout = try overview.layout()
        let x = { (name: String) in overview.nodes.first { $0.name == name }.flatMap { layout.centres[$0.id]?.x } }
        let y = { (name: String) in overview.nodes.first { $0.name == name }.flatMap { layout.centres[$0.id]?.y } }
        let losses = try (1...steps).map { k in
            let box = try #require(overview.nodes.first { $0.scopePath == ["inner step \(k)"] && $0.name == "support loss" })
            return try #require(layout.centres[box.id]?.x)
        }
        #expect(losses == losses.sorted(), "steps out of order: \(losses)")
        let backward = try (1...steps).map { try #require(x("through\ninner step \($0)")) }
        #expect(backward == backward.sorted(), "backward boxes out of order: \(backward)")
        #expect(try #require(y("through\ninner step 1")) < #require(y("gradient")), "the meta-gradient is drawn below the steps")
    }

    /// One step in full: its operations as they are, everything else grouped around them.
    @Test func detailOfOneStep() throws {
        let full = try DiagramPresets.maml(steps: 3)
        let detail = try DiagramPresets.mamlStep(2, of: 3)
        let members = full.nodes.filter { $0.scopePath.first == "inner step 2" }
        #expect(Set(detail.nodes.filter { $0.kind != .group }.map(\.id)) == Set(members.map(\.id)))
        let groups = detail.nodes.filter { $0.kind == .group }.compactMap(\.name)
        #expect(groups.contains("through\nsupport loss") && groups.contains("through\ngradient"))
        #expect(groups.contains("update θ₁"), "the step's input comes from step 1's update: \(groups)")
        #expect(throws: DiagramError.invalidSetting("--step must be one of the inner steps 1 to 3, got 4")) {
            try DiagramPresets.mamlStep(4, of: 3)
        }
        #expect(throws: DiagramError.self) { try full.detail(ofScope: "no such scope") }
    }

    /// Passes of a formula: one box per pass, chained.
    @Test func passesOfAFormula() throws {
        let overview = try DiagramPresets.expression("sin(x)*exp(x)", order: 4).overview(splitBackwardPasses: false)
        #expect(overview.nodes.compactMap(\.derivativeOrder).sorted() == [0, 0, 1, 2, 3, 4])
        #expect(overview.nodes.filter { $0.kind == .group }.count == 6)
    }
}
