import ArgumentParser
import CommandLineSupport
import Foundation
import Notebook

/// `run <chapter|all>`: runs chapters on the exercise functions, prints their narrative, writes their pages.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a chapter (or all) on the exercise code and write its page, figures and metrics.",
        discussion: "Chapters: \(Linked.chapters.map(\.id).joined(separator: ", ")). Open <out>/index.html in a browser.")

    @Argument(help: "A chapter id from 'list', or 'all'.")
    var chapter: String

    @Option(help: "The output folder (one sub-folder per chapter, and index.html).")
    var out = "workbook-out"

    @Flag(help: "Smaller budgets so each chapter finishes sooner (labelled on the page).")
    var quick = false

    @Option(parsing: .unconditional, help: "The seed of every random choice; the same seed and code give the same page.",
            transform: wholeNumber)
    var seed: UInt64 = 0

    @OptionGroup var implementation: ImplementationOption

    func validate() throws {
        do {
            _ = try Linked.chapters.named(chapter)
        } catch {
            throw ValidationError(String(describing: error))
        }
        try PathCheck.outputFolder(out)
    }

    func run() throws {
        let catalog = Linked.chapters
        let chapters = try catalog.named(chapter)
        try implementation.runHereOrInStudentBuild()
        let output = URL(fileURLWithPath: out)
        let runner = ChapterRunner(output: output, settings: ChapterSettings(budget: quick ? .quick : .full, seed: seed))
        let outcomes = try runner.run(chapters, catalog: catalog) { print($0); fflush(nil) }
        print("Summary of files written:")
        for outcome in outcomes {
            print("  \(outcome.id): \(outcome.files.count) files in \(outcome.files[0].deletingLastPathComponent().path)"
                + String(format: " (%.1f s)", outcome.seconds))
        }
        print("  index: \(output.appendingPathComponent("index.html").path)")
    }
}
