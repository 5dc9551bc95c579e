import ArgumentParser
import Autodiff
import Foundation

/// `bench deep-graph`: a graph of a million nodes in one chain, differentiated to first and
/// second order and released, on a thread with a small stack.
///
/// The chain y ← y + ε y² (ε = 10⁻⁷, three nodes a link) from x = 1. Reported: seconds for
/// the forward pass, for the first-order backward pass, for grad of grad (its forward, recorded
/// backward and second backward together) and for each release, the node counts, the
/// derivatives against the same recurrence in plain Double, and the peak resident memory. The
/// work runs on a thread with `--stack-kb` of stack: a walk, sweep or release that recursed once
/// per node would crash there.
struct DeepGraphBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deep-graph",
        abstract: "Time first and second derivatives and the release of a chain of a million nodes on a small stack (prints JSON).")

    @Option(help: "Nodes in the chain (three a link).")
    var nodes = 1_000_000
    @Option(help: "Stack size in kB of the thread that does the work.")
    var stackKb = 512

    func validate() throws {
        guard nodes >= 3, stackKb >= 64 else { throw ValidationError("--nodes must be at least 3 and --stack-kb at least 64") }
    }

    func run() throws {
        let (links, stackBytes) = (nodes / 3, stackKb << 10)
        nonisolated(unsafe) var report: [String: Any] = [:]
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            report = Self.measure(links: links)
            done.signal()
        }
        thread.stackSize = stackBytes
        thread.start()
        done.wait()
        report["benchmark"] = "deep-graph"
        report["stack_kb"] = stackKb
        report["peak_rss_mb"] = Measurement.rounded(Measurement.memoryMiB("VmHWM"))
        Measurement.printJSON(report)
    }

    static let epsilon = 1e-7

    static func chain(_ x: Tensor, links: Int) -> Tensor {
        var y = x
        for _ in 0..<links { y = y + y * y * epsilon }
        return y
    }

    static func measure(links: Int) -> [String: Any] {
        var report: [String: Any] = ["links": links]
        func seconds(_ start: UInt64) -> Double { Measurement.rounded(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 3) }
        // First order, PyTorch style, so that forward, backward and release are timed apart.
        var start = DispatchTime.now().uptimeNanoseconds
        let x = Tensor(1.0).variable()
        var y: Tensor? = chain(x, links: links)
        report["forward_seconds"] = seconds(start)
        report["forward_nodes"] = backwardPassNodes(of: y!, wrt: [x]).count
        start = DispatchTime.now().uptimeNanoseconds
        let first = gradients(of: y!, wrt: [x])[0].scalar
        report["first_order_backward_seconds"] = seconds(start)
        start = DispatchTime.now().uptimeNanoseconds
        y = nil
        report["first_order_release_seconds"] = seconds(start)
        // Second order: the recorded backward pass makes the graph about twice as long.
        start = DispatchTime.now().uptimeNanoseconds
        var g: Tensor? = gradients(of: chain(x, links: links), wrt: [x], createGraph: true)[0]
        let second = gradients(of: g!, wrt: [x])[0].scalar
        report["second_order_seconds"] = seconds(start)
        report["second_order_nodes"] = backwardPassNodes(of: g!, wrt: [x]).count
        start = DispatchTime.now().uptimeNanoseconds
        g = nil
        report["second_order_release_seconds"] = seconds(start)
        // The same derivatives by the recurrence d ← d (1 + 2εy), s ← s (1 + 2εy) + 2ε d².
        var (value, d, s) = (1.0, 1.0, 0.0)
        for _ in 0..<links {
            (s, d) = (s * (1 + 2 * epsilon * value) + 2 * epsilon * d * d, d * (1 + 2 * epsilon * value))
            value += epsilon * value * value
        }
        report["first_derivative"] = first
        report["second_derivative"] = second
        report["first_relative_error"] = Swift.abs(first - d) / d
        report["second_relative_error"] = Swift.abs(second - s) / s
        return report
    }
}
