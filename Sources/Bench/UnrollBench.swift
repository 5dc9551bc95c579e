import ArgumentParser
import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks

/// `bench unroll`: the cost per step of an unrolled, differentiable inner loop as it grows.
///
/// The unrolled-SGD notebook's set-up: a 1-32-32-1 tanh network, 4 points of a sine wave, the
/// L1 loss, K plain gradient steps θₖ₊₁ = θₖ − α∇L(θₖ) with a learned rate α, each gradient
/// recorded so that the query loss of θ_K can be differentiated with respect to θ₀ and α.
/// Written twice: with the functional `grad` (the library's `InnerLoop`) and in the PyTorch
/// style (`gradients(of:wrt:createGraph:)` on tracked tensors). For each K it reports the seconds
/// per inner step, the outer (hyper-gradient) pass per step, the release of the whole graph,
/// and how many nodes the last step's gradient walked. Flat per-step figures mean each step
/// costs the same however much history lies behind it.
struct UnrollBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unroll",
        abstract: "Seconds per step of an unrolled inner loop for growing K (prints one JSON object per K and style).")

    @Option(help: "Comma-separated numbers of inner steps.")
    var steps = "10,100,1000,10000"
    @Option(help: "functional, pytorch or both.")
    var style = "both"

    func validate() throws {
        guard !stepCounts.isEmpty, stepCounts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--steps must list positive numbers") }
        guard ["functional", "pytorch", "both"].contains(style) else { throw ValidationError("--style must be functional, pytorch or both") }
    }

    var stepCounts: [Int] { steps.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let workload = UnrollWorkload()
        let styles = style == "both" ? ["functional", "pytorch"] : [style]
        for steps in stepCounts {
            for style in styles {
                let run = style == "functional" ? workload.functional(steps: steps) : workload.pytorch(steps: steps)
                Measurement.printJSON([
                    "benchmark": "unroll", "style": style, "steps": steps,
                    "inner_seconds_per_step": run.inner / Double(steps),
                    "outer_seconds_per_step": run.outer / Double(steps),
                    "release_seconds_per_step": run.release / Double(steps),
                    "total_seconds_per_step": (run.inner + run.outer + run.release) / Double(steps),
                    "last_step_nodes_walked": run.lastStepNodes,
                    "alpha_gradient": run.alphaGradient,
                    "peak_rss_mb": Measurement.rounded(Measurement.memoryMiB("VmHWM")),
                ])
            }
        }
    }
}

/// The notebook's network, data and hyper-parameters, and one timed unrolled run per style.
struct UnrollWorkload {
    let model = MLP(sizes: [1, 32, 32, 1], activation: .tanh)
    let theta0: Parameters
    let x = Tensor(shape: [4, 1], scalars: [-2.1, -0.4, 0.9, 2.6])
    let y: Tensor
    let queryX = Tensor(shape: [4, 1], scalars: [-1.3, 0.2, 1.4, 2.9])
    let queryY: Tensor
    /// A small rate, so that θ stays finite over 10,000 steps.
    let alpha = 1e-3

    init() {
        var generator = SeededGenerator(seed: 0)
        theta0 = model.initialize(generator: &generator)
        y = Tensor(shape: [4, 1], scalars: x.scalars.map { 0.8 * Foundation.sin(0.7 * $0) })
        queryY = Tensor(shape: [4, 1], scalars: queryX.scalars.map { 0.8 * Foundation.sin(0.7 * $0) })
    }

    /// Seconds spent in the inner loop, the outer pass and the release; nodes the last inner
    /// gradient walked; and ∂L_query/∂α.
    struct Run {
        var inner = 0.0, outer = 0.0, release = 0.0
        var lastStepNodes = 0
        var alphaGradient = 0.0
    }

    /// The library's inner loop (`grad` at every step) and one reverse pass over the query loss.
    func functional(steps: Int) -> Run {
        var run = Run()
        let graph = GraphHolder()  // after the block, the only holder of the unrolled graph
        do {
            let innerLoop = InnerLoop(steps: steps, learningRate: .learnedScalar)
            let support = { (p: Parameters) in meanAbsoluteError(model(p, x), y) }
            let meta = theta0.merging(["inner.lr": Tensor(alpha)]).variables()
            var start = Self.now()
            let path = innerLoop.trajectory(from: meta, supportLoss: support)
            run.inner = Self.now() - start
            let probe = path[steps - 1].variables()
            run.lastStepNodes = backwardPassNodes(of: support(probe), wrt: probe.tensors).count
            start = Self.now()
            let loss = meanAbsoluteError(model(path[steps], queryX), queryY)
            run.alphaGradient = gradients(of: loss, wrt: meta.tensors)[meta.names.firstIndex(of: "inner.lr")!].scalar
            run.outer = Self.now() - start
            graph.tensor = loss
        }
        run.release = graph.secondsToRelease()
        return run
    }

    /// The same loop written with tracked tensors and `gradients(of:wrt:createGraph: true)`.
    func pytorch(steps: Int) -> Run {
        var run = Run()
        let graph = GraphHolder()
        do {
            let rate = Tensor(alpha).variable(named: "alpha")
            let initial = theta0.variables()
            var theta = initial
            var start = Self.now()
            for step in 0..<steps {
                let loss = meanAbsoluteError(model(theta, x), y)
                if step == steps - 1 { run.lastStepNodes = backwardPassNodes(of: loss, wrt: theta.tensors).count }
                let g = gradients(of: loss, wrt: theta.tensors, createGraph: true)
                theta = theta - rate * Parameters(names: theta.names, tensors: g)
            }
            run.inner = Self.now() - start
            start = Self.now()
            let loss = meanAbsoluteError(model(theta, queryX), queryY)
            run.alphaGradient = gradients(of: loss, wrt: initial.tensors + [rate]).last!.scalar
            run.outer = Self.now() - start
            graph.tensor = loss
        }
        run.release = graph.secondsToRelease()
        return run
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// Holds the tensor behind a graph, so that the graph's release can be timed on its own.
final class GraphHolder {
    var tensor: Tensor?

    /// Seconds to drop the last reference to the graph (its release runs there and then).
    func secondsToRelease() -> Double {
        let start = UnrollWorkload.now()
        tensor = nil
        return UnrollWorkload.now() - start
    }
}
