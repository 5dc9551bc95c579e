import Autodiff
import GraphDiagrams
import Testing

/// Bad input gets an error that names the problem and the fix.
@Suite struct ErrorTests {
    @Test func unknownExtensionNamesTheKnownFormats() {
        #expect(throws: DiagramError.unknownFormat("jpeg")) { try DiagramPresets.gradOfGrad().render(to: "/tmp/x.jpeg") }
        let message = DiagramError.unknownFormat("jpeg").description
        #expect(message.contains("\"jpeg\"") && message.contains("svg, png, pdf, dot"))
    }

    @Test func knownExtensionsMapToFormats() throws {
        #expect(try DiagramFormat(fileExtension: "SVG") == .svg)
        #expect(try DiagramFormat(fileExtension: "gv") == .dot)
        #expect(throws: DiagramError.unknownFormat("")) { try DiagramFormat(fileExtension: "") }
    }

    @Test func missingPluginSaysWhichAndWhatToInstall() {
        #expect(throws: DiagramError.missingPlugin(kind: "render", name: "no-such-format")) {
            try GraphvizEngine.shared.render(dot: "digraph { a -> b }", format: "no-such-format")
        }
        let message = DiagramError.missingPlugin(kind: "render", name: "pdf").description
        #expect(message.contains("\"pdf\"") && message.contains("graphviz") && message.contains("libgraphviz-dev"))
    }

    @Test func invalidDOTCarriesGraphvizMessage() {
        do {
            _ = try GraphvizEngine.shared.render(dot: "digraph { a -> }", format: "svg")
            Issue.record("expected a parse error")
        } catch let error as DiagramError {
            guard case .invalidDOT(let message) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(message.contains("syntax error"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func labelsMustMatchOutputs() {
        let x = Tensor(1).variable(named: "x")
        #expect(throws: DiagramError.badOutputs("2 outputs but 1 labels; give one label per output")) {
            try Diagram(outputs: [x, x * x], labels: ["x"])
        }
        #expect(throws: DiagramError.badOutputs("no output tensors were given")) { try Diagram(outputs: [], labels: []) }
    }

    @Test func unwritablePathIsReported() {
        #expect(throws: DiagramError.self) {
            try DiagramPresets.gradOfGrad().render(to: "/nonexistent-folder/graph.dot")
        }
    }
}
