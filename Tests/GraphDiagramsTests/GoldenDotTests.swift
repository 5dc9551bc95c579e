import Foundation
import GraphDiagrams
import Testing

/// The presets' DOT text, compared with files under Golden/ (run with UPDATE_GOLDEN=1 to rewrite them).
@Suite struct GoldenDotTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares `dot` with Golden/`name`, or writes it there when UPDATE_GOLDEN=1.
    func check(_ dot: String, against name: String) throws {
        let file = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try dot.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(dot == expected, "DOT differs from Golden/\(name); rerun with UPDATE_GOLDEN=1 if the change is intended")
    }

    @Test func gradOfGrad() throws {
        try check(DiagramPresets.gradOfGrad().dot(), against: "grad-of-grad.dot")
    }

    @Test func gradOfGradWithEveryOption() throws {
        let options = DiagramOptions(collapseElementwiseChains: true, showConstants: true, showValues: true,
                                     rankDirection: .topToBottom, title: "sin(x)·x, all options")
        try check(DiagramPresets.gradOfGrad(options: options).dot(), against: "grad-of-grad-options.dot")
    }

    @Test func adamStep() throws {
        try check(DiagramPresets.adamStep().dot(), against: "adam-step.dot")
    }

    @Test func firstOrderMAML() throws {
        try check(DiagramPresets.maml(steps: 1, firstOrder: true).dot(), against: "maml-first-order.dot")
    }
}
