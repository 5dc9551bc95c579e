import Foundation
import Notebook
import Testing
@testable import ExerciseWorkbookCLI

@Suite("The student workbook's chapters at the test budget", .serialized)
struct ChapterPageTests {
    /// In the student bundle the linked functions are the student's own, so this runs in the course repository only.
    @Test("with the reference functions every section runs, says so, and shows its numbers and figures",
          .enabled(if: !ImplementationOption.builtFromStudentFiles), arguments: Linked.chapters.map(\.id))
    func reference(id: String) throws {
        let run = try runPage(try Linked.chapters.named(id)[0])
        #expect(run.warnings.isEmpty, "\(id): \(run.warnings)")
        let expected = try #require(Unfinished.expected[id])
        #expect(run.html.components(separatedBy: "This section runs your code:").count - 1 >= expected.gatedSections)
        #expect(Set(run.outcome.metrics.keys).isStrictSuperset(of: expected.metrics), "\(id) recorded no number from the exercises")
        #expect(Set(run.outcome.page.figures.map(\.name)).isSuperset(of: expected.figures))
        #expect(run.outcome.page.budgetNote != nil, "\(id) does not say that the test budget is reduced")
    }

    @Test("with unfinished functions every section that needs one names the exercise and function, and shows nothing of theirs",
          arguments: Unfinished.chapters.map(\.id))
    func unfinished(id: String) throws {
        let chapter = try Unfinished.chapters.named(id)[0]
        let run = try runPage(chapter)
        let expected = try #require(Unfinished.expected[id])
        let finish = run.warnings.filter { $0.contains("Finish exercise") && $0.contains("not implemented") }
        #expect(finish.count == expected.gatedSections, "\(id): \(run.warnings)")
        #expect(run.warnings.count == expected.gatedSections, "\(id): every warning should name an exercise: \(run.warnings)")
        #expect(!run.html.contains("This section runs your code:"))
        #expect(Set(run.outcome.metrics.keys) == expected.metrics, "\(id) shows numbers it could not have: \(run.outcome.metrics.keys.sorted())")
        #expect(Set(run.outcome.page.figures.map(\.name)) == expected.figures)
        #expect(run.narrative.contains { $0.contains("Warning: Finish exercise") }, "the terminal says it too")
    }
}
