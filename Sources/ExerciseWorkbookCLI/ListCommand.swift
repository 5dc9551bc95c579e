import ArgumentParser
import Notebook

/// `list`: the chapter ids in course order with their one-line summaries.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters in course order.")

    func run() throws { Self.printChapters() }

    /// Prints each chapter id, padded, and its summary, one line each.
    static func printChapters(indent: String = "") {
        let chapters = Linked.chapters
        let width = chapters.map(\.id.count).max() ?? 0
        for chapter in chapters {
            print(indent + chapter.id + String(repeating: " ", count: width - chapter.id.count) + "  " + chapter.summary)
        }
    }
}
