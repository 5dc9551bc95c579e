// Replay: running a captured program on new inputs of the same shapes.
//
// The program is the capture's instruction list with three things settled ahead:
//   - a kernel run again on the same slots with the same parameters is run once;
//   - an element-wise kernel whose result only feeds another element-wise kernel of the same
//     shape runs inside it, as one loop (`Kernels.fusedPair`, the same roundings per element);
//   - dead instructions (whose results nothing reads and the caller does not get) are dropped;
//   - every intermediate slot gets memory once, for all replays: slots whose lifetimes (from
//     the instruction that writes them to the last one that reads them) do not overlap share a
//     block of the same size, so the working set is that of the widest point of the program;
//   - the slots the caller gets back are fresh buffers on every replay, so returned tensors
//     keep their value semantics.
// A replay fills a table with each slot's address (inputs from the caller, constants and
// intermediates fixed, outputs fresh) and runs the instructions in order. Each instruction is
// the kernel the dynamic path ran, with the layout it worked out then, so the results are the
// same to the bit.

/// A captured computation ready to run again on inputs of the captured shapes and dtypes.
final class ReplayProgram {
    private let runs: [(UnsafeMutablePointer<UnsafeMutableRawPointer>) -> Void]
    private let table: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private let slotCount: Int
    /// The input slots, by input position.
    private let inputSlots: [Int]
    /// Each output: a computed slot with its dtype and count (fresh per replay), or a fixed buffer,
    /// or an input position.
    private let outputs: [Output]
    private let shapes: [[Int]]
    /// Slots that name another slot's values (results of repeated work), with that slot.
    private let aliases: [(alias: Int, of: Int)]
    private var blocks: [UnsafeMutableRawPointer] = []
    /// The constants the program reads, kept alive.
    private let constants: [Buffer]
    /// The number of instructions and of bytes of intermediate memory (for reports and tests).
    let instructionCount: Int, intermediateBytes: Int

    private enum Output {
        case computed(slot: Int, dtype: DType, count: Int)
        case constant(Buffer)
        case input(Int)
        /// The same buffer as an earlier output.
        case sameAs(Int)
    }

    /// The program of `recorder`'s capture whose results are `outputs` (check the recorder's
    /// `failure` afterwards: resolving the outputs can find that they cannot be replayed).
    init(_ recorder: CaptureRecorder, inputCount: Int, outputs results: [Tensor]) {
        let resultSlots = results.map { recorder.slot(reading: $0.buffer) }
        let slots = recorder.slots
        // Repeated work: a kernel run again with the same parameters on the same slots gives the
        // same results, so its results become other names (aliases) of the first run's.
        var canonical = Array(slots.indices), unique: [CapturedInstruction] = []
        var firstRun: [String: [Int]] = [:]
        for instruction in recorder.instructions {
            let key = instruction.kernel + " " + instruction.reads.map { String(canonical[$0]) }.joined(separator: ",")
            if let writes = firstRun[key] {
                for (slot, first) in zip(instruction.writes, writes) { canonical[slot] = first }
            } else {
                firstRun[key] = instruction.writes
                unique.append(CapturedInstruction(kernel: instruction.kernel, reads: instruction.reads.map { canonical[$0] },
                                                  writes: instruction.writes, run: instruction.run, pair: instruction.pair))
            }
        }
        // Outputs by canonical slot: an alias of an output's slot reads the output's fresh buffer.
        var outputs: [Output] = [], outputSlots: [Int: Int] = [:]
        for (index, (tensor, slot)) in zip(results, resultSlots.map { canonical[$0] }).enumerated() {
            switch slots[slot] {
            case .input(let position): outputs.append(.input(position))
            case .constant(let buffer): outputs.append(.constant(buffer))
            case .computed:
                if let first = outputSlots[slot] {
                    outputs.append(.sameAs(first))
                } else {
                    outputs.append(.computed(slot: slot, dtype: tensor.dtype, count: tensor.scalarCount))
                    outputSlots[slot] = index
                }
            }
        }
        self.outputs = outputs
        shapes = results.map(\.shape)
        aliases = slots.indices.filter { canonical[$0] != $0 }.map { (alias: $0, of: canonical[$0]) }
        unique = Self.fusingPairs(unique, outputs: Set(outputSlots.keys))
        // Liveness, backwards: an instruction is live when something live or an output reads its results.
        var needed = Set(outputSlots.keys), live = [Bool](repeating: false, count: unique.count)
        for (index, instruction) in unique.enumerated().reversed() where instruction.writes.contains(where: needed.contains) {
            live[index] = true
            needed.formUnion(instruction.reads)
        }
        let kept = unique.indices.filter { live[$0] }.map { unique[$0] }
        var lastRead = [Int](repeating: -1, count: slots.count)
        for (index, instruction) in kept.enumerated() { for slot in instruction.reads { lastRead[slot] = index } }

        slotCount = recorder.slots.count
        table = .allocate(capacity: Swift.max(slotCount, 1))
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
        blocks.append(scratch)
        table.initialize(repeating: scratch, count: Swift.max(slotCount, 1))
        var inputSlots = [Int](repeating: -1, count: inputCount), constants: [Buffer] = []
        for (slot, kind) in slots.enumerated() {
            switch kind {
            case .input(let position): inputSlots[position] = slot
            case .constant(let buffer):
                constants.append(buffer)
                table[slot] = buffer.raw
            case .computed: break
            }
        }
        (self.inputSlots, self.constants) = (inputSlots, constants)

        // Memory: a block per intermediate, taken from the free blocks of its size when one is.
        var free: [Int: [UnsafeMutableRawPointer]] = [:], bytes = 0
        for (index, instruction) in kept.enumerated() {
            for slot in instruction.writes where outputSlots[slot] == nil {
                guard case .computed(let byteCount) = slots[slot] else { continue }
                if let block = free[byteCount]?.popLast() {
                    table[slot] = block
                } else {
                    let block = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 16), alignment: 16)
                    blocks.append(block)
                    bytes += byteCount
                    table[slot] = block
                }
            }
            // Blocks whose last reader this is (or written and never read) are free for the next instructions.
            for slot in Set(instruction.reads + instruction.writes) where lastRead[slot] <= index && outputSlots[slot] == nil {
                guard case .computed(let byteCount) = slots[slot] else { continue }
                free[byteCount, default: []].append(table[slot])
            }
        }
        for (alias, slot) in aliases { table[alias] = table[slot] }
        runs = kept.map(\.run)
        (instructionCount, intermediateBytes) = (kept.count, bytes)
    }

    /// `instructions` with every same-shape element-wise result that only one same-shape
    /// element-wise kernel reads computed inside that kernel's loop instead of stored.
    private static func fusingPairs(_ instructions: [CapturedInstruction], outputs: Set<Int>) -> [CapturedInstruction] {
        var readCount: [Int: Int] = [:], producer: [Int: Int] = [:]
        for (index, instruction) in instructions.enumerated() {
            for slot in instruction.reads { readCount[slot, default: 0] += 1 }
            if instruction.pair != nil && instruction.writes.count == 1 { producer[instruction.writes[0]] = index }
        }
        var result = instructions, absorbed = Set<Int>()
        for (index, consumer) in instructions.enumerated() {
            guard let second = consumer.pair, case .binary(let secondOp) = second.function, Kernels.fusable(secondOp) else { continue }
            for (position, slot) in consumer.reads.enumerated() {
                // The producer as it now stands (a fused kernel has no `pair`, so chains stop at two).
                guard let p = producer[slot], !absorbed.contains(p), readCount[slot] == 1, !outputs.contains(slot),
                      let first = result[p].pair, Kernels.fusable(first.function), first.dtype == second.dtype, first.count == second.count
                else { continue }
                // A mask reads one operand; it is passed as both (the mask ignores the second).
                let (a, b) = (result[p].reads[0], result[p].reads[result[p].reads.count - 1])
                let (c, d) = (consumer.reads[1 - position], consumer.writes[0])
                let (dtype, count, left) = (second.dtype, second.count, position == 0)
                result[index] = CapturedInstruction(
                    kernel: "(\(result[p].kernel)) then (\(consumer.kernel))", reads: [a, b, c], writes: [d],
                    run: { t in Kernels.fusedPair(first.function, secondOp, intermediateIsLeft: left, dtype, count: count, t[a], t[b], t[c], t[d]) })
                absorbed.insert(p)
                break
            }
        }
        return result.indices.filter { !absorbed.contains($0) }.map { result[$0] }
    }

    deinit {
        for block in blocks { block.deallocate() }
        table.deallocate()
    }

    /// Runs the program on `inputs` (the captured shapes and dtypes) and returns the outputs.
    func run(_ inputs: [Tensor]) -> [Tensor] {
        for (position, slot) in inputSlots.enumerated() where slot >= 0 { table[slot] = inputs[position].buffer.raw }
        var results: [Buffer] = []
        results.reserveCapacity(outputs.count)
        for output in outputs {
            switch output {
            case .computed(let slot, let dtype, let count):
                let buffer = Buffer(dtype: dtype, count: count)
                table[slot] = buffer.raw
                results.append(buffer)
            case .constant(let buffer): results.append(buffer)
            case .input(let position): results.append(inputs[position].buffer)
            case .sameAs(let index): results.append(results[index])
            }
        }
        for (alias, slot) in aliases { table[alias] = table[slot] }
        for run in runs { run(table) }
        return results.indices.map { Tensor(buffer: results[$0], shape: shapes[$0]) }
    }
}
