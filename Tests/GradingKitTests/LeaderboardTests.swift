import Foundation
import GradingKit
import Testing

@Test func aVerdictMayCarryMeasurementsAndOlderVerdictsStillDecode() throws {
    let old = try JSONDecoder().decode(JudgeVerdict.self, from: Data(#"{"passed": true, "checks": 2, "failures": []}"#.utf8))
    #expect(old.measurements == nil)
    let measured = try JSONDecoder().decode(JudgeVerdict.self, from: Data(#"{"passed": false, "checks": 2, "failures": [], "measurements": {"accuracy": 0.93}}"#.utf8))
    #expect(measured.measurements == ["accuracy": 0.93])
}

/// A part's measurement reaches its test entry and Gradescope's leaderboard; results without any have no leaderboard key.
@Test func measurementsBecomeGradescopeLeaderboardEntries() throws {
    var parts = results(sampleManifest)
    #expect(GradescopeResults.make(from: parts, manifest: sampleManifest, seconds: 1, context: sampleContext).leaderboard == nil)
    let plain = try String(decoding: GradescopeResults.make(from: parts, manifest: sampleManifest, seconds: 1, context: sampleContext).encoded(), as: UTF8.self)
    #expect(!plain.contains("leaderboard") && !plain.contains("measurements"))
    parts[2].measurements = ["accuracy": 0.875]
    let results = GradescopeResults.make(from: parts, manifest: sampleManifest, seconds: 1, context: sampleContext)
    #expect(results.leaderboard == [LeaderboardEntry(name: "AdamEquivalences accuracy", value: 0.875, order: "desc")])
    let json = try JSONSerialization.jsonObject(with: results.encoded()) as? [String: Any]
    let board = json?["leaderboard"] as? [[String: Any]]
    #expect(board?.first?["name"] as? String == "AdamEquivalences accuracy" && board?.first?["value"] as? Double == 0.875)
}

@Test func pseudonymsAreStableSecretAndDistinct() {
    let names = (1...200).map { LeaderboardPage.pseudonym("s\($0)", key: "k1") }
    #expect(Set(names).count == 200 && names.allSatisfy { $0.count == 6 })
    #expect(LeaderboardPage.pseudonym("s1", key: "k1") == names[0] && LeaderboardPage.pseudonym("s1", key: "k2") != names[0])
    let page = LeaderboardPage.html(entries: ["s1": [LeaderboardEntry(name: "FOMAML accuracy", value: 0.9)],
                                              "s2": [LeaderboardEntry(name: "FOMAML accuracy", value: 0.95)]], key: "k1", course: "MAML")
    let first = page.range(of: LeaderboardPage.pseudonym("s2", key: "k1"))!, second = page.range(of: names[0])!
    #expect(first.lowerBound < second.lowerBound && !page.contains(">s1<"))
}
