import ArgumentParser
import Autodiff
import Foundation

/// `bench sine-maml`: meta-training steps per second of MAML on sinusoid regression.
///
/// The workload of the MAML paper's sinusoid experiment and of the Python anchors: an MLP
/// 1-40-40-1 with ReLU, tasks y = A sin(x + φ) with 10 support and 10 query points, SGD inner
/// steps with α = 0.01, and Adam (lr 1e-3) on the meta-parameters. The tasks of a meta-batch
/// run together as batched tensors (what `vmap` does in JAX). Reports meta-steps per second of
/// wall-clock time and per CPU second of the process (`meta_steps_per_cpu_second`, the figure
/// that stays steady when other work shares the cores).
struct SineMAMLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sine-maml",
        abstract: "Meta-steps per second of sinusoid MAML (prints JSON).")

    @Flag(help: "First-order MAML: inner gradients are constants.")
    var firstOrder = false
    @Option(help: "Tasks per meta-step.")
    var metaBatch = 25
    @Option(help: "Inner SGD steps per task.")
    var innerSteps = 5
    @Option(help: "Seconds per timed window.")
    var seconds = 2.0
    @Option(help: "Timed windows (the median is reported).")
    var windows = 5
    @Option(help: "float32 or float64.")
    var dtype: String = "float32"
    @Flag(help: "Capture the meta-step once and replay it (the same numbers, without building the graph).")
    var replay = false
    @Option(help: "Run exactly this many meta-steps (no timing windows) and report memory before and after.")
    var memoryCheck: Int?

    func validate() throws {
        guard DType(rawValue: dtype) != nil else { throw ValidationError("--dtype must be float32 or float64, got '\(dtype)'") }
        guard metaBatch > 0, innerSteps >= 0, seconds > 0, windows > 0 else {
            throw ValidationError("--meta-batch and --windows must be positive, --inner-steps non-negative, --seconds positive")
        }
    }

    func run() throws {
        let type = DType(rawValue: dtype)!
        var workload = SineMAMLWorkload(metaBatch: metaBatch, innerSteps: innerSteps, firstOrder: firstOrder, dtype: type, replay: replay)
        var result: [String: Any] = [
            "benchmark": "sine-maml", "order": firstOrder ? "first" : "second", "meta_batch": metaBatch,
            "inner_steps": innerSteps, "dtype": dtype, "threads": 1, "replay": replay,
        ]
        if let steps = memoryCheck {
            let warm = Swift.min(steps, 100)
            for _ in 0..<warm { workload.step() }
            let before = Measurement.memoryMiB("VmRSS")
            for _ in warm..<steps { workload.step() }
            result["meta_steps"] = steps
            result["rss_mb_after_warmup"] = Measurement.rounded(before)
            result["rss_mb_at_end"] = Measurement.rounded(Measurement.memoryMiB("VmRSS"))
        } else {
            let rates = Measurement.rates(windows: windows, seconds: seconds, warmup: 3) { workload.step() }
            result["meta_steps_per_second"] = Measurement.rounded(Measurement.median(rates.wall), 1)
            result["window_rates"] = rates.wall.map { Measurement.rounded($0, 1) }
            result["meta_steps_per_cpu_second"] = Measurement.rounded(Measurement.median(rates.cpu), 1)
        }
        result["last_meta_loss"] = Measurement.rounded(workload.lastLoss, 4)
        result["peak_rss_mb"] = Measurement.rounded(Measurement.memoryMiB("VmHWM"))
        Measurement.printJSON(result)
    }
}
