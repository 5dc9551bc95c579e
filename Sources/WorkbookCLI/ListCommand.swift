import ArgumentParser
import Workbook

/// `workbook list`: the chapter ids in course order with their one-line summaries.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the workbook's chapters in course order.")

    func run() throws {
        let width = ChapterCatalog.all.map(\.id.count).max() ?? 0
        for chapter in ChapterCatalog.all {
            print(chapter.id + String(repeating: " ", count: width - chapter.id.count) + "  " + chapter.summary)
        }
    }
}
