import Foundation
import GradingKit
import Testing

@Test func perDayPolicyWithCutoffDecodes() throws {
    let config = try CourseConfig.decode(Data("""
        { "deadline": "2026-12-15T23:59:00Z",
          "latePolicy": { "fraction": 0.1, "period": 86400, "cutoffPeriods": 3 }, "memoryMegabytes": 2048 }
        """.utf8))
    let deadline = try #require(parseTimestamp("2026-12-15T23:59:00Z"))
    #expect(config.deadline == deadline)
    #expect(config.memoryMegabytes == 2048)
    #expect(config.finalScore(score: 9, maxPoints: 10, submitted: deadline + 3_600) == 8)
    #expect(config.finalScore(score: 9, maxPoints: 10, submitted: deadline + 3 * 86_400 + 60) == 0)
    #expect(config.finalScore(score: 9, maxPoints: 10, submitted: nil) == 9)
}

@Test func perHourPolicyDecodesAndTheRepositoryConfigLoads() throws {
    let config = try CourseConfig.decode(Data("""
        { "deadline": "2026-12-15T12:00:00+01:00", "latePolicy": { "fraction": 0.1, "period": 3600 } }
        """.utf8))
    #expect(config.latePolicy?.cutoffPeriods == nil)
    let submitted = try #require(parseTimestamp("2026-12-15 13:30:00+01:00"))
    #expect(abs(config.finalScore(score: 100, maxPoints: 100, submitted: submitted) - 80) < 1e-9)
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    let shipped = try CourseConfig.load(from: repository.appendingPathComponent("Grading/course.json"))
    #expect(shipped.latePolicy?.cutoffPeriods == 3)
}

@Test func badConfigsNameTheirProblem() {
    #expect(throws: GradingError.invalidConfig("deadline \"next friday\" is not an ISO 8601 time with a zone, e.g. 2026-12-15T23:59:00Z")) {
        try CourseConfig.decode(Data(#"{ "deadline": "next friday" }"#.utf8))
    }
    #expect(throws: GradingError.invalidConfig("late penalty fraction must be in [0, 1], got 10.0")) {
        try CourseConfig.decode(Data(#"{ "deadline": "2026-12-15T23:59:00Z", "latePolicy": { "fraction": 10, "period": 3600 } }"#.utf8))
    }
}
