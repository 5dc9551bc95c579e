import Foundation
import GradingKit
import Testing

/// The repository's manifest decodes, passes its checks and totals the handout's 9 points.
@Test func repositoryManifestTotalsNinePoints() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Grading/manifest.json").standardized
    let manifest = try GradingManifest.load(from: url)
    #expect(manifest.maxPoints == 9)
    #expect(manifest.exercises.map(\.name) == ["GDStep", "MetaObjective", "AdamEquivalences", "ScaleInvariance"])
}
