import Autodiff
import Foundation

/// Numbers, lists and tensors written short for feedback: six significant digits, long lists cut
/// in the middle, a tensor's shape before its elements.
public enum Rendering {
    /// `0.25`, `3`, `1.23457e-05`, `nan`.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    /// `[0.1, 0.2]`, or the first four and last two of a long list with its length.
    public static func numbers(_ values: [Double]) -> String {
        guard values.count > 8 else { return "[" + values.map(number).joined(separator: ", ") + "]" }
        let head = values.prefix(4).map(number).joined(separator: ", ")
        let tail = values.suffix(2).map(number).joined(separator: ", ")
        return "[\(head), …, \(tail)] (\(values.count) numbers)"
    }

    /// `shape [2, 3]: [1, 2, 3, 4, 5, 6]`, or just the number of a scalar tensor.
    public static func tensor(_ tensor: Tensor) -> String {
        tensor.shape.isEmpty ? number(tensor.scalar) : "shape \(tensor.shape): \(numbers(tensor.scalars))"
    }

    /// ` (largest difference 0.2 at index 1)` for two lists of equal length that differ, else "".
    public static func largestDifference(_ actual: [Double], _ expected: [Double]) -> String {
        guard actual.count == expected.count, !actual.isEmpty else { return "" }
        let gaps = zip(actual, expected).map { abs($0 - $1) }
        guard let index = gaps.indices.max(by: { gaps[$0].isNaN ? false : (gaps[$1].isNaN || gaps[$0] < gaps[$1]) }),
              gaps[index] != 0 else { return "" }
        return " (largest difference \(number(gaps[index])) at index \(index))"
    }

    /// A parameter collection as `a: shape [3], b: shape [1, 2]`, for describing inputs.
    public static func shapes(_ parameters: Parameters) -> String {
        parameters.map { "\($0.0): shape \($0.1.shape)" }.joined(separator: ", ")
    }
}
