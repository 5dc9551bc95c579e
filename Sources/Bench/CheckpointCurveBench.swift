import ArgumentParser
import Foundation

/// `bench checkpoint-curve`: peak memory and time of second-order MAML on Omniglot for K = 1, 2,
/// ... inner steps, with every step's graph stored and with checkpointed segments.
///
/// Each point is a fresh `bench omniglot-fomaml --second-order` process, so that its peak
/// resident memory is its own. Both modes start from the same seed and take the same Adam
/// steps, so equal final meta-losses (to the bit) show that the checkpointed meta-gradients
/// are the stored ones. Prints one JSON object per point and a summary with the curves.
struct CheckpointCurveBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-curve",
        abstract: "Memory and time of second-order Omniglot MAML for K = 1...max inner steps, stored and checkpointed (prints JSON).")

    @Option(name: .customLong("root"), help: "An Omniglot folder (repeatable); defaults to OMNIGLOT_ROOT, then synthetic glyphs.")
    var roots: [String] = []
    @Option(help: "Largest number of inner steps.")
    var maxSteps = 20
    @Option(help: "Comma-separated inner-step counts to measure (default: 1 to --max-steps).")
    var steps: String?
    @Option(help: "Steps per checkpointed segment.")
    var checkpointEvery = 1
    @Option(help: "Timed iterations per point, after one untimed.")
    var iterations = 1
    @Option(help: "Episodes per meta-batch.")
    var metaBatch = 8

    func validate() throws {
        guard maxSteps >= 1, checkpointEvery >= 1, iterations >= 1, metaBatch >= 1 else {
            throw ValidationError("--max-steps, --checkpoint-every, --iterations and --meta-batch must be positive")
        }
    }

    func run() throws {
        let counts = steps.map { $0.split(separator: ",").compactMap { Int($0) } } ?? Array(1...maxSteps)
        var curves: [String: [[String: Any]]] = ["stored": [], "checkpointed": []]
        for k in counts {
            var pair: [String: [String: Any]] = [:]
            for mode in ["stored", "checkpointed"] {
                var arguments = ["omniglot-fomaml", "--second-order", "--inner-steps", "\(k)", "--iterations", "\(iterations)",
                                 "--meta-batch", "\(metaBatch)"] + roots.flatMap { ["--root", $0] }
                if mode == "checkpointed" { arguments += ["--checkpoint-every", "\(checkpointEvery)"] }
                let point = try Self.runChild(arguments)
                pair[mode] = point
                curves[mode]!.append(point)
            }
            let (stored, checkpointed) = (pair["stored"]!, pair["checkpointed"]!)
            Measurement.printJSON([
                "inner_steps": k, "checkpoint_every": checkpointEvery,
                "stored_peak_rss_mb": stored["peak_rss_mb"]!, "checkpointed_peak_rss_mb": checkpointed["peak_rss_mb"]!,
                "stored_cpu_seconds": stored["cpu_seconds_per_iteration"]!,
                "checkpointed_cpu_seconds": checkpointed["cpu_seconds_per_iteration"]!,
                "time_ratio": Measurement.rounded(Self.number(checkpointed["cpu_seconds_per_iteration"]) / Self.number(stored["cpu_seconds_per_iteration"]), 3),
                "same_meta_loss_bits": "\(stored["last_meta_loss_bits"]!)" == "\(checkpointed["last_meta_loss_bits"]!)",
            ])
        }
        Measurement.printJSON(["benchmark": "checkpoint-curve", "inner_steps": counts, "checkpoint_every": checkpointEvery,
                               "stored": curves["stored"]!, "checkpointed": curves["checkpointed"]!])
    }

    static func number(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }

    /// Runs this executable with `arguments` and parses the JSON object it prints last.
    static func runChild(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ValidationError("bench \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
        return object
    }
}
