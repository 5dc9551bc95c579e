#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// Capture: recording every kernel a computation runs, as a flat program over buffer slots.
//
// A dynamic step builds graph nodes, walks them backwards and allocates a buffer per result;
// the numbers themselves come from a few kernels (matmul, element-wise maps, broadcasts,
// sums, the Adam update). While a capture is active on a thread, each of those kernels, after
// computing its result the ordinary way, also appends an instruction: "run this kernel, with
// this precomputed layout, from these slots into that slot". A slot stands for one buffer:
// an input of the captured function, a constant (made inside from literal numbers, or read
// from outside), or a kernel's result. Because tensors are immutable, every computed slot is
// written exactly once, so the program is in single-assignment form and its memory can be
// planned ahead (`ReplayProgram`).
//
// The capture refuses (and the caller keeps the dynamic path) whenever the program might not
// reproduce the computation:
//   - a buffer made during the capture by a kernel that does not record itself is read by a
//     recorded kernel or returned (an operation capture does not support);
//   - a value computed from the inputs is read back into Swift (`scalars`, `scalar`...), since
//     control flow or constants could then depend on the data;
//   - a buffer is changed in place, or work is handed to other threads (`parallelMap`).
// Buffers allocated during the capture are kept alive until it ends, so no result's memory is
// reused (and mistaken for another) while it runs; the in-place accumulation of the backward
// sweep, which needs a uniquely held buffer, therefore falls back to its ordinary sum, which
// gives the same bits.

/// One step of a captured program: a kernel reading and writing slots of a pointer table.
struct CapturedInstruction {
    /// The kernel with every parameter that decides its results besides the inputs (equal
    /// descriptions on equal inputs give equal results).
    let kernel: String
    /// The slots the kernel reads.
    let reads: [Int]
    /// The slots the kernel writes (each written by no other instruction).
    let writes: [Int]
    /// Runs the kernel on the table of slot addresses.
    let run: (UnsafeMutablePointer<UnsafeMutableRawPointer>) -> Void
    /// For an element-wise function of two operands of one shape: which (for fusing chains).
    var pair: ElementwisePair? = nil
}

/// An element-wise kernel whose operands have the result's shape, for fusing chains: a function
/// of two operands, d[i] = op(a[i], b[i]), or a mask of one, d[i] = mask(a[i]).
struct ElementwisePair {
    enum Function {
        case binary(BinaryKernel)
        /// `UnaryKernel.step` or `.sign`: what the backward passes of relu and abs multiply by.
        case mask(UnaryKernel)
    }
    let function: Function
    let dtype: DType
    let count: Int
}

/// What one slot of a captured program holds.
enum CapturedSlot {
    /// The captured function's input at this position.
    case input(Int)
    /// A fixed buffer (made from literal numbers, or a tensor the function read from outside).
    case constant(Buffer)
    /// The result of an instruction, `byteCount` bytes.
    case computed(byteCount: Int)
}

/// Collects the instructions of one capture; installed for the capturing thread only.
final class CaptureRecorder {
    private(set) var slots: [CapturedSlot] = []
    private(set) var instructions: [CapturedInstruction] = []
    /// Why the capture cannot be replayed (the first reason met), or nil.
    private(set) var failure: String?
    private var slotOf: [ObjectIdentifier: Int] = [:]
    /// Every buffer seen, kept alive so identities stay unique while the capture runs.
    private var retained: [Buffer] = []
    /// Buffers allocated during the capture that no recorded kernel or constant has claimed.
    private var unexplained: [ObjectIdentifier: Buffer] = [:]

    /// A recorder whose input slots 0..<n are the given buffers (which must be distinct).
    init(inputs: [Buffer]) {
        for (position, buffer) in inputs.enumerated() { newSlot(buffer, .input(position)) }
    }

    /// The recorder of the current thread's capture, if one is running.
    @inline(__always) static var active: CaptureRecorder? {
        // One relaxed load on the dynamic path; the thread's own slot only while some capture runs.
        guard runningCaptures.load(ordering: .relaxed) > 0, let raw = pthread_getspecific(captureKey) else { return nil }
        return Unmanaged<CaptureRecorder>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Runs `body` with this recorder active on the current thread.
    func recording<R>(_ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(captureKey)
        runningCaptures.add(1, ordering: .relaxed)
        pthread_setspecific(captureKey, Unmanaged.passUnretained(self).toOpaque())
        defer {
            pthread_setspecific(captureKey, previous)
            runningCaptures.subtract(1, ordering: .relaxed)
        }
        return try body()
    }

    /// Marks the capture as not replayable.
    func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    @discardableResult
    private func newSlot(_ buffer: Buffer, _ kind: CapturedSlot) -> Int {
        let slot = slots.count
        slots.append(kind)
        slotOf[ObjectIdentifier(buffer)] = slot
        retained.append(buffer)
        return slot
    }

    /// A buffer was just allocated.
    func noteAllocation(_ buffer: Buffer) {
        unexplained[ObjectIdentifier(buffer)] = buffer
    }

    /// A buffer just made holds numbers that do not depend on the inputs (literals, fills).
    func noteConstant(_ buffer: Buffer) {
        let id = ObjectIdentifier(buffer)
        guard unexplained.removeValue(forKey: id) != nil else { return }
        newSlot(buffer, .constant(buffer))
    }

    /// Whether `buffer` is an input of the captured function: a replay fills its slot with
    /// whatever the caller passes, so nothing about its present values carries over.
    func isInput(_ buffer: Buffer) -> Bool {
        guard let slot = slotOf[ObjectIdentifier(buffer)], case .input = slots[slot] else { return false }
        return true
    }

    /// A buffer's values are being read into Swift.
    func noteValueRead(_ buffer: Buffer) {
        let id = ObjectIdentifier(buffer)
        if unexplained[id] != nil { fail("values of an unsupported operation's result were read"); return }
        guard let slot = slotOf[id] else { return }
        if case .constant = slots[slot] { return }
        fail("values computed from the inputs were read while capturing")
    }

    /// The slot of a buffer being read: its own, or a new constant slot for a buffer from outside.
    func slot(reading buffer: Buffer) -> Int {
        let id = ObjectIdentifier(buffer)
        if let slot = slotOf[id] { return slot }
        if unexplained.removeValue(forKey: id) != nil {
            fail("an operation that capture does not support made a value the computation uses")
        }
        return newSlot(buffer, .constant(buffer))
    }

    /// Appends an instruction of `kernel` (its description) reading `reads` and writing the fresh buffers `writes`; `run`
    /// gets the slots (reads then writes) and returns the kernel to run on a slot table.
    func append(kernel: String, reads: [Buffer], writes: [Buffer], pair: ElementwisePair? = nil,
                _ run: ([Int]) -> (UnsafeMutablePointer<UnsafeMutableRawPointer>) -> Void) {
        let readSlots = reads.map(slot(reading:))
        var writeSlots: [Int] = []
        for buffer in writes {
            let id = ObjectIdentifier(buffer)
            if unexplained.removeValue(forKey: id) == nil { fail("a kernel wrote into a buffer it did not make") }
            writeSlots.append(newSlot(buffer, .computed(byteCount: buffer.count * buffer.dtype.byteCount)))
        }
        instructions.append(CapturedInstruction(kernel: kernel, reads: readSlots, writes: writeSlots, run: run(readSlots + writeSlots), pair: pair))
    }
}

/// How many captures are running, on any thread.
private let runningCaptures = Atomic<Int>(0)

/// The thread-local key holding the active recorder.
private let captureKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()
