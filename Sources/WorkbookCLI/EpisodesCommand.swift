import ArgumentParser
import CommandLineSupport
import Autodiff
import Foundation
import MetaLearning
import Notebook
import TaskData
import Workbook

/// `workbook episodes`: writes held-out episodes as folders of PNGs, a fixed benchmark anyone can
/// evaluate on (`workbook evaluate --episodes-from`, `FixedEpisodes.loadAll`).
struct EpisodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episodes",
        abstract: "Write held-out episodes as folders of PNGs (support/<class>/*.png, query/<class>/*.png), a fixed benchmark.",
        discussion: "Example: workbook episodes --tasks omniglot --ways 20 --shots 1 --within-alphabet --count 100 --out episodes")

    @OptionGroup var taskOptions: TaskOptions
    @Option(help: "Which held-out alphabets: validation or test.")
    var split: ClassificationProblem.HeldOut = .test
    @Option(parsing: .unconditional, help: "Episodes to write.")
    var count = 100
    @Option(parsing: .unconditional, help: "Seed of the episode sample.", transform: wholeNumber)
    var seed: UInt64 = 1
    @Option(help: "The output folder (one folder per episode inside it).")
    var out: String
    @Flag(help: "Replace the episode folders already in --out (a folder holding anything else is never touched).")
    var force = false

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive, got \(count)") }
        if let tasks = taskOptions.tasks, !tasks.isClassification {
            throw ValidationError("episodes are image classification: --tasks omniglot or glyphs, not --tasks \(tasks.rawValue)")
        }
        try PathCheck.outputFolder(out)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        if let other = existing.first(where: { !$0.hasPrefix("episode-") }) {
            throw ValidationError("--out \(out) holds '\(other)', which is not an episode folder; give an empty or new folder")
        }
        guard force || existing.isEmpty else {
            throw ValidationError("--out \(out) already holds \(existing.count) episodes; give --force to replace them, or another folder")
        }
    }

    func run() throws {
        let settings = try taskOptions.settings(defaultTasks: .glyphs)
        let (anyProblem, data, description) = try settings.problem(heldOut: split)
        let problem = anyProblem as! ClassificationProblem
        let folder = URL(fileURLWithPath: out)
        for old in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] where old.hasPrefix("episode-") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(old))
        }
        var generator = SeededGenerator(seed: seed)
        let digits = String(count - 1).count
        for index in 0..<count {
            let name = "episode-" + String(repeating: "0", count: digits - String(index).count) + String(index)
            try FixedEpisodes.write(problem.validation.sample(generator: &generator), to: folder.appendingPathComponent(name))
        }
        let alphabets = split == .test ? description.split?.test : description.split?.validation
        print("wrote \(count) episodes to \(folder.path): \(settings.summary), from \(data), "
            + "\(split.rawValue) alphabets \(alphabets?.joined(separator: ", ") ?? "")")
    }
}
