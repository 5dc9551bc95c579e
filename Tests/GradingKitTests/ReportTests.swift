import Foundation
@testable import GradingKit
import Testing

@Test func resultsJSONHasGradescopesFields() throws {
    let made = GradescopeResults.make(from: results(sampleManifest, failing: ["update"]), manifest: sampleManifest, seconds: 12.34,
                                      context: sampleContext)
    let json = try #require(try JSONSerialization.jsonObject(with: made.encoded()) as? [String: Any])
    #expect(json["score"] as? Double == 2)
    #expect(json["execution_time"] as? Double == 12.3)
    #expect(json["output_format"] as? String == "md")
    #expect((json["extra_data"] as? [String: Any])?["seed"] as? String == "42")
    let tests = try #require(json["tests"] as? [[String: Any]])
    #expect(tests.count == 4)
    for test in tests {
        for key in ["name", "score", "max_score", "status", "output", "output_format", "visibility", "tags", "number"] {
            #expect(test[key] != nil, "missing \(key)")
        }
    }
    #expect(tests[0]["name"] as? String == "GDStep: update — the update")
    #expect(tests[0]["status"] as? String == "failed" && tests[0]["number"] as? String == "1.1")
    #expect(tests[3]["status"] as? String == "passed" && tests[3]["number"] as? String == "2.2")
}

@Test func visibilityFollowsTheMostSpecificRule() throws {
    let rules = try VisibilityRules(["default": "after_due_date", "GDStep": "visible", "GDStep/differentiable": "hidden"])
    let made = GradescopeResults.make(from: results(sampleManifest), manifest: sampleManifest, seconds: 1, context: sampleContext, visibility: rules)
    #expect(made.tests.map(\.visibility) == ["visible", "hidden", "after_due_date", "after_due_date"])
    #expect(throws: GradingError.self) { try VisibilityRules(["default": "sometimes"]) }
}

@Test func nothingGradedGivesACatastrophicErrorEntryWithItsCause() {
    let made = GradescopeResults.make(from: [], manifest: sampleManifest, seconds: 1,
                                      problem: "invalid submission: x.txt is neither a folder nor a .zip", context: sampleContext)
    #expect(made.score == 0)
    #expect(made.tests.count == 1)
    #expect(made.tests[0].name == "Autograder: catastrophic error")
    #expect(made.tests[0].max_score == 3)
    #expect(made.tests[0].output.contains("neither a folder nor a .zip"))
}

@Test func feedbackStartsEachLostPartWithItsSentenceThenInputsAndValues() {
    let text = Feedback.markdown(parts: results(sampleManifest, failing: ["update"]), manifest: sampleManifest, context: sampleContext)
    #expect(text.contains("Total: **2 / 3** points."))
    #expect(text.contains("## GDStep (Q1): 1 / 2"))
    #expect(text.contains("✗ **update** (0 / 1)"))
    let detail = text.components(separatedBy: "✗ **update**")[1]
    let sentence = detail.range(of: "**Failed:** Case 1: update should hold.")
    let inputs = detail.range(of: "Inputs: η = 0.25")
    let expected = detail.range(of: "Expected: shape [2]: [0.5, 1]")
    #expect(sentence != nil && inputs != nil && expected != nil)
    if let sentence, let inputs, let expected { #expect(sentence.lowerBound < inputs.lowerBound && inputs.lowerBound < expected.lowerBound) }
    #expect(text.contains("Re-read “Part update” in `Exercises/GDStep/README.md`."))
    #expect(text.contains("✓ **rmsprop** (0.50 / 0.50)"))
    #expect(text.contains("seed 42"))
}

@Test func aLongDumpIsShortenedButTheSentenceIsNeverCut() {
    var lost = results(sampleManifest, failing: ["update"])[0]
    lost.failures[0].actual = String(repeating: "1.2345, ", count: 2000)
    let detail = Feedback.partDetail(lost)
    #expect(detail.hasPrefix("**Failed:** Case 1: update should hold."))
    #expect(detail.contains("more characters cut"))
    #expect(detail.count < 2500)
}

@Test func extraCreditPointsComeOnTopOfFullMarks() {
    #expect(manifestWithExtra.maxPoints == 3 && manifestWithExtra.extraPoints == 2)
    let full = GradescopeResults.make(from: results(manifestWithExtra), manifest: manifestWithExtra, seconds: 1, context: sampleContext)
    #expect(full.score == 5)
    #expect(full.output == "Score 5 / 3 (2 of them extra credit, out of 2 available).")
    #expect(full.tests.filter { $0.name.hasPrefix("Bonus (extra credit): ") }.count == 2)
    let text = Feedback.markdown(parts: results(manifestWithExtra, failing: ["second"]), manifest: manifestWithExtra, context: sampleContext)
    #expect(text.contains("Total: **4.50 / 3** points (extra credit included: 1.50 of 2 on top of 3)."))
    #expect(text.contains("## Bonus (extra): 1.50 / 2 extra credit"))
}

@Test func pointsPrintAsPeopleWriteThem() {
    #expect(formatPoints(2) == "2")
    #expect(formatPoints(1.5) == "1.50")
}

@Test func thePointsTableNamesEveryLostPart() {
    let table = PointsTable.text(results(manifestWithExtra, failing: ["update", "second"]), manifest: manifestWithExtra, heading: "Points")
    #expect(table.contains("✗ GDStep             1 / 2"))
    #expect(table.contains("lost 1 on part update (failed): the update (re-read “Part update”)"))
    #expect(table.contains("Total: 2 / 3 + 1.50 extra"))
}

@Test func aCrashStackIsReadForTheProbesFrames() {
    let log = """
        Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range
        Current stack trace:
        0    libswiftCore.so                    0x00007f11f1e1e2b0 swift_reportError + 50
        7    GDStepProbes                       0x00005570cdddaf84 <unavailable> + 302980
        8    GDStepProbes                       0x00005570cde001fa <unavailable> + 455162
        """
    #expect(CrashReport.frames(in: log, image: "GDStepProbes").map(\.offset) == [302980, 455162])
    #expect(log.split(separator: "\n").filter { !CrashReport.isFrameLine($0) } == ["Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range"])
}

@Test func theBacktracersFramesNameTheStudentsFileAndAreKeptOutOfTheExcerpt() {
    let log = """
        Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range

        *** Program crashed: Illegal instruction at 0x00007f14a0cf9361 ***

        Platform: x86_64 Linux (Debian GNU/Linux 12 (bookworm))

        Thread 0 "GDStepProbes" crashed:

          0               0x00007f14a0cf9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
          1 [ra]          0x0000559aa840d700 helper() + 20 in GDStepProbes at /w/work/Exercises/GDStep/Given/Helper.swift:3:1
          2 [ra]          0x0000559aa840d892 gdStep(_:_:stepSize:) + 209 in GDStepProbes at /w/work/Exercises/GDStep/GDStep.swift:14:5
          3 [ra]          0x0000559aa840dfa3 closure #1 in  + 1042 in GDStepProbes at /w/work/Grading/GDStep/Probes/main.swift:11:28
        ...
        """
    #expect(CrashReport.backtracerLocations(in: log, exercise: "GDStep")
            == ["Exercises/GDStep/Given/Helper.swift:3", "Exercises/GDStep/GDStep.swift:14"])
    #expect(CrashReport.studentLocation(log: log, program: URL(fileURLWithPath: "/nonexistent/GDStepProbes"), exercise: "GDStep")
            == "Exercises/GDStep/GDStep.swift:14", "the student's own file before the given code")
    #expect(log.split(separator: "\n").filter { !CrashReport.isFrameLine($0) && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            == ["Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range"])
}

@Test func withoutAStackTheTrapsOwnMessageGivesThePlace() {
    let log = "GDStep/GDStep.swift:14: Fatal error: boom\n"
    #expect(CrashReport.studentLocation(log: log, program: URL(fileURLWithPath: "/nonexistent/GDStepProbes"), exercise: "GDStep")
            == "Exercises/GDStep/GDStep.swift:14")
    #expect(CrashReport.messageLocation(in: "Swift/Array.swift:3: Fatal error: Index out of range", exercise: "GDStep") == nil)
    #expect(CrashReport.messageLocation(in: "MetaObjective/M.swift:3: Fatal error: x", exercise: "GDStep") == nil)
}
