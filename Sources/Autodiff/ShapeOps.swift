// Shape operations: reshape, broadcast, reductions, permutes, slices, gathers, joins.

extension Tensor {
    /// The same elements with another shape (one axis may be -1, inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            check(known > 0 && scalarCount % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
            target[unknown] = scalarCount / known
        }
        checkShape(target, "reshape")
        check(target.reduce(1, *) == scalarCount, "reshape: cannot reshape \(shape) (\(scalarCount) elements) to \(newShape)")
        if target == shape { return self }
        return .apply(.reshape(target), [self])
    }

    /// All elements as a vector.
    public func flattened() -> Tensor { reshaped([scalarCount]) }

    /// Repeats along axes of size 1 (and new leading axes) to reach `newShape`.
    public func broadcast(to newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        checkShape(newShape, "broadcast")
        check(Shapes.canBroadcast(shape, to: newShape), "broadcast: cannot broadcast shape \(shape) to \(newShape)")
        return .apply(.broadcast(newShape), [self])
    }

    /// Sums down to `target`, a shape that broadcasts to this one (the adjoint of `broadcast(to:)`).
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        check(Shapes.canBroadcast(target, to: shape), "sum(toShape:): cannot reduce shape \(shape) to \(target)")
        return .apply(.reduceSum(target), [self])
    }

    /// Normalizes axes (negative counts from the end) and checks them.
    func normalized(_ axes: [Int], _ op: String) -> [Int] {
        axes.map { axis in
            let a = axis < 0 ? axis + rank : axis
            check(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
            return a
        }
    }

    /// The shape with `axes` set to 1.
    private func keptShape(_ axes: [Int]) -> [Int] {
        var s = shape
        for a in axes { s[a] = 1 }
        return s
    }

    /// The shape with `axes` removed.
    private func droppedShape(_ axes: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// The sum of all elements, as a scalar.
    public func sum() -> Tensor { sum(toShape: []) }

    /// Sums over `axes` (negative axes count from the end); `keepingDimensions` leaves size-1 axes.
    public func sum(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let a = normalized(axes, "sum")
        let kept = sum(toShape: keptShape(a))
        return keepingDimensions ? kept : kept.reshaped(droppedShape(a))
    }

    /// Sums over one axis.
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The mean of all elements.
    public func mean() -> Tensor { sum() / Double(Swift.max(scalarCount, 1)) }

    /// The mean over `axes`.
    public func mean(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let a = normalized(axes, "mean")
        let count = a.map { shape[$0] }.reduce(1, *)
        return sum(axes: a, keepingDimensions: keepingDimensions) / Double(Swift.max(count, 1))
    }

    /// The mean over one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The (biased, divide-by-n) variance over `axes`.
    public func variance(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let centered = self - mean(axes: axes, keepingDimensions: true)
        return centered.squared.mean(axes: axes, keepingDimensions: keepingDimensions)
    }

    /// The largest element over `axes` (ties share the gradient).
    public func max(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let a = normalized(axes, "max")
        let kept = Tensor.apply(.reduceMax(keptShape(a)), [self])
        return keepingDimensions ? kept : kept.reshaped(droppedShape(a))
    }

    /// The largest element over one axis.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        max(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The largest element.
    public func max() -> Tensor { max(axes: Array(0..<rank)) }

    /// The smallest element over `axes`.
    public func min(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        -(-self).max(axes: axes, keepingDimensions: keepingDimensions)
    }

    /// Reorders axes: result axis i is axis `order[i]` of this tensor.
    public func permuted(_ order: [Int]) -> Tensor {
        check(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of the axes of shape \(shape)")
        if order == Array(0..<rank) { return self }
        return .apply(.permute(order), [self])
    }

    /// Swaps the last two axes (the matrix transpose).
    public var transposed: Tensor {
        check(rank >= 2, "transposed: needs at least 2 axes, got shape \(shape)")
        var order = Array(0..<rank)
        order.swapAt(rank - 1, rank - 2)
        return permuted(order)
    }

    /// The box `lower[i] ..< upper[i]` on every axis.
    public func sliced(lower: [Int], upper: [Int]) -> Tensor {
        check(lower.count == rank && upper.count == rank
              && (0..<rank).allSatisfy { 0 <= lower[$0] && lower[$0] <= upper[$0] && upper[$0] <= shape[$0] },
              "slice: bounds \(lower)..<\(upper) do not fit shape \(shape)")
        if lower.allSatisfy({ $0 == 0 }) && upper == shape { return self }
        return .apply(.slice(lower: lower, upper: upper), [self])
    }

    /// The elements `range` along `axis`.
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = normalized([axis], "slice")[0]
        var lower = [Int](repeating: 0, count: rank), upper = shape
        (lower[a], upper[a]) = (range.lowerBound, range.upperBound)
        return sliced(lower: lower, upper: upper)
    }

    /// Zeros of `shape` with this tensor written at offset `lower` (the adjoint of slicing).
    public func padded(lower: [Int], toShape target: [Int]) -> Tensor {
        check(lower.count == rank && target.count == rank
              && (0..<rank).allSatisfy { lower[$0] >= 0 && lower[$0] + shape[$0] <= target[$0] },
              "pad: shape \(shape) at offset \(lower) does not fit in \(target)")
        if target == shape { return self }
        return .apply(.pad(lower: lower, shape: target), [self])
    }

    /// Picks `indices` along `axis` (indices may repeat; out-of-range indices stop with a message).
    public func gathered(axis: Int = 0, indices: [Int]) -> Tensor {
        .apply(.gather(axis: normalized([axis], "gather")[0], indices: indices), [self])
    }

    /// Zeros with `size` entries along `axis`, with this tensor's slices added at `indices`.
    public func scatterAdd(axis: Int = 0, indices: [Int], size: Int) -> Tensor {
        check(size >= 0, "scatterAdd: negative size \(size) for shape \(shape)")
        let a = normalized([axis], "scatterAdd")[0]
        check(indices.count == shape[a], "scatterAdd: \(indices.count) indices for axis \(a) of shape \(shape)")
        check(indices.allSatisfy { $0 >= 0 && $0 < size }, "scatterAdd: an index is out of range 0..<\(size)")
        return .apply(.scatterAdd(axis: a, indices: indices, size: size), [self])
    }

    /// Elements of the flattened tensor at `indices`, shaped as `shape` (indices may repeat).
    public func take(indices: [Int], shape newShape: [Int]) -> Tensor {
        checkShape(newShape, "take")
        check(newShape.reduce(1, *) == indices.count, "take: \(indices.count) indices for shape \(newShape)")
        return .apply(.take(indices: indices, shape: newShape), [self])
    }

    /// Zeros of `shape` with this tensor's elements added at flat `indices` (the adjoint of `take`).
    public func put(indices: [Int], shape newShape: [Int]) -> Tensor {
        checkShape(newShape, "put")
        check(indices.count == scalarCount, "put: \(indices.count) indices for \(scalarCount) elements")
        return .apply(.put(indices: indices, shape: newShape), [self])
    }

    /// Adds a size-1 axis at `axis`.
    public func expandingShape(at axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(s)
    }

    /// Unfolds image patches: `[N, C, H, W]` -> `[C*kh*kw, N*Ho*Wo]` (for convolution).
    public func im2col(_ geometry: ConvGeometry) -> Tensor { .apply(.im2col(geometry), [self]) }

    /// Folds `[C*kh*kw, N*Ho*Wo]` columns back into `[N, C, H, W]` images, adding overlaps (the adjoint of `im2col`).
    public func col2im(_ geometry: ConvGeometry) -> Tensor { .apply(.col2im(geometry), [self]) }
}

/// Joins tensors along an existing axis; all other axes must match.
public func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    check(!tensors.isEmpty, "concat: no tensors given")
    let first = tensors[0]
    let a = first.normalized([axis], "concat")[0]
    for t in tensors {
        check(t.rank == first.rank && t.dtype == first.dtype
              && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
              "concat: shapes \(first.shape) and \(t.shape) differ off axis \(a)")
    }
    if tensors.count == 1 { return first }
    return .apply(.concat(axis: a), tensors)
}

/// Stacks same-shaped tensors along a new axis.
public func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    check(!tensors.isEmpty, "stack: no tensors given")
    return concat(tensors.map { $0.expandingShape(at: axis) }, axis: axis)
}

/// The matrix product `op(a) @ op(b)` over broadcast batch axes (`[..., m, k] @ [..., k, n]`).
///
/// `transposeA`/`transposeB` use the transpose of the last two axes without copying.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    .apply(.matmul(transposeA: transposeA, transposeB: transposeB), [a, b])
}
