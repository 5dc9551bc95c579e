import Testing

/// The trait every hidden test carries: it records whether the test's part was earned, so a
/// plain `swift test` ends with a points summary (see `PointsSummary`).
///
/// A part is earned when its test finishes without a failing issue and without throwing.
/// Issues pass through unchanged: the test runner, and the grader reading its event stream,
/// see exactly what they would without the trait.
public struct GradedTrait: TestTrait, TestScoping {
    /// Runs the test, watching its issues, and records the outcome under the test's module and name.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let outcome = OutcomeRecorder()
        let watcher = IssueHandlingTrait.compactMapIssues { issue in
            if issue.isFailure { outcome.markFailed() }
            return issue
        }
        defer {
            PointsSummary.shared.record(module: test.id.moduleName, test: Self.functionName(test.name), passed: !outcome.failed)
        }
        do {
            try await watcher.provideScope(for: test, testCase: testCase, performing: function)
        } catch {
            outcome.markFailed()
            throw error
        }
    }

    /// `updatePart_x()` → `updatePart_x`: the manifest names tests without their parentheses.
    static func functionName(_ name: String) -> String {
        name.firstIndex(of: "(").map { String(name[..<$0]) } ?? name
    }
}

extension Trait where Self == GradedTrait {
    /// Marks a hidden test as the test of one graded part (its points are in `Grading/manifest.json`).
    public static var graded: GradedTrait { GradedTrait() }
}
