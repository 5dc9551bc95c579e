import Foundation
import MetaLearning
import Workbook

/// Our accuracy beside the MAML paper's Omniglot table (Finn, Abbeel and Levine, 2017, Table 1,
/// convolutional MAML), with what differs between the two set-ups said in words.
struct PaperComparison {
    /// The paper's Omniglot accuracies (percent, ± the reported interval), by ways and shots.
    static let paperTable: [(ways: Int, shots: Int, accuracy: Double, interval: Double)] = [
        (5, 1, 98.7, 0.4), (5, 5, 99.9, 0.1), (20, 1, 95.8, 0.3), (20, 5, 98.9, 0.2),
    ]

    let settings: TaskSettings
    let evaluation: CheckpointEvaluation
    let accuracy: MeanWithInterval?
    let episodes: Int
    let steps: Int
    let fixedEpisodes: Bool

    /// A Markdown table of the four settings (ours filled in for the checkpoint's), then the differences.
    var table: String {
        /// "98.7 ± 0.4%" from percentages.
        func percent(_ mean: Double, _ interval: Double) -> String { String(format: "%.1f ± %.1f%%", mean, interval) }
        let ours = accuracy.map { percent(100 * $0.mean, 100 * $0.halfWidth) } ?? "-"
        var lines = ["| Omniglot | MAML paper | this checkpoint |", "| --- | --- | --- |"]
        for row in Self.paperTable {
            let mine = row.ways == settings.ways && row.shots == settings.shots ? ours : ""
            lines.append("| \(row.ways)-way \(row.shots)-shot | \(percent(row.accuracy, row.interval)) | \(mine) |")
        }
        if !Self.paperTable.contains(where: { $0.ways == settings.ways && $0.shots == settings.shots }) {
            lines.append("| \(settings.ways)-way \(settings.shots)-shot (not in the paper) | | \(ours) |")
        }
        lines.append("")
        lines.append("Protocol: \(episodes) \(fixedEpisodes ? "fixed" : "sampled") episodes, \(steps) adaptation steps at "
            + "α = \(evaluation.configuration.innerLearningRate), 95% intervals (1.96 standard errors).")
        lines.append("What differs from the paper:")
        for difference in differences { lines.append("- \(difference)") }
        return lines.joined(separator: "\n")
    }

    /// The set-up differences that matter for the comparison.
    var differences: [String] {
        var list: [String] = []
        let configuration = evaluation.configuration
        let data = evaluation.task?.data ?? "this run's data"
        if settings.tasks != .omniglot {
            list.append("the data is \(settings.tasks.rawValue), not Omniglot: the paper's figures do not apply")
        } else {
            list.append("data: \(data); the paper trained on 1200 characters of the full Omniglot set (both "
                + "background and evaluation alphabets) and tested on the remaining 423 characters")
        }
        if let split = evaluation.task?.split {
            list.append("held-out classes come from whole alphabets never trained on (\(split.summary)); the paper's test "
                + "characters share alphabets with its training characters")
        }
        if settings.withinAlphabet {
            list.append("every episode's classes come from one alphabet, which is harder than the paper's episodes of any characters")
        }
        let iterations = evaluation.iteration.map { "\($0) iterations" } ?? "\(configuration.iterations) iterations planned"
        list.append("training: \(configuration.algorithm.rawValue), \(iterations), meta-batch "
            + "\(configuration.metaBatch), \(configuration.innerSteps) inner steps at α = \(configuration.innerLearningRate); "
            + "the paper trained second-order MAML for 60,000 iterations (meta-batch 32 for 5-way, 16 for 20-way)")
        list.append("batch norm: query statistics as chosen here; the paper normalized with each batch's own statistics")
        return list
    }
}
