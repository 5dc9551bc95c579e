/// A function of tensors that runs dynamically once per input signature, capturing the kernels
/// it executes, and afterwards replays them as a flat program.
///
/// The first call with given input shapes and dtypes (and recording mode) runs `body` on the
/// ordinary dynamic path (graph nodes, backward sweeps, everything) while every kernel it
/// executes is captured: forward operations, the operations of backward passes, cotangent sums,
/// optimizer updates. Later calls with the same signature run only those kernels, on the new
/// inputs, into memory planned once (`ReplayProgram`): no graph nodes, no graph walk, no
/// allocation except the returned tensors. The results are bit-identical to the dynamic path's,
/// because each instruction is the kernel the dynamic path ran, with the same layout, in the
/// same order.
///
/// What `body` may do, for the capture to be replayed:
///   - compute only from its inputs and from tensors and Swift values it reads from outside,
///     which are baked in as they were at the capture (pass anything that changes between calls
///     as an input);
///   - use the operations whose kernels record themselves (element-wise arithmetic and
///     functions, broadcasting, sums to a shape, reshapes, matrix products, `select`, the
///     fused Adam update); anything else makes the signature run dynamically from then on;
///   - not read values computed from the inputs back into Swift (control flow could depend on
///     them), and not hand work to other threads.
/// A call whose inputs are tracked by a graph, or whose captured outputs were tracked, always
/// runs dynamically: a replay produces constants. So does a call made while another
/// `CompiledFunction` is capturing (that capture records the kernels itself).
///
/// One instance serves one thread at a time: replays share the planned memory.
public final class CompiledFunction {
    private let body: ([Tensor]) -> [Tensor]
    private var programs: [Signature: Entry] = [:]

    /// How the calls so far were served.
    public struct Statistics: Sendable, Equatable {
        /// Calls that ran dynamically while capturing a program.
        public var captures = 0
        /// Calls that replayed a captured program.
        public var replays = 0
        /// Calls that ran dynamically because their signature cannot be replayed.
        public var dynamicRuns = 0

        /// Counts of calls served each way.
        public init(captures: Int = 0, replays: Int = 0, dynamicRuns: Int = 0) {
            (self.captures, self.replays, self.dynamicRuns) = (captures, replays, dynamicRuns)
        }
    }

    /// How the calls so far were served.
    public private(set) var statistics = Statistics()

    private enum Entry {
        case program(ReplayProgram)
        case dynamic(reason: String)
    }

    /// What a captured program assumes about a call.
    private struct Signature: Hashable {
        let shapes: [[Int]]
        let dtypes: [DType]
        let recording: Bool, higherOrder: Bool
    }

    /// A compiled form of `body`, a function from tensors to tensors.
    public init(_ body: @escaping ([Tensor]) -> [Tensor]) {
        self.body = body
    }

    /// `body(inputs)`, replayed when a program for these shapes and dtypes has been captured.
    public func callAsFunction(_ inputs: [Tensor]) -> [Tensor] {
        // Tracked inputs need a graph, which a replay does not build; inside another capture the
        // kernels must run where that capture records them.
        if inputs.contains(where: \.isTracked) || CaptureRecorder.active != nil {
            statistics.dynamicRuns += 1
            return body(inputs)
        }
        let context = GraphContext.current
        let signature = Signature(shapes: inputs.map(\.shape), dtypes: inputs.map(\.dtype),
                                  recording: context.recording, higherOrder: context.higherOrder)
        switch programs[signature] {
        case .program(let program)?:
            statistics.replays += 1
            return program.run(inputs)
        case .dynamic?:
            statistics.dynamicRuns += 1
            return body(inputs)
        case nil:
            statistics.captures += 1
            let (outputs, entry) = capture(inputs)
            programs[signature] = entry
            return outputs
        }
    }

    /// Why calls with these inputs run dynamically, or nil when they replay or have not been seen.
    public func dynamicReason(for inputs: [Tensor]) -> String? {
        let context = GraphContext.current
        let signature = Signature(shapes: inputs.map(\.shape), dtypes: inputs.map(\.dtype),
                                  recording: context.recording, higherOrder: context.higherOrder)
        if case .dynamic(let reason)? = programs[signature] { return reason }
        return nil
    }

    /// The number of kernels a replay for these inputs runs, or nil when there is no program.
    public func instructionCount(for inputs: [Tensor]) -> Int? {
        let context = GraphContext.current
        let signature = Signature(shapes: inputs.map(\.shape), dtypes: inputs.map(\.dtype),
                                  recording: context.recording, higherOrder: context.higherOrder)
        if case .program(let program)? = programs[signature] { return program.instructionCount }
        return nil
    }

    /// Runs `body` dynamically while capturing, and returns its results with what later calls should do.
    private func capture(_ inputs: [Tensor]) -> ([Tensor], Entry) {
        // Each input gets its own buffer, so that each is its own slot.
        var seen = Set<ObjectIdentifier>()
        let inputs = inputs.map { input in
            seen.insert(input.storageIdentifier).inserted ? input : Kernels.copied(input)
        }
        let recorder = CaptureRecorder(inputs: inputs.map(\.buffer))
        let outputs = recorder.recording { body(inputs) }
        if outputs.contains(where: \.isTracked) {
            return (outputs, .dynamic(reason: "an output is tracked by a graph"))
        }
        let program = ReplayProgram(recorder, inputCount: inputs.count, outputs: outputs)
        if let failure = recorder.failure { return (outputs, .dynamic(reason: failure)) }
        return (outputs, .program(program))
    }
}

extension Kernels {
    /// The same values in a buffer of their own.
    static func copied(_ x: Tensor) -> Tensor {
        let out = Buffer(dtype: x.dtype, count: x.scalarCount)
        out.raw.copyMemory(from: x.buffer.raw, byteCount: x.scalarCount * x.dtype.byteCount)
        return Tensor(buffer: out, shape: x.shape)
    }
}
