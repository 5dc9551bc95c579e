import Foundation
import GradingKit
import Testing

private let deadline = Date(timeIntervalSince1970: 1_000_000)

@Test func tenPercentPerStartedDayWithAThreeDayCutoff() throws {
    let policy = try LatePenalty(fraction: 0.1, period: 86_400, cutoffPeriods: 3)
    #expect(policy.apply(score: 8, maxPoints: 10, submitted: deadline, deadline: deadline) == 8)
    #expect(policy.periodsLate(submitted: deadline + 60, deadline: deadline) == 1)
    #expect(policy.apply(score: 8, maxPoints: 10, submitted: deadline + 60, deadline: deadline) == 7)
    #expect(policy.apply(score: 8, maxPoints: 10, submitted: deadline + 2.5 * 86_400, deadline: deadline) == 5)
    #expect(policy.apply(score: 8, maxPoints: 10, submitted: deadline + 3 * 86_400 + 1, deadline: deadline) == 0)
}

@Test func tenPointsPerHourNeverBelowZero() throws {
    let policy = try LatePenalty(fraction: 0.1, period: 3_600, cutoffPeriods: nil)
    #expect(policy.apply(score: 90, maxPoints: 100, submitted: deadline + 3_599, deadline: deadline) == 80)
    #expect(policy.apply(score: 90, maxPoints: 100, submitted: deadline + 20 * 3_600, deadline: deadline) == 0)
}

@Test func nonsensePoliciesAreRefused() {
    #expect(throws: GradingError.invalidConfig("late penalty fraction must be in [0, 1], got 1.5")) {
        try LatePenalty(fraction: 1.5, period: 3_600, cutoffPeriods: nil)
    }
    #expect(throws: GradingError.invalidConfig("late penalty period must be positive, got 0.0")) {
        try LatePenalty(fraction: 0.1, period: 0, cutoffPeriods: nil)
    }
}
