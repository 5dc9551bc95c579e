import Autodiff

/// `grad` and `valueAndGrad` of a function that may throw (a student's function under test):
/// the error the function threw is rethrown after the backward pass instead of being lost.
public enum Differentiation {
    /// The value and gradient of `f` at `params`; rethrows the first error `f` threw.
    public static func valueAndGradient(
        of f: @escaping (Parameters) throws -> Tensor, at params: Parameters
    ) throws -> (value: Tensor, gradient: Parameters) {
        nonisolated(unsafe) var failure: (any Error)?
        let (value, gradient) = valueAndGrad { (p: Parameters) -> Tensor in
            do { return try f(p) } catch {
                failure = error
                return p.squaredNorm() * 0
            }
        }(params)
        if let failure { throw failure }
        return (value, gradient)
    }

    /// The gradient of `f` at `params`; rethrows the first error `f` threw.
    public static func gradient(of f: @escaping (Parameters) throws -> Tensor, at params: Parameters) throws -> Parameters {
        try valueAndGradient(of: f, at: params).gradient
    }
}

extension SeededGenerator {
    /// A whole number drawn uniformly from `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.count)
    }

    /// `count` numbers drawn uniformly from [low, high).
    public mutating func uniforms(_ count: Int, _ low: Double, _ high: Double) -> [Double] {
        (0..<count).map { _ in uniform(low, high) }
    }

    /// A number drawn uniformly from [low, high), rounded to `digits` decimals (easier to read in feedback).
    public mutating func rounded(_ low: Double, _ high: Double, digits: Int = 3) -> Double {
        let scale = Double(Int(pow10(digits)))
        return (uniform(low, high) * scale).rounded() / scale
    }

    private func pow10(_ digits: Int) -> Int { (0..<digits).reduce(1) { value, _ in value * 10 } }
}
