import Foundation
import GradingKit
import Testing

/// 10% of 10 points per started day, nothing after 3 days; a bank of 2 slip days; s07 had 1 spent
/// earlier; s08 has a two-day extension, s09 one to a fixed time.
private func termConfig() throws -> CourseConfig {
    try CourseConfig.decode(Data("""
        { "deadline": "2026-12-15T23:59:00Z",
          "latePolicy": { "fraction": 0.1, "period": 86400, "cutoffPeriods": 3 },
          "extensions": { "s08": 2, "s09": "2026-12-16T12:00:00Z" },
          "slipDays": { "days": 2, "spent": { "s07": 1 } } }
        """.utf8))
}

private let deadline = parseTimestamp("2026-12-15T23:59:00Z")!
private let day = 86_400.0

private func settle(_ student: String, late seconds: Double, score: Double = 8, config: CourseConfig? = nil) throws -> LateRecord {
    LateDays.settle(student: student, score: score, maxPoints: 10, submitted: deadline + seconds, config: try config ?? termConfig())
}

@Test func onTimeAtTheDeadlineAndLateOneSecondAfter() throws {
    let onTime = try settle("s01", late: 0)
    #expect(onTime.days_late == 0 && onTime.slip_days_used == 0 && onTime.slip_days_left == 2 && onTime.penalty == 0)
    let justLate = try settle("s01", late: 1)
    #expect(justLate.days_late == 1 && justLate.slip_days_used == 1 && justLate.slip_days_left == 1 && justLate.final == 8)
}

@Test func slipDaysCoverWholeDaysThenThePolicyApplies() throws {
    let twoDays = try settle("s01", late: 2 * day)
    #expect(twoDays.days_late == 2 && twoDays.slip_days_used == 2 && twoDays.slip_days_left == 0 && twoDays.penalty == 0)
    let overTwo = try settle("s01", late: 2 * day + 1)
    #expect(overTwo.days_late == 3 && overTwo.slip_days_used == 2 && overTwo.slip_days_left == 0)
    #expect(abs(overTwo.penalty - 1) < 1e-9 && abs(overTwo.final - 7) < 1e-9)  // one started day: 10% of 10 points
    // Past the cut-off without slip days the grade is 0; two slip days bring it back within it.
    let fourDays = try settle("s01", late: 4 * day)
    #expect(fourDays.slip_days_used == 2 && abs(fourDays.final - 6) < 1e-9)
    let noBank = try settle("s01", late: 3 * day + 1, config: CourseConfig(deadline: deadline, latePolicy: try LatePenalty(fraction: 0.1, period: day, cutoffPeriods: 3)))
    #expect(noBank.final == 0 && noBank.slip_days_left == nil)
}

@Test func daysSpentEarlierInTheTermAreNotSpentAgain() throws {
    let record = try settle("s07", late: 2 * day)
    #expect(record.slip_days_used == 1 && record.slip_days_left == 0 && abs(record.penalty - 1) < 1e-9)
}

@Test func slipDaysAreKeptWhenTheyWouldNotRaiseTheGrade() throws {
    let empty = try settle("s01", late: day, score: 0)
    #expect(empty.days_late == 1 && empty.slip_days_used == 0 && empty.slip_days_left == 2)
    let noPolicy = CourseConfig(deadline: deadline, latePolicy: nil, slipDays: try SlipDays(days: 2))
    let record = try settle("s01", late: day, config: noPolicy)
    #expect(record.slip_days_used == 0 && record.penalty == 0)
}

@Test func extensionsMoveTheDeadlineToTheirBoundary() throws {
    let atExtension = try settle("s08", late: 2 * day)
    #expect(atExtension.extended && atExtension.days_late == 0 && atExtension.deadline == "2026-12-17T23:59:00Z")
    let afterExtension = try settle("s08", late: 2 * day + 1)
    #expect(afterExtension.days_late == 1 && afterExtension.slip_days_used == 1 && afterExtension.penalty == 0)
    let fixed = try settle("s09", late: 12 * 3_600 + 60)
    #expect(fixed.extended && fixed.days_late == 0)
    let pastFixed = try settle("s09", late: 12 * 3_600 + 61)
    #expect(pastFixed.days_late == 1 && pastFixed.slip_days_used == 1)
    #expect(LateDays.sentence(pastFixed).contains("your extended deadline 2026-12-16T12:00:00Z"))
}

@Test func badExtensionsAndBanksAreNamed() {
    #expect(throws: GradingError.invalidConfig("extension \"soon\" is neither a number of days nor an ISO 8601 time with a zone")) {
        try CourseConfig.decode(Data(#"{ "deadline": "2026-12-15T23:59:00Z", "extensions": { "s01": "soon" } }"#.utf8))
    }
    #expect(throws: GradingError.invalidConfig("slipDays.days must be 0 or more, got -1")) {
        try CourseConfig.decode(Data(#"{ "deadline": "2026-12-15T23:59:00Z", "slipDays": { "days": -1 } }"#.utf8))
    }
}
