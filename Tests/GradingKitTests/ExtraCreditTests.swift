import Foundation
import GradingKit
import Testing

/// `sampleManifest` (3 regular points) plus a 2-point extra-credit exercise.
private let manifestWithExtra: GradingManifest = {
    var manifest = sampleManifest
    manifest.exercises.append(.init(name: "Bonus", question: "extra", extraCredit: true, parts: [
        .init(id: "first", points: 1.5, test: "firstPart", section: "Part first", summary: "first bonus"),
        .init(id: "second", points: 0.5, test: "secondPart", section: "Part second", summary: "second bonus"),
    ]))
    return manifest
}()

/// Every part of `manifestWithExtra` passed except those in `failing`.
private func results(failing: Set<String> = []) -> [PartResult] {
    manifestWithExtra.exercises.flatMap { exercise in
        exercise.parts.map { PartResult(exercise: exercise.name, part: $0, status: failing.contains($0.id) ? .failed : .passed, output: "") }
    }
}

@Test func extraCreditPointsStayOutOfTheCoursesFullMarks() {
    #expect(manifestWithExtra.maxPoints == 3)
    #expect(manifestWithExtra.extraPoints == 2)
    #expect(manifestWithExtra.extraCreditExercises == ["Bonus"])
    #expect(manifestWithExtra.exercise(named: "Bonus")?.maxPoints == 2)
}

@Test func extraCreditIsReadFromJSONAndFalseWhenAbsent() throws {
    let json = """
        {"course": "c", "exercises": [
          {"name": "A", "question": "q", "parts": [{"id": "p", "points": 2, "test": "pPart", "section": "s", "summary": "x"}]},
          {"name": "B", "question": "q", "extraCredit": true, "parts": [{"id": "p", "points": 1, "test": "pPart", "section": "s", "summary": "x"}]}
        ]}
        """
    let manifest = try GradingManifest.decode(Data(json.utf8))
    #expect(manifest.exercises.map(\.extraCredit) == [false, true])
    #expect(manifest.maxPoints == 2 && manifest.extraPoints == 1)
    let encoded = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
    #expect(encoded.components(separatedBy: "extraCredit").count == 2, "only the extra exercise writes the key: \(encoded)")
    #expect(try JSONDecoder().decode(GradingManifest.self, from: Data(encoded.utf8)) == manifest)
}

@Test func gradescopeScoreAddsExtraCreditAboveFullMarks() {
    let full = GradescopeResults.make(from: results(), maxPoints: manifestWithExtra.maxPoints, seconds: 1,
                                      extraCredit: manifestWithExtra.extraCreditExercises)
    #expect(full.score == 5)
    #expect(full.output == "Score 5 / 3 (2 of them extra credit, out of 2 available).")
    #expect(full.tests.filter { $0.name.hasPrefix("Bonus (extra credit): ") }.count == 2)
    #expect(full.tests.first { $0.tags == ["Bonus", "first"] }?.max_score == 1.5)
    let partial = GradescopeResults.make(from: results(failing: ["second", "update"]), maxPoints: 3, seconds: 1,
                                         extraCredit: ["Bonus"])
    #expect(partial.score == 3.5)
    #expect(partial.output == "Score 3.50 / 3 (1.50 of them extra credit, out of 2 available).")
}

@Test func feedbackShowsExtraCreditSeparately() {
    let text = Feedback.markdown(parts: results(failing: ["second"]), manifest: manifestWithExtra)
    #expect(text.contains("Total: **4.50 / 3** points (extra credit included: 1.50 of 2 on top of 3)."))
    #expect(text.contains("## Bonus (extra): 1.50 / 2 extra credit"))
    let regular = results().filter { $0.exercise != "Bonus" }
    #expect(Feedback.markdown(parts: regular, manifest: sampleManifest).contains("Total: **3 / 3** points."), "no extra-credit note without extra credit")
}
