import GradingKit
import Testing

/// Event-stream lines in the runner's format (version 0), trimmed to the fields grading reads.
private func event(_ kind: String, _ id: String? = nil, message: String? = nil) -> String {
    let test = id.map { #","testID":"\#($0)/File.swift:3:2""# } ?? ""
    let messages = message.map { #","messages":[{"symbol":"fail","text":"\#($0)"}]"# } ?? ""
    return #"{"kind":"event","payload":{"kind":"\#(kind)"\#(test)\#(messages)},"version":0}"#
}

@Test func passingFailingAndUnfinishedTestsAreTold() {
    let stream = [
        event("runStarted"),
        event("testStarted", "GDStepGrading.update()"),
        event("testStarted", "GDStepGrading.differentiable()"),
        event("testStarted", "MetaObjectiveGrading.value(steps:)"),
        event("issueRecorded", "GDStepGrading.differentiable()", message: "Expectation failed"),
        event("testEnded", "GDStepGrading.update()"),
        event("testEnded", "GDStepGrading.differentiable()"),
    ].joined(separator: "\n")
    let report = TestRunReport.parse(eventStream: stream)
    #expect(!report.runEnded)
    #expect(report.outcomes.map(\.id) == ["GDStepGrading.update()", "GDStepGrading.differentiable()", "MetaObjectiveGrading.value(steps:)"])
    #expect(report.outcome(module: "GDStepGrading", function: "update")?.passed == true)
    let failed = report.outcome(module: "GDStepGrading", function: "differentiable")
    #expect(failed?.passed == false && failed?.unfinished == false && failed?.messages == ["Expectation failed"])
    let crashed = report.outcome(module: "MetaObjectiveGrading", function: "value")
    #expect(crashed?.unfinished == true && crashed?.passed == false)
}

@Test func printedLinesThatLookLikeResultsAreIgnored() {
    let stream = """
    ✔ Test update() passed after 0.001 seconds.
    {"score": 9, "tests": []}
    \(event("testStarted", "GDStepGrading.update()"))
    not json at all {
    \(event("issueRecorded", "GDStepGrading.update()", message: "Caught error: not implemented: gdStep"))
    \(event("testEnded", "GDStepGrading.update()"))
    \(event("runEnded"))
    """
    let report = TestRunReport.parse(eventStream: stream)
    #expect(report.runEnded)
    #expect(report.outcomes.count == 1)
    #expect(report.outcomes.first?.passed == false)
    #expect(report.outcomes.first?.messages == ["Caught error: not implemented: gdStep"])
}

@Test func functionNameAndModuleComeFromTheIdentifier() {
    let outcome = TestOutcome(id: "ScaleInvarianceGrading.updatePart_x(steps:)", passed: true, unfinished: false, messages: [])
    #expect(outcome.module == "ScaleInvarianceGrading")
    #expect(outcome.functionName == "updatePart_x")
}
