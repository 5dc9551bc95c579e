import GradingKit

/// A two-exercise manifest used across the tests (3 points in all).
let sampleManifest = GradingManifest(course: "Sample", exercises: [
    .init(name: "GDStep", question: "Q1", parts: [
        .init(id: "update", points: 1, test: "updatePart", section: "Part update", summary: "the update"),
        .init(id: "differentiable", points: 1, test: "differentiablePart", section: "Part differentiable", summary: "second order"),
    ]),
    .init(name: "AdamEquivalences", question: "Q2", parts: [
        .init(id: "rmsprop", points: 0.5, test: "rmspropPart", section: "Part (a)", summary: "RMSprop"),
        .init(id: "momentum", points: 0.5, test: "momentumPart", section: "Part (b)", summary: "momentum"),
    ]),
])

/// A runner report: the given tests of `module` ended, passing unless listed in `failing`.
func report(module: String, ran tests: [String], failing: [String] = [], ended: Bool = true) -> TestRunReport {
    TestRunReport(outcomes: tests.map { name in
        TestOutcome(id: "\(module).\(name)()", passed: !failing.contains(name), unfinished: false,
                    messages: failing.contains(name) ? ["Expectation failed: \(name)"] : [])
    }, runEnded: ended)
}
