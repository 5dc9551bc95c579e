import ArgumentParser
import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData

/// `bench omniglot-fomaml`: seconds per meta-training iteration of MAML on 5-way 5-shot Omniglot.
///
/// The workload of the course's first homework: the 4-block, 64-filter convolutional network,
/// 15 queries per class, 5 inner SGD steps at 0.4, Adam 1e-3, meta-batch 8, one thread. Real
/// Omniglot when `--root` or OMNIGLOT_ROOT is given, synthetic glyphs otherwise (same shapes,
/// same cost). Reports wall-clock and process CPU seconds per iteration; the CPU figure is the
/// steadier one when other work shares the cores.
///
/// At first order it also reports the arithmetic of an iteration (`ConvNetWork`): the GFLOP of
/// the direct convolutions and of the products actually run, the rate per CPU second, and that
/// rate as a fraction of the core's FP32 peak measured as sgemm on 1024x1024 matrices
/// (`PeakFP32`), beside the ceiling of the package's own Swift SIMD code.
struct OmniglotFOMAMLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omniglot-fomaml",
        abstract: "Seconds per iteration of FO-MAML (or full MAML) on 5-way 5-shot Omniglot (prints JSON).")

    @Option(name: .customLong("root"), help: "An Omniglot folder (repeatable); defaults to OMNIGLOT_ROOT, then synthetic glyphs.")
    var roots: [String] = []
    @Option(help: "Episodes per meta-batch.")
    var metaBatch = 8
    @Option(help: "Timed iterations (the median is reported).")
    var iterations = 5
    @Option(help: "Inner SGD steps.")
    var innerSteps = 5
    @Flag(help: "Exact second-order meta-gradients instead of first order.")
    var secondOrder = false
    @Option(help: "Threads that differentiate the episodes of a meta-batch at once.")
    var threads = 1
    @Option(help: "Keep only every n-th inner step's parameters and run the steps between again in the outer pass (rematerialisation).")
    var checkpointEvery: Int?

    func validate() throws {
        guard metaBatch > 0, iterations > 0, innerSteps >= 0, threads >= 1, (checkpointEvery ?? 1) >= 1 else {
            throw ValidationError("--meta-batch, --iterations, --threads and --checkpoint-every must be positive and --inner-steps 0 or more")
        }
    }

    func run() throws {
        let (dataset, source) = try ImageDataset.standard(roots: roots.map { URL(fileURLWithPath: $0) }, cache: Omniglot.defaultCacheURL)
        let (ways, shots, queries) = (5, 5, 15)
        let problem = try ClassificationProblem.episodes(from: dataset, name: "omniglot", ways: ways, shots: shots, queries: queries)
        let memory = checkpointEvery.map { InnerLoopMemory.checkpointed(every: $0) } ?? .stored
        let maml = MAML(innerLoop: InnerLoop(steps: innerSteps, learningRate: .fixed(0.4), memory: memory),
                        order: secondOrder ? .second : .first)
        let optimizer = Adam(learningRate: 1e-3)
        var generator = SeededGenerator(seed: 0)
        var params = problem.initialParameters(generator: &generator)
        var state = optimizer.initialState(for: params)
        var seconds: [Double] = [], cpuSeconds: [Double] = []
        var loss = Double.nan
        for iteration in 0...iterations {  // iteration 0 warms up and is not timed
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Measurement.processCPUSeconds()
            let tasks = try problem.trainingBatch(size: metaBatch, generator: &generator).separateTasks
            let (value, gradient) = maml.metaGradient(params, tasks: tasks, threads: threads)
            (params, state) = optimizer.step(params, gradient, state)
            params = params.detached()
            loss = value.scalar
            if iteration > 0 {
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpuSeconds.append(Measurement.processCPUSeconds() - cpuStart)
            }
        }
        var report: [String: Any] = [
            "benchmark": "omniglot-fomaml", "data": "\(source)", "order": secondOrder ? "second" : "first",
            "meta_batch": metaBatch, "inner_steps": innerSteps, "ways": ways, "shots": shots, "queries": queries, "threads": threads,
            "checkpoint_every": checkpointEvery ?? 0,
            "seconds_per_iteration": Measurement.rounded(Measurement.median(seconds), 3),
            "iteration_seconds": seconds.map { Measurement.rounded($0, 3) },
            "cpu_seconds_per_iteration": Measurement.rounded(Measurement.median(cpuSeconds), 3),
            "last_meta_loss": Measurement.rounded(loss, 4),
            "last_meta_loss_bits": String(loss.bitPattern, radix: 16),
            "peak_rss_mb": Measurement.rounded(Measurement.memoryMiB("VmHWM")),
        ]
        if !secondOrder {
            // Each inner step differentiates the support set, then the outer step the query set.
            let images = metaBatch * (innerSteps * ways * shots + ways * queries)
            let work = ConvNetWork(net: problem.model, images: images)
            let cpu = Measurement.median(cpuSeconds)
            let (peak, swiftPeak) = (PeakFP32.sgemmGFLOPS(), PeakFP32.swiftSIMDGFLOPS())
            report["images_differentiated_per_iteration"] = images
            report["winograd_tile_sides"] = work.tileSides
            report["direct_gflop_per_iteration"] = Measurement.rounded(work.direct / 1e9, 2)
            report["performed_gflop_per_iteration"] = Measurement.rounded(work.performed / 1e9, 2)
            report["direct_equivalent_gflops"] = Measurement.rounded(work.direct / 1e9 / cpu, 1)
            report["performed_gflops"] = Measurement.rounded(work.performed / 1e9 / cpu, 1)
            report["peak_fp32_gflops"] = Measurement.rounded(peak, 1)
            report["swift_simd_peak_gflops"] = Measurement.rounded(swiftPeak, 1)
            report["fraction_of_peak"] = Measurement.rounded(work.performed / 1e9 / cpu / peak, 3)
        }
        Measurement.printJSON(report)
    }
}
