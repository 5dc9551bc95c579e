/// Walks an n-dimensional index space for up to three operands with arbitrary strides.
///
/// Axes of size 1 are dropped and neighbouring axes that are contiguous for every operand
/// are merged, so the common cases (same shapes, a broadcast bias, a reduction over the last
/// axis) become one long innermost run. `body` receives each run's start offsets, its
/// length and each operand's stride along it.
struct StridedLoop {
    private(set) var shape: [Int]
    private(set) var strides: [[Int]]

    init(shape: [Int], strides: [[Int]]) {
        var keptShape: [Int] = []
        var keptStrides: [[Int]] = Array(repeating: [], count: strides.count)
        for axis in shape.indices where shape[axis] != 1 {
            keptShape.append(shape[axis])
            for k in strides.indices { keptStrides[k].append(strides[k][axis]) }
        }
        // Merge axis i into the axis after it when every operand is contiguous across both.
        var mergedShape: [Int] = []
        var mergedStrides: [[Int]] = Array(repeating: [], count: strides.count)
        for axis in keptShape.indices.reversed() {
            if let innerSize = mergedShape.first,
               strides.indices.allSatisfy({ keptStrides[$0][axis] == mergedStrides[$0][0] * innerSize }) {
                mergedShape[0] *= keptShape[axis]
            } else {
                mergedShape.insert(keptShape[axis], at: 0)
                for k in strides.indices { mergedStrides[k].insert(keptStrides[k][axis], at: 0) }
            }
        }
        self.shape = mergedShape
        self.strides = mergedStrides
    }

    /// Calls `body(offset0, offset1, offset2, runLength, stride0, stride1, stride2)` for each innermost run.
    @inline(__always)
    func forEachRun(offsets: (Int, Int, Int) = (0, 0, 0),
                    _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
        let rank = shape.count
        if rank == 0 {
            body(offsets.0, offsets.1, offsets.2, 1, 0, 0, 0)
            return
        }
        let none = [Int](repeating: 0, count: rank)
        let a = strides.count > 0 ? strides[0] : none
        let b = strides.count > 1 ? strides[1] : none
        let c = strides.count > 2 ? strides[2] : none
        let inner = rank - 1
        let n = shape[inner]
        let (s0, s1, s2) = (a[inner], b[inner], c[inner])
        if rank == 1 {
            body(offsets.0, offsets.1, offsets.2, n, s0, s1, s2)
            return
        }
        shape.withUnsafeBufferPointer { size in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeBufferPointer { c in
                        var index = [Int](repeating: 0, count: inner)
                        var (o0, o1, o2) = offsets
                        index.withUnsafeMutableBufferPointer { index in
                            while true {
                                body(o0, o1, o2, n, s0, s1, s2)
                                var axis = inner - 1
                                while axis >= 0 {
                                    index[axis] += 1
                                    o0 += a[axis]; o1 += b[axis]; o2 += c[axis]
                                    if index[axis] < size[axis] { break }
                                    o0 -= a[axis] * size[axis]
                                    o1 -= b[axis] * size[axis]
                                    o2 -= c[axis] * size[axis]
                                    index[axis] = 0
                                    axis -= 1
                                }
                                if axis < 0 { return }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Shape arithmetic shared by the kernels and the ops.
enum Shapes {
    /// Row-major strides of a contiguous tensor.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// How `small`, broadcast to `shape`, repeats: `shape` seen as [outer, repeats, inner] with
    /// `small` holding the [outer, 1, inner] values, when the axes it is broadcast along form one
    /// run (axes of size 1 aside). A scalar gives (1, count, 1), a bias row of width w
    /// (1, count / w, w), per-task biases [T, 1, w] in [T, n, w] give (T, n, w); nil otherwise.
    static func repeatBlocks(of small: [Int], in shape: [Int]) -> RepeatBlocks? {
        guard small.count <= shape.count else { return nil }
        let aligned = [Int](repeating: 1, count: shape.count - small.count) + small
        var broadcastAxes: [Int] = []
        for axis in shape.indices where aligned[axis] != shape[axis] {
            guard aligned[axis] == 1 else { return nil }
            broadcastAxes.append(axis)
        }
        guard let first = broadcastAxes.first, let last = broadcastAxes.last else {
            return RepeatBlocks(outer: 1, repeats: 1, inner: shape.reduce(1, *))  // the same elements
        }
        // Between the first and the last broadcast axis, every axis is broadcast or of size 1.
        guard (first...last).allSatisfy({ aligned[$0] == 1 }) else { return nil }
        return RepeatBlocks(outer: shape[..<first].reduce(1, *), repeats: shape[first...last].reduce(1, *),
                            inner: shape[(last + 1)...].reduce(1, *))
    }

    /// Strides for reading a tensor of `shape` as if broadcast to `target` (0 on broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let lead = target.count - shape.count
        return target.indices.map { axis in
            axis < lead ? 0 : (shape[axis - lead] == 1 && target[axis] != 1 ? 0 : own[axis - lead])
        }
    }

    /// The NumPy broadcast of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if x == y || y == 1 { result[i] = x } else if x == 1 { result[i] = y } else { return nil }
        }
        return result
    }

    /// Whether `shape` can be broadcast to `target`.
    static func canBroadcast(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let lead = target.count - shape.count
        return shape.indices.allSatisfy { shape[$0] == 1 || shape[$0] == target[$0 + lead] }
    }
}

/// A broadcast seen as blocks: the full tensor is [outer, repeats, inner], and the small one
/// holds [outer, inner] values, each run of `inner` repeated `repeats` times in place.
struct RepeatBlocks: Equatable {
    let outer: Int, repeats: Int, inner: Int
}
