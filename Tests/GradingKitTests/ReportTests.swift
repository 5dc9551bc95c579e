import Foundation
import GradingKit
import Testing

private func sampleResults() -> [PartResult] {
    Scoring.grade(sampleManifest.exercises[0], report: report(module: "GDStepGrading", ran: ["updatePart", "differentiablePart"], failing: ["updatePart"]))
        + Scoring.grade(sampleManifest.exercises[1], report: report(module: "AdamEquivalencesGrading", ran: ["rmspropPart", "momentumPart"]))
}

@Test func resultsJSONHasGradescopesFields() throws {
    let results = GradescopeResults.make(from: sampleResults(), maxPoints: 3, seconds: 12.34)
    let json = try #require(try JSONSerialization.jsonObject(with: results.encoded()) as? [String: Any])
    #expect(json["score"] as? Double == 2)
    #expect(json["execution_time"] as? Double == 12.3)
    let tests = try #require(json["tests"] as? [[String: Any]])
    #expect(tests.count == 4)
    for test in tests {
        for key in ["name", "score", "max_score", "status", "output", "visibility", "tags"] { #expect(test[key] != nil, "missing \(key)") }
    }
    #expect((tests[0]["name"] as? String)?.hasPrefix("GDStep: ") == true)
    #expect(tests[0]["status"] as? String == "failed")
    #expect(tests[0]["tags"] as? [String] == ["GDStep", "update"])
    #expect(tests[3]["status"] as? String == "passed")
}

@Test func nothingRanGivesACatastrophicErrorEntry() throws {
    let results = GradescopeResults.make(from: [], maxPoints: 3, seconds: 1, problem: "invalid submission: x.txt is neither a folder nor a .zip")
    #expect(results.score == 0)
    #expect(results.tests.count == 1)
    #expect(results.tests[0].name == "Autograder: catastrophic error")
    #expect(results.tests[0].max_score == 3)
    #expect(results.tests[0].output.contains("neither a folder nor a .zip"))
}

@Test func feedbackNamesPointsFailuresAndSections() {
    let text = Feedback.markdown(parts: sampleResults(), manifest: sampleManifest)
    #expect(text.contains("Total: **2 / 3** points."))
    #expect(text.contains("## GDStep (Q1): 1 / 2"))
    #expect(text.contains("✗ **update** (0 / 1)"))
    #expect(text.contains("re-read \"Part update\" in `Exercises/GDStep/README.md`"))
    #expect(text.contains("✓ **rmsprop** (0.50 / 0.50)"))
    #expect(!text.contains("re-read \"Part (a)\""))
}

@Test func pointsPrintAsPeopleWriteThem() {
    #expect(formatPoints(2) == "2")
    #expect(formatPoints(1.5) == "1.50")
}
