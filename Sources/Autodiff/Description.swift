extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// A NumPy-like printout: nested brackets, at most 6 entries per axis (with "..." between).
    public var description: String {
        let header = "Tensor(shape: \(shape), \(dtype)\(isTracked ? ", tracked" : ""))"
        return header + "\n" + Tensor.format(self, axis: 0, offset: 0, indent: 0)
    }

    /// The description, for the debugger.
    public var debugDescription: String { description }

    private static func formatScalar(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && Swift.abs(v) < 1e6 { return String(Int(v)) }
        let magnitude = Swift.abs(v)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            var s = String(format6: v)
            while s.hasSuffix("0") { s.removeLast() }
            return s
        }
        return String(v)
    }

    private static func format(_ t: Tensor, axis: Int, offset: Int, indent: Int) -> String {
        if t.rank == 0 { return formatScalar(t.buffer.double(at: 0)) }
        let size = t.shape[axis]
        let inner = t.shape[(axis + 1)...].reduce(1, *)
        let shown: [Int?] = size <= 6 ? Array(0..<size) : [0, 1, 2, nil, size - 3, size - 2, size - 1]
        if axis == t.rank - 1 {
            return "[" + shown.map { i in i.map { formatScalar(t.buffer.double(at: offset + $0)) } ?? "..." }
                .joined(separator: ", ") + "]"
        }
        let separator = ",\n" + String(repeating: " ", count: indent + 1)
        return "[" + shown.map { i in
            i.map { format(t, axis: axis + 1, offset: offset + $0 * inner, indent: indent + 1) } ?? "..."
        }.joined(separator: separator) + "]"
    }
}

extension String {
    /// Six significant decimals without Foundation's formatter.
    init(format6 v: Double) {
        let scaled = (v * 1e6).rounded() / 1e6
        self = String(scaled)
    }
}
