import ArgumentParser
import CommandLineSupport
import Foundation
import Workbook

/// `workbook run <chapter|all>`: runs chapters, prints their narrative, writes their pages.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a chapter (or all) and write its page, figures and metrics.",
        discussion: "Chapters: \(ChapterCatalog.all.map(\.id).joined(separator: ", ")). Open <out>/index.html in a browser.")

    @Argument(help: "A chapter id from 'workbook list', or 'all'.")
    var chapter: String

    @Option(help: "The output folder (one sub-folder per chapter, and index.html).")
    var out = "workbook-out"

    @Flag(help: "Smaller budgets so each chapter finishes in under a minute (labelled on the page).")
    var quick = false

    @Option(parsing: .unconditional, help: "The seed of every random choice; the same seed gives the same page.", transform: wholeNumber)
    var seed: UInt64 = 0

    func validate() throws {
        do {
            _ = try ChapterCatalog.chapters(named: chapter)
        } catch {
            throw ValidationError(String(describing: error))
        }
        try PathCheck.outputFolder(out)
    }

    func run() throws {
        let chapters = try ChapterCatalog.chapters(named: chapter)
        let output = URL(fileURLWithPath: out)
        let runner = ChapterRunner(output: output, settings: ChapterSettings(budget: quick ? .quick : .full, seed: seed))
        let outcomes: [ChapterRunner.Outcome]
        do {
            outcomes = try runner.run(chapters, catalog: ChapterCatalog.all) { print($0); fflush(nil) }
        } catch let interrupted as ChapterInterrupted {
            print("Stopped: \(interrupted). Pages of chapters that finished are in \(output.path).")
            throw ExitCode(130)
        }
        print("Summary of files written:")
        for outcome in outcomes {
            print("  \(outcome.id): \(outcome.files.count) files in \(outcome.files[0].deletingLastPathComponent().path)"
                + String(format: " (%.1f s)", outcome.seconds))
        }
        print("  index: \(output.appendingPathComponent("index.html").path)")
    }
}
