import Foundation
import GradingKit
import Testing

/// The repository's manifest decodes, passes its checks and totals 17 points: the first
/// homework's 9 and the 8 chosen for the sine, learned-rate and Reptile/ANIL exercises.
@Test func repositoryManifestTotalsSeventeenPoints() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Grading/manifest.json").standardized
    let manifest = try GradingManifest.load(from: url)
    #expect(manifest.maxPoints == 17)
    #expect(manifest.exercises.map(\.name) == [
        "GDStep", "MetaObjective", "AdamEquivalences", "ScaleInvariance",
        "MAMLTraining", "SineMAML", "LearnedInnerRate", "ReptileAndANIL",
    ])
    #expect(manifest.exercise(named: "AdamEquivalences")?.maxPoints == 3)
}

@Test func duplicatePartsAndNonPositivePointsAreRefused() throws {
    var duplicate = sampleManifest
    duplicate.exercises[0].parts[1].id = "update"
    #expect(throws: GradingError.invalidManifest("GDStep: part update appears twice")) { try duplicate.check() }
    var free = sampleManifest
    free.exercises[1].parts[0].points = 0
    #expect(throws: GradingError.invalidManifest("AdamEquivalences/rmsprop: points must be positive, got 0.0")) { try free.check() }
}

@Test func malformedJSONNamesTheProblem() {
    #expect {
        try GradingManifest.decode(Data("{\"course\": 3}".utf8))
    } throws: { error in
        "\(error)".hasPrefix("invalid grading manifest: not valid manifest JSON")
    }
}
